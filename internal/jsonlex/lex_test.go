package jsonlex

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// The word-at-a-time scans (StringEnd, KeyEnd, plainEnd) against naive
// byte-by-byte ones, RFC 8259 section 7 (a string's unescaped bytes are
// 0x20-0x21, 0x23-0x5B, 0x5D-0x10FFFF; escapes are \" \\ \/ \b \f \n \r \t
// \uXXXX), and AppendUnquoted against encoding/json's decoding of the same
// string.

// naiveStringEnd is StringEnd one byte at a time.
func naiveStringEnd(data []byte, i int) (end int, esc, high bool) {
	for ; i < len(data); i++ {
		switch c := data[i]; {
		case c == '"':
			return i, esc, high
		case c == '\\':
			esc = true
			if i+1 >= len(data) {
				return Fail, false, false
			}
			switch data[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i++
			case 'u':
				if getu4(data[i:]) < 0 {
					return Fail, false, false
				}
				i += 5
			default:
				return Fail, false, false
			}
		case c < ' ':
			return Fail, false, false
		case c >= utf8.RuneSelf:
			high = true
		}
	}
	return Fail, false, false
}

// naiveKeyEnd is KeyEnd one byte at a time.
func naiveKeyEnd(data []byte, i int) int {
	for i < len(data) && PlainKey[data[i]] {
		i++
	}
	return i
}

// specials are the bytes and escapes that stop or change a scan, each
// put at every offset of the texts of TestStringEnd, TestKeyEnd and
// TestAppendUnquoted: among them surrogates lone, reversed, a high one
// before a pair or another escape, and the last pair (U+10FFFF), which
// the offsets split at every place around a word's end.
var specials = []string{
	`"`, `\\`, `\"`, `\/`, `\n`, `\t`, `\u0041`, `\u00e9`, `\ud83d\ude00`, `\ud83d`, `\ude00x`,
	`\x`, `\u12`, `\u12g4`, `\`, "\x00", "\x1f", "\x7f", " ", ".", "é", "\xff", "\xc3", "\x80",
	"😀", "\xe2\x82", `\ude00\ud83d`, `\ud83d\u0041`, `\ud83d\ud83d\ude00`, `\udbff\udfff`, `\uDBFF\uDFFFx`,
}

// shifted returns the texts of TestStringEnd: s at every offset from 0
// to 17 in a run of plain bytes, alone or followed by the closing quote
// or more plain bytes, and two of them at offsets around a word's end.
func shifted() []string {
	var out []string
	for _, s := range specials {
		for pre := 0; pre <= 17; pre++ {
			p := strings.Repeat("a", pre)
			out = append(out, p+s, p+s+`"`, p+s+`bcdefghij"`, p+s+strings.Repeat("z", 9)+s+`"`)
		}
	}
	for pre := 0; pre <= 17; pre++ {
		out = append(out, strings.Repeat("b", pre)+`"`, strings.Repeat("b", pre))
	}
	return out
}

func TestStringEnd(t *testing.T) {
	for _, s := range shifted() {
		for _, start := range []int{0, 1} { // the text from an odd offset too
			data := []byte("x" + s)
			end, esc, high := StringEnd(data, start+1)
			wEnd, wEsc, wHigh := naiveStringEnd(data, start+1)
			if end != wEnd || esc != wEsc || high != wHigh {
				t.Errorf("StringEnd(%q, %d) = %d, %v, %v, want %d, %v, %v", data, start+1, end, esc, high, wEnd, wEsc, wHigh)
			}
		}
	}
}

func TestStringEndCases(t *testing.T) {
	for _, tc := range []struct {
		in        string
		end       int
		esc, high bool
	}{
		{`"`, 0, false, false},
		{`abcdefg"`, 7, false, false},
		{`abcdefgh"`, 8, false, false},
		{`abcdefgh`, Fail, false, false},
		{`C:\\Windows\\System32\\cmd.exe" `, 30, true, false},
		{`abcdefgé"`, 9, false, true},
		{"ab\"\xffcdefgh", 2, false, false}, // nor in the same word
		{"abcdefgh\x01\"", Fail, false, false},
		{`abcdefg\q"`, Fail, false, false},
		{`abcdefg\u00"`, Fail, false, false},
		{`abcdefg\"h"`, 10, true, false},
		{`abcdefg\`, Fail, false, false},
		{"é\"\xff\"", 2, false, true}, // a byte past ASCII after the end is not the string's
	} {
		end, esc, high := StringEnd([]byte(tc.in), 0)
		if end != tc.end || esc != tc.esc || high != tc.high {
			t.Errorf("StringEnd(%q) = %d, %v, %v, want %d, %v, %v", tc.in, end, esc, high, tc.end, tc.esc, tc.high)
		}
	}
}

func TestKeyEnd(t *testing.T) {
	for c := 0; c < 256; c++ {
		for pre := 0; pre <= 17; pre++ {
			for _, post := range []string{"", `"`, "abcdefghij"} {
				data := []byte(strings.Repeat("k", pre) + string(rune(0)) + post)
				data[pre] = byte(c)
				if got, want := KeyEnd(data, 0), naiveKeyEnd(data, 0); got != want {
					t.Errorf("KeyEnd(%q, 0) = %d, want %d", data, got, want)
				}
				if got, want := KeyEnd(data, 1), naiveKeyEnd(data, 1); got != want {
					t.Errorf("KeyEnd(%q, 1) = %d, want %d", data, got, want)
				}
			}
		}
	}
}

