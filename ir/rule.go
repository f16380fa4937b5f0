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

// Meta is what a rule says about itself, in one form for both languages
// and for Sigma correlation rules: the fields users filter and report on.
// Rule and Correlation embed it, so their metadata is copied as one value.
type Meta struct {
	ID          string   // Sigma id, Elastic rule_id, or the file name of a bare query
	Name        string   // Sigma name: how correlation rules may refer to the rule; "" if none
	Title       string   // Sigma title, Elastic name
	Description string   // free text
	Severity    string   // the level, lower case: informational, low, medium, high, critical (Elastic: low to critical)
	Status      string   // lower case: stable, test, experimental, deprecated, unsupported (Elastic maturity mapped, see eql.ParseTOML); "" when none
	Tags        []string // tags as the rule writes them
	Attack      []string // MITRE ATT&CK ids (TA0002, T1047, T1546.003) in rule order, no duplicates

	// Author lists who wrote the rule: Elastic's author array, or
	// Sigma's author string as one element (Sigma separates names with
	// commas only by habit, so it is not split).
	Author []string
	// References are URLs or citations, as the rule writes them.
	References []string
	// FalsePositives are Sigma's falsepositives or Elastic's
	// false_positives, as written.
	FalsePositives []string
	// Tactics and Techniques are the rule's MITRE ATT&CK mapping in one
	// form for both languages, so that one dashboard or filter serves
	// both: Sigma's tactic tags (attack.execution) named through a table
	// of Enterprise tactics (see package sigma), Elastic's
	// [[rule.threat]] tactics as written; technique and sub-technique ids
	// (T1047, T1055.001) from Sigma's attack.tNNNN tags or Elastic's
	// technique and subtechnique ids. Both are in rule order without
	// duplicates.
	Tactics    []Tactic
	Techniques []string
}

// Rule is one detection rule: its metadata and its condition.
type Rule struct {
	Meta
	RiskScore *int      // Elastic risk_score; nil when the rule has none
	Lang      Lang      // source language
	Source    Pos       // where the rule (or its query) starts
	Logsource Logsource // Sigma log source; zero for EQL
	Expr      *Expr     // the condition; never nil in a valid rule
	// State is set on a stateful rule (an EQL sequence or sample, a Sigma
	// correlation): its single-event stages and what runs over their
	// hits. Expr is then the constant false and package state runs the
	// rule; compile.Compile alone never matches it.
	State Stateful
	// Index lists the Elastic index patterns the rule reads (logs-*); nil
	// for Sigma. It is no log source: Logsource stays zero for EQL.
	Index []string
}

// Tactic is a MITRE ATT&CK tactic: its id (TA0002) and name (Execution).
// ID is "" only when an Elastic rule names a tactic without an id.
type Tactic struct {
	ID, Name string
}

// String returns "TA0002 Execution", or the name alone without an id.
func (t Tactic) String() string {
	if t.ID == "" {
		return t.Name
	}
	return t.ID + " " + t.Name
}

// Logsource is a Sigma rule's log source. Correlation rules read the
// fields of a referenced rule's events as that rule's own searches do,
// which depends on it.
type Logsource struct {
	Category, Product, Service string
}
