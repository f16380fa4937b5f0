package matcher

import (
	"encoding/binary"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/ruleforge/ruleforge/internal/swar"
)

// Case folding. Two strings are equal ignoring case when their code points
// are pairwise equal under Unicode simple case folding (the relation
// unicode.SimpleFold walks). Patterns are folded once, when they are
// compiled, to a canonical member of each folding orbit; event values are
// folded code point by code point as they are compared, with an ASCII fast
// path, so comparing allocates nothing.

// FoldRune returns the canonical member of r's simple-folding orbit: the
// lower-case ASCII letter when the orbit has an ASCII member (so "K" and
// the Kelvin sign both fold to "k"), otherwise the lower case of the
// orbit's smallest code point when that is in the orbit ("Σ", "σ" and "ς"
// fold to "σ"), otherwise the smallest code point.
func FoldRune(r rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return r
	}
	least := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		if f < utf8.RuneSelf {
			return FoldRune(f)
		}
		least = min(least, f)
	}
	if l := unicode.ToLower(least); l != least && inOrbit(l, least) {
		return l
	}
	return least
}

// inOrbit reports whether a is in b's simple-folding orbit.
func inOrbit(a, b rune) bool {
	for f := unicode.SimpleFold(b); f != b; f = unicode.SimpleFold(f) {
		if f == a {
			return true
		}
	}
	return false
}

// lowerASCII folds an ASCII byte.
func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		c += 'a' - 'A'
	}
	return c
}

// Fold returns s with every code point replaced by its canonical fold. It is
// how patterns are folded at compile time; matchers compare event values
// against folded patterns without allocating.
func Fold(s string) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || ('A' <= c && c <= 'Z') {
			return string(AppendFold(make([]byte, 0, len(s)), s))
		}
	}
	return s
}

// AppendFold appends the fold of s to dst: eight ASCII bytes at a time
// (swar.LowerWord), other code points one by one.
func AppendFold(dst []byte, s string) []byte {
	dst = slices.Grow(dst, len(s))
	for i := 0; i < len(s); {
		if i+8 <= len(s) {
			if w := binary.LittleEndian.Uint64(unsafe.Slice(unsafe.StringData(s[i:]), 8)); w&swar.Highs == 0 {
				dst = binary.LittleEndian.AppendUint64(dst, swar.LowerWord(w))
				i += 8
				continue
			}
		}
		c := s[i]
		if c < utf8.RuneSelf {
			dst = append(dst, lowerASCII(c))
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			dst = append(dst, c) // keep invalid bytes as they are
		} else {
			dst = utf8.AppendRune(dst, FoldRune(r))
		}
		i += n
	}
	return dst
}

// NeedsFold reports whether Fold(s) differs from s.
func NeedsFold(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || ('A' <= c && c <= 'Z') {
			return true
		}
	}
	return false
}

// foldPrefix reports whether s starts with text that folds to p (p is
// folded) and returns how many bytes of s that text takes.
func foldPrefix(s, p string) (int, bool) {
	i, j := 0, 0
	for j < len(p) {
		if i >= len(s) {
			return 0, false
		}
		sc, pc := s[i], p[j]
		if sc < utf8.RuneSelf && pc < utf8.RuneSelf {
			if lowerASCII(sc) != pc {
				return 0, false
			}
			i++
			j++
			continue
		}
		sr, sn := decodeRune(s[i:])
		pr, pn := decodeRune(p[j:])
		if sr != pr && FoldRune(sr) != pr {
			return 0, false
		}
		i += sn
		j += pn
	}
	return i, true
}

// foldSuffix reports whether s ends with text that folds to p (p is folded)
// and returns the byte offset in s where that text starts.
func foldSuffix(s, p string) (int, bool) {
	i, j := len(s), len(p)
	for j > 0 {
		if i <= 0 {
			return 0, false
		}
		sc, pc := s[i-1], p[j-1]
		if sc < utf8.RuneSelf && pc < utf8.RuneSelf {
			if lowerASCII(sc) != pc {
				return 0, false
			}
			i--
			j--
			continue
		}
		sr, sn := decodeLastRune(s[:i])
		pr, pn := decodeLastRune(p[:j])
		if sr != pr && FoldRune(sr) != pr {
			return 0, false
		}
		i -= sn
		j -= pn
	}
	return i, true
}

