package matcher

import (
	"fmt"
	"regexp"
	"testing"
)

// regexCases are expressions of SigmaHQ rules and others with literals
// Regex searches for before running them, and values with and without
// those literals, in other cases, and spelled with runes whose simple
// case folding holds ASCII letters (ſ is s, K the Kelvin sign is k).
var regexCases = []struct {
	src    string
	fold   bool
	values []string
}{
	{`(?i)\s['"]?C:\\Windows\\(?:System32|SysWOW64|WinSxS)`, false, []string{`copy "C:\windows\system32\cmd.exe" x`, `copy C:\Windows\Temp\x`, ` c:\windowſ\syſtem32`, ""}},
	{`cmd.{0,5}(?:/c|/r).+powershell.+(?:\$\{?input\}?|noexit).+\"`, true, []string{`CMD /C POWERSHELL -NOEXIT "x"`, `cmd /c powerſhell -noexit "`, `cmd /c pwsh`, `cmd.exe /r powershell ${input} "`}},
	{`https?://(?:0[0-9]{1,11}\.){3}0[0-9]{1,11}`, false, []string{"http://0127.00.00.01", "HTTP://0127.00.00.01", "ftp://x"}},
	{`^[Cc]:\\.{1,9}\.exe`, false, []string{`C:\abc.exe`, `c:\x.EXE`, `d:\a.exe`}},
	{`(?i)kelvin`, false, []string{"KELVIN", "\u212aelvin", "kelvim"}},
	{`s+t`, true, []string{"SST", "ſt", "xt"}},
	{`a|b|c|d|e|f|g|h|i`, false, []string{"zzz", "zzi"}}, // more literals than maxPrefilter
	{`\d+`, false, []string{"12", "ab"}},                 // no literal
	{`(?i)é`, false, []string{"É", "e"}},
	{`x\x{fffd}y`, false, []string{"x\xffy", "x\ufffdy", "xy"}}, // an invalid byte reads as U+FFFD
}

// TestRegexPrefilter checks Regex.Match against the expression alone: the
// literal search before it never refuses a value the expression matches.
func TestRegexPrefilter(t *testing.T) {
	filtered := 0
	for _, tc := range regexCases {
		m, err := NewRegex(tc.src, tc.fold)
		if err != nil {
			t.Fatal(err)
		}
		if m.pre != nil {
			filtered++
		}
		for _, v := range tc.values {
			if got, want := m.Match(v), m.re.MatchString(v); got != want {
				t.Errorf("%s.Match(%q) = %v, want %v", m, v, got, want)
			}
		}
	}
	if filtered < 6 {
		t.Errorf("%d expressions have a prefilter, want at least 6", filtered)
	}
}

// FuzzRegex checks Regex.Match against Go's regexp on the same
// expression, for any expression and value.
func FuzzRegex(f *testing.F) {
	for _, tc := range regexCases {
		for _, v := range tc.values {
			f.Add(tc.src, tc.fold, v)
		}
	}
	f.Fuzz(func(t *testing.T, src string, fold bool, v string) {
		m, err := NewRegex(src, fold)
		if err != nil {
			return
		}
		if fold {
			src = "(?i)" + src
		}
		if got, want := m.Match(v), regexp.MustCompile(src).MatchString(v); got != want {
			t.Errorf("NewRegex(%q, %v).Match(%q) = %v, want %v", src, fold, v, got, want)
		}
	})
}

