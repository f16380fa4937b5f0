package eql

import "testing"

// TestTOMLSpans checks where tomlSpans and spanOffset trace the bytes of
// a decoded TOML string back to: literal bytes one for one, every byte an
// escape makes to the escape's backslash, the end to the closing
// delimiter, offsets out of range clamped to the value; and that a value
// other than want gives no spans.
func TestTOMLSpans(t *testing.T) {
	tests := []struct {
		name, src, val string
		offs           map[int]int // value offset: source offset
	}{
		{"literal", `'a\b'`, `a\b`, map[int]int{0: 1, 1: 2, 2: 3, 3: 4, -1: 1, 9: 4}},
		{"escape", `"a\tb"`, "a\tb", map[int]int{0: 1, 1: 2, 2: 4, 3: 5}},
		{"unicode", `"\u00e9x"`, "éx", map[int]int{0: 1, 1: 1, 2: 7, 3: 8}},
		{"hex (TOML 1.1, both decoders)", `"a\x41\xe9b"`, "aAéb", map[int]int{0: 1, 1: 2, 2: 6, 3: 6, 4: 10}},
		{"long unicode", `"\U0001F600"`, "😀", map[int]int{0: 1, 3: 1, 4: 11}},
		{"multi-line", "\"\"\"\nab \\\n  cd\"\"\"", "ab cd", map[int]int{0: 4, 2: 6, 3: 11, 4: 12, 5: 13}},
		{"multi-line literal", "'''\r\nx\\y'''", `x\y`, map[int]int{0: 5, 1: 6, 2: 7, 3: 8}},
		{"trailing quotes", `"""a"""""`, `a""`, map[int]int{0: 3, 1: 4, 3: 6}},
	}
	for _, tt := range tests {
		spans, ok := tomlSpans(tt.src, 0, tt.val)
		if !ok {
			t.Errorf("%s: tomlSpans(%q) is not %q", tt.name, tt.src, tt.val)
			continue
		}
		for off, want := range tt.offs {
			if got := spanOffset(spans, off); got != want {
				t.Errorf("%s: byte %d of %q comes from %d, want %d", tt.name, off, tt.val, got, want)
			}
		}
		if _, ok := tomlSpans(tt.src, 0, tt.val+"x"); ok {
			t.Errorf("%s: tomlSpans(%q) matches %q", tt.name, tt.src, tt.val+"x")
		}
	}
	for _, src := range []string{`"a\q"`, `"a`, `"\u00"`, `"\x4"`, `"\uD800"`, "\"a\\\nb\""} {
		if _, ok := tomlSpans(src, 0, "a"); ok {
			t.Errorf("tomlSpans(%q) decodes a bad string", src)
		}
	}
}
