package evtx

import (
	"encoding/binary"
	"strings"
	"testing"
	"unicode/utf16"
)

// naiveUTF16JSON is appendUTF16JSON's reference: the characters up to the
// first NUL decoded with package utf16 (unpaired surrogates are U+FFFD),
// then escaped byte by byte as serde_json escapes (appendASCIIJSON).
func naiveUTF16JSON(r []byte, escape bool) string {
	units := make([]uint16, 0, len(r)/2)
	for i := 0; i+1 < len(r); i += 2 {
		u := binary.LittleEndian.Uint16(r[i:])
		if u == 0 {
			break
		}
		units = append(units, u)
	}
	s := string(utf16.Decode(units))
	if !escape {
		return s
	}
	var b []byte
	for i := 0; i < len(s); i++ {
		b = appendASCIIJSON(b, s[i])
	}
	return string(b)
}

// TestAppendUTF16JSON compares appendUTF16JSON with its reference on
// text where each character that leaves the eight- and four-at-a-time
// ASCII paths (control characters, quote, backslash, non-ASCII, some
// with a low byte of zero, surrogates paired and not, NUL) stands at
// every position of a run of ASCII, so that it falls in each lane of
// both blocks and in the tail; and after text already in b.
func TestAppendUTF16JSON(t *testing.T) {
	specials := []string{"", "\x00", "\x01", "\x1f", "\t", "\n", " ", "\"", "\\", "\x7f", "\u0080", "é", "Ā", "\u2000", "€", "\U0001F600", "\ufffd"}
	var cases [][]byte
	for _, sp := range specials {
		for n := 0; n <= 20; n++ {
			for at := 0; at <= n; at++ {
				s := strings.Repeat("a", at) + sp + strings.Repeat("Z", n-at)
				cases = append(cases, u16s(s))
			}
		}
	}
	for _, s := range []string{`C:\Windows\System32\cmd.exe`, `"C:\Program Files\x.exe" /c "a b"`, "é\\\"\n€\U0001F600abcdefgh\\", "\\\\\\\\\\"} {
		cases = append(cases, u16s(s), u16s(s+"\x00tail"))
	}
	lone := []byte{'a', 0, 'b', 0, 0x00, 0xd8, 'c', 0, 'd', 0, 'e', 0, 0x00, 0xdc, 'f', 0, 'g', 0} // unpaired high and low surrogates
	cases = append(cases, lone, lone[:len(lone)-1], []byte{'x'})
	for _, r := range cases {
		for _, escape := range []bool{false, true} {
			want := naiveUTF16JSON(r, escape)
			if got := string(appendUTF16JSON(nil, r, escape)); got != want {
				t.Errorf("appendUTF16JSON(% x, %v) = %q, want %q", r, escape, got, want)
			}
			if got := string(appendUTF16JSON([]byte("pre"), r, escape)); got != "pre"+want {
				t.Errorf("appendUTF16JSON(pre, % x, %v) = %q, want %q", r, escape, got, "pre"+want)
			}
		}
	}
}

// TestAppendStringJSON compares appendStringJSON, which copies the runs
// between characters to escape, eight bytes at a time, with escaping
// byte by byte: on a few texts, and with each byte that is escaped (or
// is close to one: the space, 0x7f, bytes of multi-byte characters) at
// every position of a run of ASCII, in each lane of a block and in the
// tail.
func TestAppendStringJSON(t *testing.T) {
	cases := []string{"", "plain", `C:\Windows\x`, "\"q\"", "\x00\x01\x1f\x7f", "é€\U0001F600", "tab\there\n", `\\`}
	for _, sp := range []string{"\x00", "\x01", "\x1f", "\n", " ", "!", "\"", "\\", "\x7f", "é", "\xff", "\x80\xa0"} {
		for n := 0; n <= 20; n++ {
			for at := 0; at <= n; at++ {
				cases = append(cases, strings.Repeat("a", at)+sp+strings.Repeat("Z", n-at))
			}
		}
	}
	for _, s := range cases {
		var want []byte
		for i := 0; i < len(s); i++ {
			want = appendASCIIJSON(want, s[i])
		}
		if got := appendStringJSON([]byte("pre"), s); string(got) != "pre"+string(want) {
			t.Errorf("appendStringJSON(%q) = %q, want %q", s, got[3:], want)
		}
		if got := appendStringJSON([]byte("pre"), []byte(s)); string(got) != "pre"+string(want) {
			t.Errorf("appendStringJSON([]byte(%q)) = %q, want %q", s, got[3:], want)
		}
	}
}
