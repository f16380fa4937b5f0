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
}

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
	return &Regex{re: re, lits: regexLiterals(src)}, nil
}

// Match reports whether the expression matches somewhere in s.
func (m *Regex) Match(s string) bool { return m.re.MatchString(s) }

// Kind returns KindRegex.
func (m *Regex) Kind() Kind { return KindRegex }

// String describes the matcher.
func (m *Regex) String() string { return "regex " + Quote(m.re.String()) }
