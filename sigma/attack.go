package sigma

import (
	"fmt"
	"regexp"
	"strings"

	sigmago "github.com/bradleyjkemp/sigma-go"
	"github.com/ruleforge/ruleforge/ir"
)

// tactics maps the names of Sigma's ATT&CK tactic tags (attack.execution)
// to MITRE ATT&CK Enterprise tactics. The names are the tactics' short
// names with hyphens (Sigma specification, appendix "Tags", namespace
// attack). ATT&CK v19 renamed TA0005 from Defense Evasion to Stealth and
// added Defense Impairment (TA0112); SigmaHQ's rules use the new names,
// older rules defense-evasion, which keeps its old name here. An
// underscore spelling (attack.privilege_escalation, Sigma's first tags) is
// read as the hyphen.
var tactics = map[string]ir.Tactic{
	"reconnaissance":       {ID: "TA0043", Name: "Reconnaissance"},
	"resource-development": {ID: "TA0042", Name: "Resource Development"},
	"initial-access":       {ID: "TA0001", Name: "Initial Access"},
	"execution":            {ID: "TA0002", Name: "Execution"},
	"persistence":          {ID: "TA0003", Name: "Persistence"},
	"privilege-escalation": {ID: "TA0004", Name: "Privilege Escalation"},
	"defense-evasion":      {ID: "TA0005", Name: "Defense Evasion"},
	"stealth":              {ID: "TA0005", Name: "Stealth"},
	"defense-impairment":   {ID: "TA0112", Name: "Defense Impairment"},
	"credential-access":    {ID: "TA0006", Name: "Credential Access"},
	"discovery":            {ID: "TA0007", Name: "Discovery"},
	"lateral-movement":     {ID: "TA0008", Name: "Lateral Movement"},
	"collection":           {ID: "TA0009", Name: "Collection"},
	"command-and-control":  {ID: "TA0011", Name: "Command and Control"},
	"exfiltration":         {ID: "TA0010", Name: "Exfiltration"},
	"impact":               {ID: "TA0040", Name: "Impact"},
}

// attackTag matches the tags that name an ATT&CK technique, sub-technique,
// group or software: attack.t1218, attack.t1055.001, attack.g0010,
// attack.s0002.
var attackTag = regexp.MustCompile(`^(?i)attack\.(t\d{4}(?:\.\d{3})?|[gs]\d{4})$`)

// attackIDs returns the ATT&CK ids named by tags, upper case, in tag order,
// without duplicates. Tactics are tagged by name and are not included.
func attackIDs(tags []string) []string {
	return collect(tags, func(t string) (string, bool) {
		m := attackTag.FindStringSubmatch(t)
		if m == nil {
			return "", false
		}
		return strings.ToUpper(m[1]), true
	})
}

// techniqueIDs returns the technique and sub-technique ids (T1047,
// T1055.001) named by tags, in tag order, without duplicates.
func techniqueIDs(tags []string) []string {
	return collect(tags, func(t string) (string, bool) {
		m := attackTag.FindStringSubmatch(t)
		if m == nil || (m[1][0] != 't' && m[1][0] != 'T') {
			return "", false
		}
		return strings.ToUpper(m[1]), true
	})
}

// tacticsOf returns the tactics named by tags (attack.execution), in tag
// order, without duplicates. A tactic tag the table does not know
// (attack.foo) gives no tactic; it stays in the rule's tags.
func tacticsOf(tags []string) []ir.Tactic {
	var out []ir.Tactic
	seen := map[ir.Tactic]bool{}
	for _, t := range tags {
		name, ok := strings.CutPrefix(strings.ToLower(strings.TrimSpace(t)), "attack.")
		if !ok {
			continue
		}
		tc, ok := tactics[strings.ReplaceAll(name, "_", "-")]
		if ok && !seen[tc] {
			seen[tc] = true
			out = append(out, tc)
		}
	}
	return out
}

// collect returns what id gives for each trimmed tag it accepts, in tag
// order, without duplicates.
func collect(tags []string, id func(string) (string, bool)) []string {
	var ids []string
	seen := map[string]bool{}
	for _, t := range tags {
		v, ok := id(strings.TrimSpace(t))
		if ok && !seen[v] {
			seen[v] = true
			ids = append(ids, v)
		}
	}
	return ids
}

// metaOf returns the metadata of a detection or correlation rule that
// sigma-go decoded as meta; name is the rule's "name:".
func metaOf(meta *sigmago.Rule, name string) ir.Meta {
	m := ir.Meta{
		ID:             meta.ID,
		Name:           name,
		Title:          meta.Title,
		Description:    meta.Description,
		Severity:       strings.ToLower(meta.Level),
		Status:         strings.ToLower(meta.Status),
		Tags:           meta.Tags,
		Attack:         attackIDs(meta.Tags),
		References:     meta.References,
		FalsePositives: strs(meta.AdditionalFields["falsepositives"]),
		Tactics:        tacticsOf(meta.Tags),
		Techniques:     techniqueIDs(meta.Tags),
	}
	if meta.Author != "" {
		m.Author = []string{meta.Author}
	}
	return m
}

// strs returns a YAML value that is a string or a list as strings; other
// values (a number in a list) are formatted, null entries dropped.
func strs(v any) []string {
	switch v := v.(type) {
	case nil:
		return nil
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, e := range v {
			if e != nil {
				out = append(out, fmt.Sprint(e))
			}
		}
		return out
	}
	return []string{fmt.Sprint(v)}
}