// TestRegexSequence checks the steps regexSequence finds in expressions
// of SigmaHQ rules and others, and that Regex refuses values holding the
// texts out of order, or too few times, without running the expression
// (mayMatch false), while values holding them in order run it.
func TestRegexSequence(t *testing.T) {
	tests := []struct {
		src     string
		want    string   // the steps, printed
		refused []string // values mayMatch refuses
		run     []string // values mayMatch lets through
	}{
		{"(?i)echo.*clip.*&&.*(?:Clipboard|i`?n`?v`?o`?k`?e`?)", `[[ECHO] [CLIP] [&&] [CLIPBOARD I]]`,
			[]string{"clip && echo invoke", "echo && clip invoke", "ECHO x | clip", "echoclip&&"},
			[]string{"ECHO x | CLIP && Invoke", "echo clip&&clipboard", "echo x && clip && i`nvoke"}},
		{`\+.*\+.*\+.*\+`, `[[+] [+] [+] [+]]`, []string{"a+b+c+d", "++ +"}, []string{"++++", "a+b+c+d+"}},
		{`cmd.{0,5}(?:/c|/r).+powershell.+(?:\$\{?input\}?|noexit).+\"`, `[[cmd] [/] [powershell] [input noexit] ["]]`,
			[]string{`powershell cmd /c -noexit "`, `cmd /c powershell "noexit`}, []string{`cmd /c powershell -noexit "x"`}},
		{`(?i)(set).*&&\s?set.*(environment|invoke|\$\{?input).*&&.*\"`, `[[SET] [&&] [SET] [ENVIRONMENT INVOKE INPUT] [&&] ["]]`,
			[]string{`set a&&set invoke"&&`, `set&&set&&invoke"`}, []string{`SET a && set Invoke && "`}},
		{`(ab)+c`, `[[ab] [c]]`, []string{"cab"}, []string{"abababc"}},
		{`a{3}`, `[[a] [a] [a]]`, []string{"aa", "a\nab"}, []string{"baaa"}},
		{`abc`, `[[abc]]`, nil, nil}, // one step: Regex keeps pre
		{`\d+`, `[]`, nil, nil},
	}
	for _, tc := range tests {
		if got := fmt.Sprint(regexSequence(tc.src)); got != tc.want {
			t.Errorf("regexSequence(%q) = %s, want %s", tc.src, got, tc.want)
		}
		m, err := NewRegex(tc.src, true)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range tc.refused {
			if m.mayMatch(v) || m.re.MatchString(v) {
				t.Errorf("%s: %q not refused (mayMatch %v) or matched", m, v, m.mayMatch(v))
			}
		}
		for _, v := range tc.run {
			if !m.mayMatch(v) || !m.re.MatchString(v) {
				t.Errorf("%s: %q refused (mayMatch %v) or not matched", m, v, m.mayMatch(v))
			}
		}
	}
}

// TestRegexGapped checks expressions of texts joined by .*, which Regex
// decides without running them on values without line breaks: which
// expressions are gapped, and Match against regexp on every value of up
// to four characters over an alphabet with line breaks, runes whose
// simple case folding holds ASCII letters, and an invalid byte.
func TestRegexGapped(t *testing.T) {
	cases := []struct {
		src    string
		fold   bool
		gapped bool
	}{
		{`\+.*\+.*\+`, false, true},
		{`(?i)a.*b`, false, true},
		{`a.*b`, true, true},
		{`.*ab.*s.*`, true, true},
		{`a.*b`, false, false},       // case-sensitive letters
		{`1.*2`, false, true},        // no other case
		{`(?i:a)b.*c`, true, false},  // two literals with no gap: adjacent
		{`a.*b$`, true, false},       // an anchor
		{`(?s)a.*b`, true, false},    // .* spans line breaks
		{`a.+b`, true, false},        // .+ needs a character
		{`a.*\x{fffd}`, true, false}, // U+FFFD also matches an invalid byte
		{`ab`, true, false},          // one text: pre
		{`(?-i)A.*b`, true, false},   // fold, but a flag makes A case-sensitive
		{`a.*(?-i:B)`, true, false},  // the same within a group
		{`(?-i)1.*2`, true, true},    // a flag, but no other case
	}
	alphabet := []string{"a", "A", "b", "s", "ſ", "\u212a", "k", "+", "1", "2", "\n", "\xff", "c"}
	values := allStrings(alphabet, 4)
	for _, tc := range cases {
		m, err := NewRegex(tc.src, tc.fold)
		if err != nil {
			t.Fatal(err)
		}
		if m.gapped != tc.gapped {
			t.Errorf("NewRegex(%q, %v): gapped %v, want %v", tc.src, tc.fold, m.gapped, tc.gapped)
		}
		for _, v := range values {
			if got, want := m.Match(v), m.re.MatchString(v); got != want {
				t.Fatalf("NewRegex(%q, %v).Match(%q) = %v, want %v", tc.src, tc.fold, v, got, want)
			}
		}
	}
}
