package ir

// Lang is the source language of a rule.
type Lang uint8

// The source languages. The zero value is invalid.
const (
	LangInvalid Lang = iota
	LangSigma        // Sigma YAML
	LangEQL          // Elastic EQL
)

// String returns "sigma", "eql" or "invalid".
func (l Lang) String() string {
	switch l {
	case LangSigma:
		return "sigma"
	case LangEQL:
		return "eql"
	}
	return "invalid"
}

// Rule is one detection rule: its metadata and its condition.
type Rule struct {
	ID          string    // Sigma id, Elastic rule_id, or the file name of a bare query
	Name        string    // Sigma name: how correlation rules may refer to the rule; "" if none
	Title       string    // Sigma title, Elastic name
	Description string    // free text
	Severity    string    // the level, lower case: informational, low, medium, high, critical (Elastic: low to critical)
	Status      string    // lower case: stable, test, experimental, deprecated, unsupported (Elastic maturity mapped, see eql.ParseTOML); "" when none
	RiskScore   *int      // Elastic risk_score; nil when the rule has none
	Tags        []string  // tags as the rule writes them
	Attack      []string  // MITRE ATT&CK ids (TA0002, T1047, T1546.003) in rule order, no duplicates
	Lang        Lang      // source language
	Source      Pos       // where the rule (or its query) starts
	Logsource   Logsource // Sigma log source; zero for EQL
	Expr        *Expr     // the condition; never nil in a valid rule
	// State is set on a stateful rule (an EQL sequence or sample, a Sigma
	// correlation): its single-event stages and what runs over their
	// hits. Expr is then the constant false and package state runs the
	// rule; compile.Compile alone never matches it.
	State Stateful
}

// Logsource is a Sigma rule's log source. Correlation rules read the
// fields of a referenced rule's events as that rule's own searches do,
// which depends on it.
type Logsource struct {
	Category, Product, Service string
}
