package matcher

// Kind is the kind of a string Matcher.
type Kind uint8

// The string matcher kinds, cheapest first. The zero value is invalid.
const (
	KindInvalid  Kind = iota
	KindExact         // the whole value equals a text
	KindPrefix        // the value starts with a text
	KindSuffix        // the value ends with a text
	KindContains      // the value contains a text
	KindBoth          // the value starts with one text and ends with another
	KindSegments      // texts separated by stars: pre*mid*…*suf
	KindGlob          // a general glob
	KindRegex         // an RE2 regular expression
	KindCIDR          // an IP address in a set of ranges
	KindSet           // any of many texts (see Set)
)

// String returns the kind's name, as explain output shows it.
func (k Kind) String() string {
	switch k {
	case KindExact:
		return "exact"
	case KindPrefix:
		return "prefix"
	case KindSuffix:
		return "suffix"
	case KindContains:
		return "contains"
	case KindBoth:
		return "prefix+suffix"
	case KindSegments:
		return "segments"
	case KindGlob:
		return "glob"
	case KindRegex:
		return "regex"
	case KindCIDR:
		return "cidr"
	case KindSet:
		return "set"
	}
	return "invalid"
}

// Matcher tests one string value. Matchers are immutable and safe for
// concurrent use; Match allocates nothing except where a case-insensitive
// general glob must fold a value (from a pool, so not in the steady state).
type Matcher interface {
	// Match reports whether s matches.
	Match(s string) bool
	// Kind returns the matcher's kind.
	Kind() Kind
	// String describes the matcher: its kind, case mode and text.
	String() string
}

// describe renders a matcher description such as `suffix~ ".mof"`.
func describe(k Kind, fold bool, text string) string {
	s := k.String()
	if fold {
		s += "~"
	}
	return s + " " + Quote(text)
}

// Quote renders text in double quotes, escaping only the quote and
// control characters, so Windows paths stay readable.
func Quote(s string) string {
	b := make([]byte, 0, len(s)+2)
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			b = append(b, '\\', '"')
		case c < 0x20:
			b = append(b, '\\', 'x', "0123456789abcdef"[c>>4], "0123456789abcdef"[c&15])
		default:
			b = append(b, c)
		}
	}
	return string(append(b, '"'))
}
