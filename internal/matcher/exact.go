package matcher

// Exact matches values equal to a text, with or without case folding.
type Exact struct {
	text string // folded when fold is set
	fold bool
}

// NewExact returns a matcher for values equal to text; with fold, equal
// under simple case folding.
func NewExact(text string, fold bool) *Exact {
	if fold {
		text = Fold(text)
	}
	return &Exact{text: text, fold: fold}
}

// Match reports whether s equals the text.
func (m *Exact) Match(s string) bool {
	if !m.fold {
		return s == m.text
	}
	n, ok := foldPrefix(s, m.text)
	return ok && n == len(s)
}

// Kind returns KindExact.
func (m *Exact) Kind() Kind { return KindExact }

// String describes the matcher.
func (m *Exact) String() string { return describe(KindExact, m.fold, m.text) }
