package matcher

import (
	"regexp"
	"strings"
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
	// seq, when it has more than one step, replaces pre: the texts
	// every match holds in order (regexSequence), as needles searched
	// for ignoring case, one step after the other.
	seq [][]needle
	// gapped: the expression is seq's texts joined by .* (gapped), so
	// that seq decides a value without line breaks, with no expression
	// run: `\+.*\+.*\+` on a long command line takes the backtracker or
	// the NFA microseconds.
	gapped bool
}

// maxPrefilter is the most literals Regex checks before running its
// expression: with more, the checks could cost more than they save.
const maxPrefilter = 8

// maxSequence is the most literals of all the steps of a Regex's
// sequence: each is a search through the rest of the value.
const maxSequence = 16

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
	total := 0
	for _, step := range regexSequence(src) {
		if len(step) > maxPrefilter || total+len(step) > maxSequence {
			continue // a step left out leaves the others necessary
		}
		total += len(step)
		var ns []needle
		for _, l := range step {
			ns = append(ns, newNeedle(Fold(l)))
		}
		m.seq = append(m.seq, ns)
	}
	if len(m.seq) < 2 {
		m.seq = nil
	}
	m.gapped = m.seq != nil && gapped(src, fold) == len(m.seq)
	return m, nil
}

// Match reports whether the expression matches somewhere in s. Every
// match holds one of the literals (regexLiterals), in the expression's
// case or, under (?i), in another of the same simple case folding: s is
// searched for them ignoring case first, much faster than the
// backtracker runs over a command line that holds none.
func (m *Regex) Match(s string) bool {
	if (m.pre != nil || m.seq != nil) && !m.mayMatch(s) {
		return false
	}
	if m.gapped && strings.IndexByte(s, '\n') < 0 {
		return true // mayMatch found the texts in order, on one line
	}
	return m.re.MatchString(s)
}

// mayMatch reports whether s holds the steps of seq in order, or else a
// literal of pre, ignoring case.
func (m *Regex) mayMatch(s string) bool {
	if m.seq != nil {
		return m.inOrder(s)
	}
	for _, c := range m.pre {
		if c.Match(s) {
			return true
		}
	}
	return false
}

// inOrder reports whether s holds a text of each step of seq, ignoring
// case, each after the one before. Taking, at each step, the occurrence
// that ends first leaves the most room for the steps after it, so s fails
// only when no choice of occurrences succeeds.
func (m *Regex) inOrder(s string) bool {
	at := 0
	for _, step := range m.seq {
		end := -1
		for _, n := range step {
			if _, j := foldIndex(s[at:], n); j >= 0 && (end < 0 || at+j < end) {
				end = at + j
			}
		}
		if end < 0 {
			return false
		}
		at = end
	}
	return true
}

// Kind returns KindRegex.
func (m *Regex) Kind() Kind { return KindRegex }

// String describes the matcher.
func (m *Regex) String() string { return "regex " + Quote(m.re.String()) }
