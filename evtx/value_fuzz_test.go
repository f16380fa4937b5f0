package evtx

import "testing"

// FuzzAppendUTF16JSON compares appendUTF16JSON, which copies four ASCII
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
