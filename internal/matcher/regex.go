package matcher

import (
	"regexp"
)

// Regex matches values in which an RE2 regular expression finds a match;
// the expression anchors itself with ^ and $ where it must match a whole
// value. It is compiled once, when the ruleset is built.
type Regex struct {
	re   *regexp.Regexp
	lits []string // texts one of which every match holds, for the rule index
	// pre holds lits as case-insensitive Contains matchers: a value that
	// holds none cannot match, and is refused without running the
	// expression (nil: every value runs it).
	pre []*Contains
}

// maxPrefilter is the most literals Regex checks before running its
// expression: with more, the checks could cost more than they save.
const maxPrefilter = 8

// NewRegex compiles an RE2 expression; with fold, it ignores case (the
// (?i) flag, Unicode simple folding).
func NewRegex(src string, fold bool) (*Regex, error) {
	re, err := regexp.Compile(src)
	if err != nil {
		return nil, err
	}
	if fold {
		re = regexp.MustCompile("(?i)" + src) // valid: src compiled above
	}
	m := &Regex{re: re, lits: regexLiterals(src)}
	if len(m.lits) <= maxPrefilter {
		for _, l := range m.lits {
			m.pre = append(m.pre, NewContains(l, true))
		}
	}
	return m, nil
}

// Match reports whether the expression matches somewhere in s. Every
// match holds one of the literals (regexLiterals), in the expression's
// case or, under (?i), in another of the same simple case folding: s is
// searched for them ignoring case first, much faster than the
// backtracker runs over a command line that holds none.
func (m *Regex) Match(s string) bool {
	if m.pre != nil && !m.mayMatch(s) {
		return false
	}
	return m.re.MatchString(s)
}

// mayMatch reports whether s holds a literal of pre, ignoring case.
func (m *Regex) mayMatch(s string) bool {
	for _, c := range m.pre {
		if c.Match(s) {
			return true
		}
	}
	return false
}

// Kind returns KindRegex.
func (m *Regex) Kind() Kind { return KindRegex }

// String describes the matcher.
func (m *Regex) String() string { return "regex " + Quote(m.re.String()) }
