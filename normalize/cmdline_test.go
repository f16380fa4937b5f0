package normalize_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge/normalize"
)

// splitTests are command lines and their arguments. The ones marked MS
// are the examples of Microsoft's "Parsing C++ command-line arguments"
// (with a program name in front, which that table leaves out); the last of
// them is where CommandLineToArgvW, which SplitCommandLine follows, and
// the C runtime since 2008 differ.
var splitTests = []struct {
	name string
	in   string
	want []string
}{
	// No arguments.
	{"empty", ``, nil},
	{"blanks only", " \t  ", nil},

	// The program name.
	{"program only", `C:\Windows\System32\mofcomp.exe`, []string{`C:\Windows\System32\mofcomp.exe`}},
	{"leading blanks skipped", " \t prog a", []string{`prog`, `a`}},
	{"quoted program with spaces", `"C:\Program Files\a b.exe" x`, []string{`C:\Program Files\a b.exe`, `x`}},
	{"quoted program ends at its quote", `"C:\a b\c.exe"x y`, []string{`C:\a b\c.exe`, `x`, `y`}},
	{"quoted program, no backslash escapes", `"a\"b c`, []string{`a\`, `b`, `c`}},
	{"quoted program left open", `"C:\Program Files\x.exe -a`, []string{`C:\Program Files\x.exe -a`}},
	{"unquoted program keeps quotes", `a"b c"d`, []string{`a"b`, `cd`}},
	{"unquoted program keeps backslashes", `prog\"x y`, []string{`prog\"x`, `y`}},
	{"empty quoted program", `"" x`, []string{``, `x`}},
	{"lone quote", `"`, []string{``}},

	// Microsoft's examples.
	{"MS 1", `prog "abc" d e`, []string{`prog`, `abc`, `d`, `e`}},
	{"MS 2", `prog a\\\b d"e f"g h`, []string{`prog`, `a\\\b`, `de fg`, `h`}},
	{"MS 3", `prog a\\\"b c d`, []string{`prog`, `a\"b`, `c`, `d`}},
	{"MS 4", `prog a\\\\"b c" d e`, []string{`prog`, `a\\b c`, `d`, `e`}},
	{"MS 5 (pre-2008 rule)", `prog a"b"" c d`, []string{`prog`, `ab"`, `c`, `d`}},

	// Separators.
	{"tabs and runs of blanks", "prog a\t\tb   c", []string{`prog`, `a`, `b`, `c`}},
	{"trailing blanks", "prog a  \t", []string{`prog`, `a`}},
	{"blank inside quotes", "prog \"a \tb\" c", []string{`prog`, "a \tb", `c`}},
	{"quotes inside an argument", `prog a"b c"d`, []string{`prog`, `ab cd`}},

	// Backslashes.
	{"backslashes literal", `prog C:\dir\\sub\ x`, []string{`prog`, `C:\dir\\sub\`, `x`}},
	{"escaped quote", `prog \"a\"`, []string{`prog`, `"a"`}},
	{"even backslashes then quote", `prog \\"a b\\"`, []string{`prog`, `\a b\`}},
	{"quoted path ending in backslash", `prog "C:\dir\\" x`, []string{`prog`, `C:\dir\`, `x`}},
	{"escaped quote left open", `prog "a\" b`, []string{`prog`, `a" b`}},

	// Double quotes in a row.
	{"empty argument", `prog "" x`, []string{`prog`, ``, `x`}},
	{"two empty arguments", `prog "" ""`, []string{`prog`, ``, ``}},
	{"doubled quote inside quotes closes", `prog "a""b" c`, []string{`prog`, `a"b c`}},
	{"tripled quote inside quotes stays quoted", `prog "a"""b c"`, []string{`prog`, `a"b c`}},
	{"three quotes", `prog """`, []string{`prog`, `"`}},
	{"four quotes", `prog """" x`, []string{`prog`, `" x`}},
	{"six quotes", `prog """""" x`, []string{`prog`, `""`, `x`}},
	{"quoted part left open", `prog "a b`, []string{`prog`, `a b`}},

	// Real command lines.
	{"mofcomp", `mofcomp.exe C:\Users\bob\AppData\Local\Temp\evil.mof`, []string{`mofcomp.exe`, `C:\Users\bob\AppData\Local\Temp\evil.mof`}},
	{"reg add", `"C:\WINDOWS\system32\reg.exe" add "HKCU\Software\Microsoft\Windows Script\Settings" /v AmsiEnable /t REG_DWORD /d 0 /f`,
		[]string{`C:\WINDOWS\system32\reg.exe`, `add`, `HKCU\Software\Microsoft\Windows Script\Settings`, `/v`, `AmsiEnable`, `/t`, `REG_DWORD`, `/d`, `0`, `/f`}},
	{"powershell inner quotes", `powershell.exe -c "Write-Host \"hi there\""`, []string{`powershell.exe`, `-c`, `Write-Host "hi there"`}},
	{"UTF-8", `prog "ü x" ä`, []string{`prog`, `ü x`, `ä`}},
}

func TestSplitCommandLine(t *testing.T) {
	for _, tt := range splitTests {
		got := normalize.SplitCommandLine(tt.in)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: SplitCommandLine(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
		if ref := refSplit(tt.in); !reflect.DeepEqual(ref, tt.want) {
			t.Errorf("%s: reference splitter gives %q, want %q", tt.name, ref, tt.want)
		}
	}
}

// refSplit is an independent statement of CommandLineToArgvW's rules, as
// Wine's shell32 states them: it counts runs of double quotes instead of
// looking one ahead. Inside a quoted part a run of quotes, the opening
// one counted, of length 3n is n quotes and stays quoted, 3n+1 is n quotes
// and closes, 3n+2 is n+1 quotes and closes; outside, the first quote of a
// run opens and the rest follow that rule. Leading blanks are skipped, as
// SplitCommandLine skips them.
func refSplit(s string) []string {
	s = strings.TrimLeft(s, " \t")
	if s == "" {
		return nil
	}
	blank := func(c byte) bool { return c == ' ' || c == '\t' }
	var args []string
	var d []byte
	k := 0
	if s[0] == '"' {
		for k = 1; k < len(s) && s[k] != '"'; k++ {
			d = append(d, s[k])
		}
		if k < len(s) {
			k++
		}
	} else {
		for ; k < len(s) && !blank(s[k]); k++ {
			d = append(d, s[k])
		}
	}
	args = append(args, string(d))
	for k < len(s) && blank(s[k]) {
		k++
	}
	if k == len(s) {
		return args
	}
	d = d[:0]
	quotes, backslashes := 0, 0
	for k < len(s) {
		c := s[k]
		switch {
		case blank(c) && quotes == 0:
			args = append(args, string(d))
			d, backslashes = d[:0], 0
			for k < len(s) && blank(s[k]) {
				k++
			}
			if k == len(s) {
				return args
			}
		case c == '\\':
			d = append(d, c)
			backslashes++
			k++
		case c == '"':
			d = d[:len(d)-backslashes/2]
			if backslashes%2 == 0 {
				quotes++
			} else {
				d[len(d)-1] = '"'
			}
			k++
			backslashes = 0
			for ; k < len(s) && s[k] == '"'; k++ {
				if quotes++; quotes == 3 {
					d = append(d, '"')
					quotes = 0
				}
			}
			if quotes == 2 {
				quotes = 0
			}
		default:
			d = append(d, c)
			backslashes = 0
			k++
		}
	}
	return append(args, string(d))
}

// joinCommandLine builds a command line that splits into args: the program
// name quoted when it is empty or has blanks (a name split from a line
// then has no quote), every other argument quoted and escaped as
// CommandLineToArgvW reads it back.
func joinCommandLine(args []string) string {
	var b strings.Builder
	for i, a := range args {
		if i > 0 {
			b.WriteByte(' ')
		}
		if i == 0 {
			if a == "" || strings.ContainsAny(a, " \t") {
				b.WriteString(`"` + a + `"`)
			} else {
				b.WriteString(a)
			}
			continue
		}
		if a != "" && !strings.ContainsAny(a, " \t\"") {
			b.WriteString(a)
			continue
		}
		b.WriteByte('"')
		backslashes := 0
		for j := 0; j < len(a); j++ {
			switch a[j] {
			case '\\':
				backslashes++
				continue
			case '"':
				b.WriteString(strings.Repeat(`\`, 2*backslashes+1))
			default:
				b.WriteString(strings.Repeat(`\`, backslashes))
			}
			backslashes = 0
			b.WriteByte(a[j])
		}
		b.WriteString(strings.Repeat(`\`, 2*backslashes))
		b.WriteByte('"')
	}
	return b.String()
}

func TestJoinCommandLine(t *testing.T) {
	for _, args := range [][]string{
		{`C:\Program Files\a.exe`, `a b`, ``, `"`, `\`, `a\"b`, `C:\dir\`, `x\\"y`},
		{``},
		{`a"b`, `c`},
	} {
		line := joinCommandLine(args)
		if got := normalize.SplitCommandLine(line); !reflect.DeepEqual(got, args) {
			t.Errorf("SplitCommandLine(%q) = %q, want %q", line, got, args)
		}
	}
}

// FuzzSplitCommandLine checks that SplitCommandLine agrees with the
// reference statement of the rules, and that the arguments it finds,
// joined into a command line again, split into the same arguments.
func FuzzSplitCommandLine(f *testing.F) {
	for _, tt := range splitTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		args := normalize.SplitCommandLine(s)
		if ref := refSplit(s); !reflect.DeepEqual(args, ref) {
			t.Fatalf("SplitCommandLine(%q) = %q, reference %q", s, args, ref)
		}
		if len(args) == 0 {
			if strings.Trim(s, " \t") != "" {
				t.Fatalf("SplitCommandLine(%q) found no argument", s)
			}
			return
		}
		line := joinCommandLine(args)
		if again := normalize.SplitCommandLine(line); !reflect.DeepEqual(again, args) {
			t.Fatalf("SplitCommandLine(%q) = %q; joined %q splits into %q", s, args, line, again)
		}
	})
}

// TestSplitCommandLineBounded checks that a command line of ten million
// arguments gives the first MaxArgs (issue 21: the ECS view of a 20 MB
// "a a a …" took 680-900 MB).
func TestSplitCommandLineBounded(t *testing.T) {
	args := normalize.SplitCommandLine(strings.Repeat("a ", 10_000_000))
	if len(args) != normalize.MaxArgs || args[normalize.MaxArgs-1] != "a" {
		t.Errorf("%d arguments, want %d", len(args), normalize.MaxArgs)
	}
	if got := normalize.SplitCommandLine(`x "a b" c`); len(got) != 3 {
		t.Errorf("short line: %q", got)
	}
}
