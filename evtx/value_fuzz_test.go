package evtx

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"testing"
)

// FuzzAppendUTF16JSON compares appendUTF16JSON, which copies eight ASCII
// characters at a time, with its reference (naiveUTF16JSON: package utf16,
// then byte-by-byte escaping) on any bytes, escaped or not, after text
// already in the buffer; and appendStringJSON, which copies the runs
// between characters to escape, with escaping byte by byte, on the same
// bytes as UTF-8 text. Seeds in testdata/fuzz/FuzzAppendUTF16JSON.
func FuzzAppendUTF16JSON(f *testing.F) {
	for _, s := range []string{`C:\Windows\System32\cmd.exe`, "\"a\tb\"\x00tail", "é€\U0001F600", "abcdefgh\x1f"} {
		f.Add(u16s(s), true)
	}
	f.Add([]byte{'a', 0, 0x00, 0xd8, 'c', 0, 0x00, 0xdc, 'x'}, false) // unpaired surrogates, odd length
	f.Fuzz(func(t *testing.T, r []byte, escape bool) {
		want := naiveUTF16JSON(r, escape)
		if got := string(appendUTF16JSON([]byte("pre"), r, escape)); got != "pre"+want {
			t.Errorf("appendUTF16JSON(pre, % x, %v) = %q, want %q", r, escape, got, "pre"+want)
		}
		var ref []byte
		for _, c := range r {
			ref = appendASCIIJSON(ref, c)
		}
		if got := appendStringJSON([]byte("pre"), r); string(got) != "pre"+string(ref) {
			t.Errorf("appendStringJSON(pre, %q) = %q, want %q", r, got, "pre"+string(ref))
		}
	})
}

// FuzzAppendTime compares appendFiletime, which works the calendar out
// from the day number, with package time's (naiveFiletime) on any
// FILETIME, and appendSystime with fmt's printing of its fields on any
// 16 bytes. Seeds in testdata/fuzz/FuzzAppendTime.
func FuzzAppendTime(f *testing.F) {
	f.Add(uint64(0), make([]byte, 16))
	f.Add(uint64(133_497_000_000_000_000), []byte{0xe8, 0x07, 2, 0, 4, 0, 29, 0, 23, 0, 59, 0, 58, 0, 0xe7, 0x03})
	f.Add(^uint64(0), bytes.Repeat([]byte{0xff}, 16))
	f.Fuzz(func(t *testing.T, ft uint64, sys []byte) {
		if got, want := string(appendFiletime([]byte("pre"), ft)), "pre"+naiveFiletime(ft); got != want {
			t.Errorf("appendFiletime(%d) = %q, want %q", ft, got, want)
		}
		if len(sys) < 16 {
			return
		}
		u := func(i int) int { return int(binary.LittleEndian.Uint16(sys[2*i:])) }
		want := fmt.Sprintf("pre%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", u(0), u(1), u(3), u(4), u(5), u(6), u(7)*1000)
		if got := string(appendSystime([]byte("pre"), sys)); got != want {
			t.Errorf("appendSystime(% x) = %q, want %q", sys[:16], got, want)
		}
	})
}
