package matcher

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestMatchers(t *testing.T) {
	tests := []struct {
		name string
		m    Matcher
		in   string
		want bool
	}{
		{"exact_same", NewExact("mofcomp.exe", false), "mofcomp.exe", true},
		{"exact_case_sensitive_rejects_upper", NewExact("mofcomp.exe", false), "MOFCOMP.EXE", false},
		{"exact_fold_upper", NewExact("mofcomp.exe", true), "MOFCOMP.EXE", true},
		{"exact_fold_pattern_upper", NewExact("MofComp.EXE", true), "mofcomp.exe", true},
		{"exact_longer_value", NewExact("mofcomp.exe", true), "mofcomp.exe.bak", false},
		{"exact_shorter_value", NewExact("mofcomp.exe", true), "mofcomp.ex", false},
		{"exact_empty_matches_empty", NewExact("", true), "", true},
		{"exact_empty_rejects_text", NewExact("", true), "x", false},
		{"exact_kelvin_sign_folds_to_k", NewExact("k", true), "\u212a", true},
		{"exact_long_s_folds_to_s", NewExact("S", true), "\u017f", true},
		{"exact_greek_sigma_forms", NewExact("σ", true), "Σ", true},
		{"exact_final_sigma", NewExact("σ", true), "ς", true},
		{"exact_umlaut", NewExact("ÜBER", true), "über", true},
		{"exact_invalid_utf8_same_byte", NewExact("a\xffb", true), "A\xffB", true},
		{"exact_invalid_utf8_other_byte", NewExact("a\xffb", true), "a\xfeb", false},
		{"exact_invalid_vs_replacement_char", NewExact("a\xffb", true), "a\ufffdb", false},
		{"prefix_match", NewPrefix(`C:\Windows\`, true), `c:\windows\system32`, true},
		{"prefix_too_short", NewPrefix(`C:\Windows\`, true), `c:\win`, false},
		{"prefix_cs_rejects_case", NewPrefix(`C:\Windows\`, false), `c:\windows\x`, false},
		{"prefix_empty_matches_all", NewPrefix("", true), "anything", true},
		{"suffix_match", NewSuffix(`\mofcomp.exe`, true), `C:\Windows\System32\wbem\MOFCOMP.EXE`, true},
		{"suffix_no_backslash", NewSuffix(`\mofcomp.exe`, true), `mofcomp.exe`, false},
		{"suffix_unicode_value", NewSuffix(".mof", true), "Ärger.MOF", true},
		{"suffix_kelvin_in_value", NewSuffix("k.exe", true), "\u212a.exe", true},
		{"contains_match", NewContains(`\appdata\local\temp`, true), `C:\Users\x\AppData\Local\Temp\a.mof`, true},
		{"contains_missing", NewContains(`\appdata\local\temp`, true), `C:\Users\x\AppData\Local\a.mof`, false},
		{"contains_at_start", NewContains("abc", true), "ABCdef", true},
		{"contains_at_end", NewContains("def", true), "abcDEF", true},
		{"contains_overlap_retry", NewContains("aab", true), "aaab", true},
		{"contains_unicode_needle", NewContains("ü", true), "xÜx", true},
		{"contains_kelvin_in_value", NewContains("ok", true), "o\u212ay", true},
		{"contains_cs", NewContains("Temp", false), "temp", false},
		{"contains_empty", NewContains("", true), "", true},
		{"both_match", NewBoth(`C:\`, ".mof", true), `c:\x\y.MOF`, true},
		{"both_overlap_rejected", NewBoth("ab", "ba", true), "aba", false},
		{"both_adjacent", NewBoth("ab", "ba", true), "abba", true},
		{"both_cs", NewBoth("ab", "cd", false), "abXcd", true},
		{"both_cs_case", NewBoth("ab", "cd", false), "ABXcd", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.m.Match(tt.in); got != tt.want {
				t.Errorf("%s.Match(%q) = %v, want %v", tt.m, tt.in, got, tt.want)
			}
		})
	}
}

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"abc", "abc"},
		{"ABC", "abc"},
		{"C:\\Windows\\MOFCOMP.exe", "c:\\windows\\mofcomp.exe"},
		{"\u212a", "k"},
		{"ÜBER", "über"},
		{"Σς", "σσ"},
		{"a\xffB", "a\xffb"},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	// Long values, folded eight ASCII bytes at a time: code point by
	// code point gives the same, with non-ASCII and invalid bytes at
	// every offset.
	r := rand.New(rand.NewPCG(62, 8))
	pieces := []string{"a", "Z", "@", "[", "`", "{", "\\", "Ü", "\u212a", "\xff", "0", "~"}
	for range 3000 {
		var b strings.Builder
		for range r.IntN(40) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		in := b.String()
		var want []byte
		for i := 0; i < len(in); {
			r, n := utf8.DecodeRuneInString(in[i:])
			if r == utf8.RuneError && n == 1 {
				want = append(want, in[i])
			} else {
				want = utf8.AppendRune(want, FoldRune(r))
			}
			i += n
		}
		if got := Fold(in); got != string(want) {
			t.Fatalf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNewMatchers(t *testing.T) {
	cidr, err := NewCIDR([]string{"10.0.0.0/8", "fe80::/10", "192.168.1.1", "::ffff:172.16.0.0/108"})
	if err != nil {
		t.Fatal(err)
	}
	re, err := NewRegex(`^C:\\Windows\\.*\.exe$`, true)
	if err != nil {
		t.Fatal(err)
	}
	reCS, _ := NewRegex(`^a+$`, false)
	tests := []struct {
		name string
		m    Matcher
		in   string
		want bool
	}{
		{"cidr_ipv4_inside", cidr, "10.200.3.4", true},
		{"cidr_ipv4_outside", cidr, "11.0.0.1", false},
		{"cidr_single_address", cidr, "192.168.1.1", true},
		{"cidr_single_address_neighbour", cidr, "192.168.1.2", false},
		{"cidr_ipv6_inside", cidr, "fe80::1", true},
		{"cidr_ipv6_zone_ignored", cidr, "fe80::1%eth0", true},
		{"cidr_mapped_ipv4_value", cidr, "::ffff:10.1.1.1", true},
		{"cidr_mapped_range", cidr, "172.16.5.5", true},
		{"cidr_not_an_address", cidr, "host.example", false},
		{"cidr_empty", cidr, "", false},
		{"cidr_garbage_hex", cidr, "deadbeef", false},
		{"regex_fold", re, `c:\windows\System32\CMD.EXE`, true},
		{"regex_anchored_rejects", re, `x c:\windows\cmd.exe`, false},
		{"regex_case_sensitive", reCS, "aaa", true},
		{"regex_case_sensitive_rejects", reCS, "AAA", false},
	}
	for _, tt := range tests {
		if got := tt.m.Match(tt.in); got != tt.want {
			t.Errorf("%s: %s.Match(%q) = %v, want %v", tt.name, tt.m, tt.in, got, tt.want)
		}
	}
	if _, err := NewCIDR([]string{"10.0.0.0/40"}); err == nil {
		t.Error("NewCIDR accepted /40")
	}
}