// wantUnquoted returns the text encoding/json decodes from the JSON
// string body b, and whether b is valid.
func wantUnquoted(b []byte) (string, bool) {
	var s string
	err := json.Unmarshal([]byte(`"`+string(b)+`"`), &s)
	return s, err == nil
}

func TestAppendUnquoted(t *testing.T) {
	n := 0
	for _, s := range shifted() {
		body, _ := strings.CutSuffix(s, `"`)
		want, ok := wantUnquoted([]byte(body))
		if !ok {
			continue
		}
		n++
		if got := AppendUnquoted([]byte("keep"), []byte(body)); string(got) != "keep"+want {
			t.Errorf("AppendUnquoted(%q) = %q, want %q", body, got[4:], want)
		}
	}
	if n < 500 {
		t.Fatalf("only %d valid strings", n)
	}
}

// TestAppendUnquotedRoom is TestAppendUnquoted with every amount of room
// to spare in dst, up to more than the three times b's length that
// decoding can take: fastUnquoted decodes in that room, and hands over
// to AppendUnquoted's loop where the room or b's words run out.
func TestAppendUnquotedRoom(t *testing.T) {
	for _, s := range shifted() {
		body, _ := strings.CutSuffix(s, `"`)
		want, ok := wantUnquoted([]byte(body))
		if !ok {
			continue
		}
		for room := 0; room <= 3*len(body)+9; room++ {
			if got := unquotedIn(room, []byte(body)); string(got) != "keep"+want {
				t.Fatalf("AppendUnquoted(%q) with %d bytes of room = %q, want %q", body, room, got[4:], want)
			}
		}
	}
}

// unquotedIn returns AppendUnquoted of b after "keep" in a dst with room
// bytes to spare, filled with junk.
func unquotedIn(room int, b []byte) []byte {
	dst := append(make([]byte, 0, 4+room), "keep"...)
	junk := dst[4:cap(dst)]
	for i := range junk {
		junk[i] = '#'
	}
	return AppendUnquoted(dst, b)
}

func TestPlainEnd(t *testing.T) {
	for c := 0; c < 256; c++ {
		for pre := 0; pre <= 17; pre++ {
			b := []byte(strings.Repeat("p", pre) + "x" + "0123456789")
			b[pre] = byte(c)
			want := pre
			if c != '\\' && c < utf8.RuneSelf {
				want = len(b)
			}
			if got := plainEnd(b, 0); got != want {
				t.Errorf("plainEnd(%q) = %d, want %d", b, got, want)
			}
		}
	}
}

func FuzzStringEnd(f *testing.F) {
	for _, s := range []string{`abc"`, `C:\\Windows\\cmd.exe"`, `\u00e9\ud83d\ude00"`, "abcdefgh\x01\"", `é"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for i := 0; i <= len(data) && i < 9; i++ {
			end, esc, high := StringEnd(data, i)
			wEnd, wEsc, wHigh := naiveStringEnd(data, i)
			if end != wEnd || esc != wEsc || high != wHigh {
				t.Fatalf("StringEnd(%q, %d) = %d, %v, %v, want %d, %v, %v", data, i, end, esc, high, wEnd, wEsc, wHigh)
			}
			if got, want := KeyEnd(data, i), naiveKeyEnd(data, i); got != want {
				t.Fatalf("KeyEnd(%q, %d) = %d, want %d", data, i, got, want)
			}
		}
	})
}

func FuzzAppendUnquoted(f *testing.F) {
	for _, s := range []string{`abc`, `C:\\Windows\\cmd.exe`, `\u00e9\ud83d\ude00x`, "\xffabcdefgh\xc3", `\ud83d\u0041`,
		`C:\\Program Files\\x\\y.exe\t\"-a\"\r\n\u00e9abcdefgh`, "abcdefg\xffhijklmnop\xe2\x82"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		end, _, _ := StringEnd(append(body[:len(body):len(body)], '"'), 0)
		want, ok := wantUnquoted(body)
		if (end == len(body)) != ok {
			t.Fatalf("StringEnd(%q) = %d, encoding/json takes it: %v", body, end, ok)
		}
		if !ok {
			return // AppendUnquoted takes valid strings only
		}
		// Room for the text exactly and one byte short: fastUnquoted
		// hands over to the loop within the text's last bytes.
		for _, room := range []int{0, 3 * len(body), len(body) + 8, len(body), len(want), max(len(want)-1, 0)} {
			if got := unquotedIn(room, body); string(got) != "keep"+want {
				t.Fatalf("AppendUnquoted(%q) with %d bytes of room = %q, want %q", body, room, got[4:], want)
			}
		}
	})
}

func ExampleStringEnd() {
	data := []byte(`"C:\\Windows\\cmd.exe", "next"`)
	end, esc, high := StringEnd(data, 1)
	fmt.Println(end, esc, high, string(AppendUnquoted(nil, data[1:end])))
	// Output: 21 true false C:\Windows\cmd.exe
}