// needle is a folded text prepared for substring search: the first bytes
// that a text folding to it can start with (the UTF-8 lead bytes of every
// member of its first code point's folding orbit: "k", "K" and the Kelvin
// sign's 0xE2 for "k").
type needle struct {
	text  string
	first []byte // at most maxLeads distinct bytes; nil: try every position
}

// maxLeads is the most lead bytes a needle scans for with IndexByte.
const maxLeads = 4

// newNeedle prepares a folded, non-empty text.
func newNeedle(text string) needle {
	n := needle{text: text}
	r, _ := decodeRune(text)
	add := func(b byte) {
		for _, c := range n.first {
			if c == b {
				return
			}
		}
		n.first = append(n.first, b)
	}
	if r > unicode.MaxRune { // an invalid byte matches only itself
		add(text[0])
		return n
	}
	var buf [utf8.UTFMax]byte
	for f := r; ; {
		utf8.EncodeRune(buf[:], f)
		add(buf[0])
		if f = unicode.SimpleFold(f); f == r {
			break
		}
	}
	if len(n.first) > maxLeads {
		n.first = nil
	}
	return n
}

// foldIndex returns the byte offset of the first text in s that folds to
// n.text, and the offset just past it, or -1, -1. Candidates are found
// with strings.IndexByte on the needle's lead bytes.
func foldIndex(s string, n needle) (int, int) {
	if n.first == nil {
		return foldIndexSlow(s, n.text)
	}
	var next [maxLeads]int // next[k]: the next offset of n.first[k] at or after i, or len(s)
	for k := range n.first {
		next[k] = -2 // not looked up yet
	}
	for i := 0; i < len(s); {
		j := len(s)
		for k, b := range n.first {
			if next[k] < i {
				if x := strings.IndexByte(s[i:], b); x >= 0 {
					next[k] = i + x
				} else {
					next[k] = len(s)
				}
			}
			j = min(j, next[k])
		}
		if j == len(s) {
			return -1, -1
		}
		if m, ok := foldPrefix(s[j:], n.text); ok {
			return j, j + m
		}
		i = j + 1
	}
	return -1, -1
}

// foldIndexSlow is foldIndex trying every code point boundary of s.
func foldIndexSlow(s, p string) (int, int) {
	for i := 0; i < len(s); {
		if n, ok := foldPrefix(s[i:], p); ok {
			return i, i + n
		}
		_, n := decodeRune(s[i:])
		i += n
	}
	return -1, -1
}

// decodeRune decodes the first code point of s. An invalid UTF-8 byte
// decodes, with width 1, to a value of its own (see invalidRune), so it
// matches only the same byte.
func decodeRune(s string) (rune, int) {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError && n == 1 {
		return invalidRune(s[0]), 1
	}
	return r, n
}

// decodeLastRune is decodeRune from the end of s.
func decodeLastRune(s string) (rune, int) {
	r, n := utf8.DecodeLastRuneInString(s)
	if r == utf8.RuneError && n == 1 {
		return invalidRune(s[len(s)-1]), 1
	}
	return r, n
}

// invalidRune maps an invalid UTF-8 byte to a private value outside the
// Unicode range, so that it matches only the same byte.
func invalidRune(b byte) rune { return unicode.MaxRune + 1 + rune(b) }

// IsASCII reports whether s is all ASCII, eight bytes at a time.
func IsASCII(s string) bool {
	i := 0
	for ; i+8 <= len(s); i += 8 {
		if binary.LittleEndian.Uint64(unsafe.Slice(unsafe.StringData(s[i:]), 8))&0x8080808080808080 != 0 {
			return false
		}
	}
	for ; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
