package ir

import "strings"

// PieceKind is the kind of one piece of a Pattern.
type PieceKind uint8

// The pattern piece kinds. The zero value is invalid.
const (
	PieceInvalid PieceKind = iota
	PieceLit               // literal text (Piece.Text)
	PieceStar              // any run of code points, possibly empty
	PieceOne               // exactly one code point
)

// Piece is literal text or a wildcard.
type Piece struct {
	Kind PieceKind
	Text string // the text of a PieceLit
}

// Pattern is a glob: literal text and wildcards, in order. Adjacent literals
// may be split across pieces; [Pattern.Norm] joins them.
type Pattern []Piece

// Lit returns the pattern that matches exactly s.
func Lit(s string) Pattern {
	if s == "" {
		return Pattern{}
	}
	return Pattern{{Kind: PieceLit, Text: s}}
}

// Literal returns the pattern's text and true when it has no wildcards.
func (p Pattern) Literal() (string, bool) {
	var b strings.Builder
	for _, pc := range p {
		if pc.Kind != PieceLit {
			return "", false
		}
		b.WriteString(pc.Text)
	}
	return b.String(), true
}

// Norm returns p with adjacent literals joined, empty literals dropped and
// runs of stars collapsed to one; p is not changed.
func (p Pattern) Norm() Pattern {
	out := make(Pattern, 0, len(p))
	for _, pc := range p {
		n := len(out)
		switch {
		case pc.Kind == PieceLit && pc.Text == "":
			continue
		case pc.Kind == PieceLit && n > 0 && out[n-1].Kind == PieceLit:
			out[n-1].Text += pc.Text
			continue
		case pc.Kind == PieceStar && n > 0 && out[n-1].Kind == PieceStar:
			continue
		}
		out = append(out, pc)
	}
	return out
}

// String renders the pattern with "*" and "?" as wildcards. A literal "*",
// "?" or '"' is escaped with a backslash, and so is a literal backslash
// where it would otherwise read as an escape (before "*", "?", '"', "\" or
// at the end). The result is unambiguous and stable; dumps quote it in
// double quotes.
func (p Pattern) String() string {
	var b strings.Builder
	for i, pc := range p {
		switch pc.Kind {
		case PieceStar:
			b.WriteByte('*')
		case PieceOne:
			b.WriteByte('?')
		case PieceLit:
			for j := 0; j < len(pc.Text); j++ {
				c := pc.Text[j]
				switch c {
				case '*', '?', '"':
					b.WriteByte('\\')
				case '\\':
					if escapesNext(p, i, j) {
						b.WriteByte('\\')
					}
				}
				b.WriteByte(c)
			}
		default:
			b.WriteString("<invalid>")
		}
	}
	return b.String()
}

// escapesNext reports whether a literal backslash at p[i].Text[j] would be
// read as an escape of what follows it in String's output.
func escapesNext(p Pattern, i, j int) bool {
	t := p[i].Text
	if j+1 < len(t) {
		switch t[j+1] {
		case '*', '?', '"', '\\':
			return true
		}
		return false
	}
	if i+1 == len(p) {
		return true
	}
	return p[i+1].Kind != PieceLit || p[i+1].Text == "" || strings.ContainsRune(`*?"\`, rune(p[i+1].Text[0]))
}
