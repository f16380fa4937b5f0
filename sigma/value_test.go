package sigma

import (
	"strconv"
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge/ir"
)

// pieces renders a pattern piece by piece: literals quoted, wildcards bare.
func pieces(p ir.Pattern) string {
	var parts []string
	for _, pc := range p {
		switch pc.Kind {
		case ir.PieceLit:
			parts = append(parts, strconv.Quote(pc.Text))
		case ir.PieceStar:
			parts = append(parts, "*")
		case ir.PieceOne:
			parts = append(parts, "?")
		default:
			parts = append(parts, "<invalid>")
		}
	}
	return strings.Join(parts, " ")
}

// TestParsePattern checks wildcards and escapes, in Go string syntax to
// keep the backslashes readable.
func TestParsePattern(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{``, ``},
		{`abc`, `"abc"`},
		{`*`, `*`},
		{`**`, `*`},
		{`?`, `?`},
		{`??`, `? ?`},
		{`*?*`, `* ? *`},
		{`a*b?c`, `"a" * "b" ? "c"`},
		{`*\cmd.exe`, `* "\\cmd.exe"`},
		{`C:\Windows\*`, `"C:\\Windows*"`},
		{`C:\Windows\\*`, `"C:\\Windows\\" *`},
		{`\*`, `"*"`},
		{`\?`, `"?"`},
		{`\\`, `"\\"`},
		{`\\\\`, `"\\\\"`},
		{`\\\*`, `"\\*"`},
		{`\\\\*`, `"\\\\" *`},
		{`\\server\share`, `"\\server\\share"`},
		{`\a`, `"\\a"`},
		{`a\`, `"a\\"`},
		{`\`, `"\\"`},
		{`a\*b`, `"a*b"`},
		{`a\\*b`, `"a\\" * "b"`},
		{`%temp%`, `"%temp%"`},
		{`é*ü?`, `"é" * "ü" ?`},
		{`\é`, `"\\é"`},
		{"\\\n", `"\\\n"`},
	}
	for _, tt := range tests {
		if got := pieces(parsePattern(tt.in)); got != tt.want {
			t.Errorf("parsePattern(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

// TestParsePatternNorm checks that patterns come out normalized.
func TestParsePatternNorm(t *testing.T) {
	for _, s := range []string{``, `a`, `**a\\*`, `?*\*`, `\\\\`, `a*\?*b`} {
		p := parsePattern(s)
		if got, want := pieces(p), pieces(p.Norm()); got != want {
			t.Errorf("parsePattern(%q) = %s, not normalized (%s)", s, got, want)
		}
	}
}

// TestWildMatch checks the matching of search name patterns.
func TestWildMatch(t *testing.T) {
	tests := []struct {
		pattern, name string
		want          bool
	}{
		{"sel*", "sel", true},
		{"sel*", "selection", true},
		{"sel*", "se", false},
		{"sel*", "xsel", false},
		{"*sel", "a_sel", true},
		{"*sel", "a_sel_b", false},
		{"*_*", "a_b", true},
		{"*_*", "ab", false},
		{"a*b*c", "aXbYbZc", true},
		{"a*b*c", "aXbYbZ", false},
		{"*", "", true},
		{"**", "x", true},
		{"", "", true},
		{"", "x", false},
	}
	for _, tt := range tests {
		if got := wildMatch(tt.pattern, tt.name); got != tt.want {
			t.Errorf("wildMatch(%q, %q) = %t, want %t", tt.pattern, tt.name, got, tt.want)
		}
	}
}
