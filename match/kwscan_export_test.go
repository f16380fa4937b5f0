package match

import "github.com/ruleforge/ruleforge/internal/matcher"

// KeywordScan returns the automaton of rs's keyword probe (the first
// phase's: every rule's keywords as substrings, what MatchRecord scans a
// record's JSON text with) and the text of r it would scan, or nil when
// rs has no keywords or r no JSON text: for benchmarks and tests of the
// keyword scan alone.
func KeywordScan(rs *Ruleset, r *Record) (*matcher.Automaton, []byte) {
	ap := rs.index.anyProbe[0]
	if ap == nil || ap.raw == nil {
		return nil, nil
	}
	s := r.text()
	if s == nil {
		return ap.raw, nil
	}
	return ap.raw, s.data
}
