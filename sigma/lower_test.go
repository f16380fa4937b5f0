package sigma

import (
	"strings"
	"testing"
)

// ruleWith returns a process creation rule whose detection is det, a YAML
// block indented by two spaces, without its leading newline. The
// detection starts on line 6.
func ruleWith(det string) string {
	return "title: test\n" +
		"logsource:\n" +
		"  category: process_creation\n" +
		"  product: windows\n" +
		"detection:\n" + strings.TrimPrefix(det, "\n")
}

// TestLower checks the expression each detection lowers to.
func TestLower(t *testing.T) {
	tests := []struct {
		name, det, want string
	}{
		{"map is and", `
  sel:
    Image: a.exe
    CommandLine: b
  condition: sel
`, `(and Image glob~ "a.exe" CommandLine glob~ "b")`},
		{"list of maps is or", `
  sel:
    - Image: a.exe
    - CommandLine: b
      User: c
  condition: sel
`, `(or Image glob~ "a.exe" (and CommandLine glob~ "b" User glob~ "c"))`},
		{"list of values is one pred", `
  sel:
    Image: [a.exe, b.exe]
  condition: sel
`, `Image glob~ ("a.exe", "b.exe")`},
		{"one-item list", `
  sel:
    Image: [a.exe]
  condition: sel
`, `Image glob~ "a.exe"`},
		{"contains", `
  sel:
    CommandLine|contains: x
  condition: sel
`, `CommandLine contains~ "x"`},
		{"startswith", `
  sel:
    CommandLine|startswith: x
  condition: sel
`, `CommandLine prefix~ "x"`},
		{"endswith", `
  sel:
    Image|endswith: ['\a.exe', '\b.exe']
  condition: sel
`, `Image suffix~ ("\a.exe", "\b.exe")`},
		{"all", `
  sel:
    CommandLine|contains|all: [a, b]
  condition: sel
`, `(and CommandLine contains~ "a" CommandLine contains~ "b")`},
		{"all first", `
  sel:
    CommandLine|all|endswith: [a, b]
  condition: sel
`, `(and CommandLine suffix~ "a" CommandLine suffix~ "b")`},
		{"all without comparison modifier", `
  sel:
    CommandLine|all: ['*a*', '*b*']
  condition: sel
`, `(and CommandLine glob~ "*a*" CommandLine glob~ "*b*")`},
		{"all with one value", `
  sel:
    CommandLine|all: a
  condition: sel
`, `CommandLine glob~ "a"`},
		{"same field twice", `
  sel:
    CommandLine|contains: a
    CommandLine|endswith: b
  condition: sel
`, `(and CommandLine contains~ "a" CommandLine suffix~ "b")`},
		{"wildcards", `
  sel:
    Image: 'C:\Windows\\*\cmd?.exe'
  condition: sel
`, `Image glob~ "C:\Windows\\*\cmd?.exe"`},
		{"escaped star after a backslash", `
  sel:
    Image: 'C:\Windows\*'
  condition: sel
`, `Image glob~ "C:\Windows\*"`},
		{"escaped wildcards", `
  sel:
    CommandLine: 'a\*b\?c\\d'
  condition: sel
`, `CommandLine glob~ "a\*b\?c\d"`},
		{"wildcards with contains", `
  sel:
    CommandLine|contains: 'a*b'
  condition: sel
`, `CommandLine contains~ "a*b"`},
		{"placeholder is text", `
  sel:
    CommandLine|contains: '%temp%'
  condition: sel
`, `CommandLine contains~ "%temp%"`},
		{"empty string", `
  sel:
    CommandLine: ''
  condition: sel
`, `CommandLine glob~ ""`},
		{"null", `
  sel:
    ParentImage: null
  condition: sel
`, `(not ParentImage exists)`},
		{"nothing is null", `
  sel:
    ParentImage:
  condition: sel
`, `(not ParentImage exists)`},
		{"number", `
  sel:
    EventID: 4688
  condition: sel
`, `EventID equal~ 4688`},
		{"numbers", `
  sel:
    EventID: [1, 2.5, 0x10]
  condition: sel
`, `EventID equal~ (1, 2.5, 16)`},
		{"quoted number is a string", `
  sel:
    EventID: '4688'
  condition: sel
`, `EventID glob~ "4688"`},
		{"number with contains", `
  sel:
    EventID|contains: [46, 1.5]
  condition: sel
`, `EventID contains~ ("46", "1.5")`},
		{"boolean", `
  sel:
    Signed: false
  condition: sel
`, `Signed equal~ (false, "false")`},
		{"mixed list", `
  sel:
    Field: [a, 1, null, true, b]
  condition: sel
`, `(or Field glob~ ("a", "b") Field equal~ (1, true, "true") (not Field exists))`},
		{"mixed list with all", `
  sel:
    Field|all: [a, 1, null]
  condition: sel
`, `(and Field glob~ "a" Field equal~ 1 (not Field exists))`},
		{"dotted field", `
  sel:
    process.name: a.exe
  condition: sel
`, `process.name glob~ "a.exe"`},
		{"not", `
  sel:
    Image: a
  filter:
    User: b
  condition: sel and not filter
`, `(and Image glob~ "a" (not User glob~ "b"))`},
		{"or and parentheses", `
  a:
    F: a
  b:
    F: b
  c:
    F: c
  condition: (a or b) and not (b or c)
`, `(and (or F glob~ "a" F glob~ "b") (not (or F glob~ "b" F glob~ "c")))`},
		{"1 of pattern", `
  sel_b:
    F: b
  sel_a:
    F: a
  other:
    F: c
  condition: 1 of sel_*
`, `(or F glob~ "a" F glob~ "b")`},
		{"all of pattern", `
  sel_b:
    F: b
  sel_a:
    F: a
  condition: all of sel_*
`, `(and F glob~ "a" F glob~ "b")`},
		{"pattern with leading star", `
  a_sel:
    F: a
  b_sel:
    F: b
  condition: all of *_sel*
`, `(and F glob~ "a" F glob~ "b")`},
		{"pattern with one match", `
  sel_a:
    F: a
  condition: 1 of sel_*
`, `F glob~ "a"`},
		{"1 of identifier", `
  sel:
    F: a
  condition: 1 of sel
`, `F glob~ "a"`},
		{"all of identifier", `
  sel:
    F: a
  condition: all of sel
`, `F glob~ "a"`},
		{"1 of them leaves out underscore", `
  b:
    F: b
  _hidden:
    F: h
  a:
    F: a
  condition: 1 of them
`, `(or F glob~ "a" F glob~ "b")`},
		{"all of them", `
  b:
    F: b
  a:
    F: a
  condition: all of them
`, `(and F glob~ "a" F glob~ "b")`},
		{"underscore by name", `
  _hidden:
    F: h
  condition: _hidden
`, `F glob~ "h"`},
		{"list of conditions", `
  a:
    F: a
  b:
    F: b
  condition:
    - a
    - not b
`, `(or F glob~ "a" (not F glob~ "b"))`},
		{"search used twice", `
  a:
    F: a
  condition: a or not a
`, `(or F glob~ "a" (not F glob~ "a"))`},
		{"unused search is lowered", `
  a:
    F: a
  unused:
    F: b
  condition: a
`, `F glob~ "a"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ParseRule("x.yml", []byte(ruleWith(tt.det)), Routing(false))
			if err != nil {
				t.Fatal(err)
			}
			if got := r.Expr.String(); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// TestSharedSubtrees checks that a search used twice is lowered to two
// separate trees, so that passes may rewrite one without the other.
func TestSharedSubtrees(t *testing.T) {
	r, err := ParseRule("x.yml", []byte(ruleWith("  a:\n    F: a\n  condition: a or a\n")), Routing(false))
	if err != nil {
		t.Fatal(err)
	}
	x, y := r.Expr.Args[0], r.Expr.Args[1]
	if x == y || x.Pred == y.Pred || &x.Pred.Values[0] == &y.Pred.Values[0] {
		t.Errorf("the two uses of search a share nodes")
	}
}
