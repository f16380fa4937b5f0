package matcher

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge/internal/randtext"
)

// anyMatch reports whether some matcher of ms matches v: what a Set of
// them, and a list Merge rewrote, must report.
func anyMatch(ms []Matcher, v string) bool {
	for _, m := range ms {
		if m.Match(v) {
			return true
		}
	}
	return false
}

// checkSet compares s.Match(v) with the OR of s's members.
func checkSet(t *testing.T, s *Set, v string) {
	t.Helper()
	if got, want := s.Match(v), anyMatch(s.members, v); got != want {
		t.Errorf("%s.Match(%q) = %v, want %v (the OR of its members)", s, v, got, want)
	}
}

// TestSetMatch checks a Set of every kind of member on hand-picked
// values, among them non-ASCII code points that fold to ASCII letters.
func TestSetMatch(t *testing.T) {
	s := NewSet([]Matcher{
		NewExact("cmd.exe", true),
		NewExact("SSH", true),
		NewPrefix(`C:\Windows\`, true),
		NewPrefix("k", true),
		NewSuffix(".ps1", true),
		NewSuffix("-s", true),
		NewContains("mimikatz", true),
		NewContains("invoke-", true),
	})
	tests := []struct {
		v    string
		want bool
	}{
		{"cmd.exe", true},
		{"CMD.EXE", true},
		{"cmd.exe ", false},
		{"xcmd.exe", false},
		{"ssh", true},
		{"\u017f\u017fh", true}, // long s folds to s
		{"\u017fSH", true},
		{"sh", false},
		{`c:\windows\system32\x.dll`, true},
		{`C:\WINDOWS\`, true},
		{`C:\Windows`, false},
		{`D:\c:\windows\`, false},
		{"kernel", true},
		{"Kernel", true},
		{"\u212aernel", true}, // the Kelvin sign folds to k
		{"\u212a", true},
		{"\xe2\x84", false}, // the Kelvin sign cut short
		{"a.ps1", true},
		{"A.PS1", true},
		{"é.Ps1", true},
		{"a.ps1 ", false},
		{"a-S", true},
		{"a-\u017f", true},
		{"xMiMiKaTz.exe", true},
		{"mimikat", false},
		{"\xffmimikatz\xff", true},
		{"mimi\xffkatz", false},
		{"powershell INVO\u212aE-Expression", true},
		{"invoke", false},
		{"", false},
		{"\xff", false},
		{"ß", false},
		{"cmd.exé", false},
	}
	for _, tt := range tests {
		if got := s.Match(tt.v); got != tt.want {
			t.Errorf("%s.Match(%q) = %v, want %v", s, tt.v, got, tt.want)
		}
		checkSet(t, s, tt.v)
	}
}

// TestSetKinds checks Sets of one kind of member only, where the other
// tables are missing.
func TestSetKinds(t *testing.T) {
	tests := []struct {
		ms   []Matcher
		v    string
		want bool
	}{
		{[]Matcher{NewExact("a", true), NewExact("b", true)}, "B", true},
		{[]Matcher{NewExact("a", true), NewExact("b", true)}, "ab", false},
		{[]Matcher{NewPrefix("a", true), NewPrefix("b", true)}, "Bz", true},
		{[]Matcher{NewPrefix("a", true), NewPrefix("b", true)}, "zb", false},
		{[]Matcher{NewSuffix("a", true), NewSuffix("b", true)}, "zB", true},
		{[]Matcher{NewSuffix("a", true), NewSuffix("b", true)}, "bz", false},
		{[]Matcher{NewContains("ab", true), NewContains("cd", true)}, "xCDx", true},
		{[]Matcher{NewContains("ab", true), NewContains("cd", true)}, "acbd", false},
		// Without an exact text the value is folded only when it is not ASCII.
		{[]Matcher{NewPrefix("k", true), NewPrefix("b", true)}, "\u212az", true},
		{[]Matcher{NewPrefix("k", true), NewPrefix("b", true)}, "é\u212a", false},
		{[]Matcher{NewSuffix("s", true), NewSuffix("b", true)}, "é\u017f", true},
		{[]Matcher{NewContains("ks", true), NewContains("b", true)}, "x\u212a\u017fx", true},
		{[]Matcher{NewContains("ks", true), NewContains("b", true)}, "x\u212aé\u017fx", false},
	}
	for _, tt := range tests {
		s := NewSet(tt.ms)
		if got := s.Match(tt.v); got != tt.want {
			t.Errorf("%s.Match(%q) = %v, want %v", s, tt.v, got, tt.want)
		}
		checkSet(t, s, tt.v)
	}
}

// TestSetString checks how a Set describes itself.
func TestSetString(t *testing.T) {
	s := NewSet([]Matcher{NewExact("A", true), NewPrefix("b", true), NewSuffix(`\c`, true), NewContains(`"d"`, true)})
	want := `set~ {exact~ "a", prefix~ "b", suffix~ "\c", contains~ "\"d\""}`
	if got := s.String(); got != want {
		t.Errorf("String() = %s, want %s", got, want)
	}
	if s.Kind() != KindSet || KindSet.String() != "set" {
		t.Errorf("Kind() = %v, want set", s.Kind())
	}
}

// TestMerge checks which matchers Merge puts in a Set, and that it
// returns lists with fewer than MinSet mergeable matchers unchanged.
func TestMerge(t *testing.T) {
	e, p, s, c := NewExact("a.exe", true), NewPrefix(`c:\`, true), NewSuffix(".dll", true), NewContains("temp", true)
	re, err := NewRegex("x+", true)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		ms   []Matcher
		set  []int // indexes in ms of the Set's members, in order; nil: ms comes back unchanged
		rest []int // indexes in ms of the matchers after the Set, in order
	}{
		{"empty", nil, nil, nil},
		{"fewer_than_min", []Matcher{e, p, s}, nil, nil},
		{"min", []Matcher{e, p, s, c}, []int{0, 1, 2, 3}, nil},
		{"same_kind", []Matcher{c, NewContains("a", true), NewContains("b", true), NewContains("c", true)}, []int{0, 1, 2, 3}, nil},
		{"case_sensitive_not_counted", []Matcher{e, p, s, NewContains("temp", false)}, nil, nil},
		{"case_sensitive_kept_out",
			[]Matcher{NewExact("X", false), e, p, re, s, c, NewSuffix("Y", false)},
			[]int{1, 2, 4, 5}, []int{0, 3, 6}},
		{"non_ascii_not_counted", []Matcher{e, p, s, NewContains("über", true)}, nil, nil},
		{"non_ascii_kept_out", []Matcher{NewPrefix("é", true), e, p, s, c}, []int{1, 2, 3, 4}, []int{0}},
		{"empty_text_not_counted", []Matcher{e, p, s, NewPrefix("", true)}, nil, nil},
		{"empty_exact_not_counted", []Matcher{e, p, s, NewExact("", true)}, nil, nil},
		{"kelvin_pattern_folds_to_ascii", []Matcher{e, p, s, NewContains("\u212a", true)}, []int{0, 1, 2, 3}, nil},
		{"others_only", []Matcher{re, NewExact("A", false), NewExact("B", false), NewExact("C", false)}, nil, nil},
		{"set_not_remerged", []Matcher{NewSet([]Matcher{e, p, s, c}), e, p, s}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Merge(tt.ms)
			if tt.set == nil {
				if len(got) != len(tt.ms) || (len(got) > 0 && &got[0] != &tt.ms[0]) {
					t.Fatalf("Merge(%v) = %v, want it unchanged", tt.ms, got)
				}
				return
			}
			if len(got) != 1+len(tt.rest) {
				t.Fatalf("Merge(%v) = %v, want a Set and %d more", tt.ms, got, len(tt.rest))
			}
			set, ok := got[0].(*Set)
			if !ok {
				t.Fatalf("Merge(%v)[0] = %v, want a Set", tt.ms, got[0])
			}
			if len(set.members) != len(tt.set) {
				t.Fatalf("Set members %v, want %d", set.members, len(tt.set))
			}
			for i, j := range tt.set {
				if set.members[i] != tt.ms[j] {
					t.Errorf("Set member %d = %v, want %v", i, set.members[i], tt.ms[j])
				}
			}
			for i, j := range tt.rest {
				if got[1+i] != tt.ms[j] {
					t.Errorf("Merge(…)[%d] = %v, want %v", 1+i, got[1+i], tt.ms[j])
				}
			}
		})
	}
}

// setPieces are what random values for Sets are made of: ASCII letters
// of either case, the two non-ASCII code points that fold to ASCII
// letters (the Kelvin sign and the long s), other non-ASCII letters,
// and invalid bytes, some of them a cut-short Kelvin sign.
var setPieces = []string{"a", "b", "k", "s", ".", "\\", "A", "K", "S", "\u212a", "\u017f", "é", "É", "ß", "\xff", "\xe2\x84", "\xc5", " "}

// randMember returns a random string matcher: mostly case-insensitive
// exact, prefix, suffix and contains matchers over ASCII texts (which
// Merge takes), sometimes a case-sensitive, non-ASCII or empty one
// (which it must leave out), rarely another kind.
func randMember(r *rand.Rand) Matcher {
	const alpha = "abks.\\ABKS"
	var b strings.Builder
	for range 1 + r.IntN(3) {
		b.WriteByte(alpha[r.IntN(len(alpha))])
	}
	text := b.String()
	fold := r.IntN(8) != 0
	switch r.IntN(16) {
	case 0:
		text = ""
	case 1:
		text += "é"
	case 2:
		text = "\u212a" + text // folds to "k": still ASCII
	case 3:
		m, err := NewRegex("^"+regexp.QuoteMeta(text), fold)
		if err != nil {
			panic(err)
		}
		return m
	}
	switch r.IntN(4) {
	case 0:
		return NewExact(text, fold)
	case 1:
		return NewPrefix(text, fold)
	case 2:
		return NewSuffix(text, fold)
	}
	return NewContains(text, fold)
}

// checkMerge checks Merge(ms): it must match what ms matches, and either
// return ms or a Set of exactly ms's mergeable matchers (at least MinSet)
// followed by the others in order.
func checkMerge(t *testing.T, ms []Matcher, values []string) {
	t.Helper()
	var in, out []Matcher
	for _, m := range ms {
		if mergeable(m) {
			in = append(in, m)
		} else {
			out = append(out, m)
		}
	}
	got := Merge(ms)
	if len(in) < MinSet {
		if len(got) != len(ms) || (len(ms) > 0 && &got[0] != &ms[0]) {
			t.Fatalf("Merge(%v) = %v, want it unchanged", ms, got)
		}
	} else {
		set, ok := got[0].(*Set)
		if !ok || len(got) != 1+len(out) || len(set.members) != len(in) {
			t.Fatalf("Merge(%v) = %v, want a Set of %d and %d more", ms, got, len(in), len(out))
		}
		for i := range in {
			if set.members[i] != in[i] {
				t.Fatalf("Merge(%v): Set member %d = %v, want %v", ms, i, set.members[i], in[i])
			}
		}
		for i := range out {
			if got[1+i] != out[i] {
				t.Fatalf("Merge(%v)[%d] = %v, want %v", ms, 1+i, got[1+i], out[i])
			}
		}
		for _, v := range values {
			checkSet(t, set, v)
		}
	}
	for _, v := range values {
		if a, b := anyMatch(got, v), anyMatch(ms, v); a != b {
			t.Errorf("value %q: Merge(%v) matches %v, the list %v", v, ms, a, b)
		}
	}
}

// TestMergeRandom checks Merge and Set.Match over random lists of
// matchers and random values (a fixed seed).
func TestMergeRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	sets, hits := 0, 0
	for range 3000 {
		ms := make([]Matcher, r.IntN(12))
		for i := range ms {
			ms[i] = randMember(r)
		}
		values := make([]string, 20)
		for i := range values {
			values[i] = randtext.String(r, setPieces, 6, false)
		}
		checkMerge(t, ms, values)
		if t.Failed() {
			return
		}
		if got := Merge(ms); len(got) > 0 {
			if s, ok := got[0].(*Set); ok {
				sets++
				for _, v := range values {
					if s.Match(v) {
						hits++
					}
				}
			}
		}
	}
	if sets < 1000 || hits < 4000 {
		t.Errorf("%d Sets matched %d values: too few to mean much", sets, hits)
	}
}

// parseMembers turns a fuzz input into matchers: items split on "|",
// each a kind letter and a text; lower case e, p, s, c for
// case-insensitive exact, prefix, suffix and contains, upper case for
// case-sensitive; any other first byte is part of a case-insensitive
// contains text.
func parseMembers(spec string) []Matcher {
	var ms []Matcher
	for _, item := range strings.Split(spec, "|") {
		kind, text := byte('c'), item
		if item != "" && strings.IndexByte("epscEPSC", item[0]) >= 0 {
			kind, text = item[0], item[1:]
		}
		fold := kind >= 'a'
		switch kind | 0x20 {
		case 'e':
			ms = append(ms, NewExact(text, fold))
		case 'p':
			ms = append(ms, NewPrefix(text, fold))
		case 's':
			ms = append(ms, NewSuffix(text, fold))
		default:
			ms = append(ms, NewContains(text, fold))
		}
		if len(ms) == 64 {
			break
		}
	}
	return ms
}

// FuzzSet builds matchers from its first input (see parseMembers),
// merges them and checks that the Set and the merged list match the
// second input exactly when the matchers do.
func FuzzSet(f *testing.F) {
	f.Add("ecmd.exe|pc:\\windows\\|s.ps1|cmimikatz", "C:\\WINDOWS\\x")
	f.Add("essh|pk|s-s|cinvoke-", "\u017f\u017fH")
	f.Add("ek|pk|sk|ck", "\u212a")
	f.Add("ea|pb|sc|Cd|Ee", "xdx")
	f.Add("eé|pa|sa|ca|ea", "\xc3\xa9")
	f.Add("cab|cbc|cca|cabc", "x\xffAB\xe2\x84")
	f.Fuzz(func(t *testing.T, spec, v string) {
		if len(spec) > 1024 || len(v) > 1024 {
			return
		}
		checkMerge(t, parseMembers(spec), []string{v})
	})
}
