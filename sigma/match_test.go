package sigma_test

import (
	"encoding/base64"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/ruleforge/ruleforge/compile"
	"github.com/ruleforge/ruleforge/internal/hooks"
	"github.com/ruleforge/ruleforge/internal/refeval"
	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/match"
	"github.com/ruleforge/ruleforge/sigma"
)

// matchCase is a detection and events that must and must not match it.
type matchCase struct {
	name     string
	det      string   // the detection block, indented by two spaces
	match    []string // JSON events that match
	no       []string // JSON events that do not
	logsrc   string   // the logsource block; process_creation on windows if empty
	routing  bool
	options  []sigma.Option
	wantRule func(*ir.Rule) // extra checks on the rule
}

// ruleSrc returns a rule around a detection.
func ruleSrc(logsrc, det string) string {
	if logsrc == "" {
		logsrc = "logsource:\n  category: process_creation\n  product: windows\n"
	}
	return "title: test\n" + logsrc + "detection:\n" + strings.TrimPrefix(det, "\n")
}

// runMatchCases compiles each case's rule, with and without the optimizer,
// and checks every event with both and with the reference evaluator.
func runMatchCases(t *testing.T, cases []matchCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			opts := append([]sigma.Option{sigma.Routing(c.routing)}, c.options...)
			r, err := sigma.ParseRule("m.yml", []byte(ruleSrc(c.logsrc, c.det)), opts...)
			if err != nil {
				t.Fatal(err)
			}
			if c.wantRule != nil {
				c.wantRule(r)
			}
			rs, err := compile.Compile([]*ir.Rule{r})
			if err != nil {
				t.Fatal(err)
			}
			naive, err := compile.Compile([]*ir.Rule{r}, hooks.CompileOption(hooks.Switches{NoOptimize: true, NoSpecialize: true}).(compile.Option))
			if err != nil {
				t.Fatal(err)
			}
			check := func(events []string, want bool) {
				for _, e := range events {
					ev, err := match.ParseJSON([]byte(e))
					if err != nil {
						t.Fatalf("%s: %v", e, err)
					}
					got, gotNaive, gotRef := len(rs.Match(ev, nil)) > 0, len(naive.Match(ev, nil)) > 0, refeval.Eval(r.Expr, ev)
					rec := rs.NewRecord()
					if err := rec.ResetJSON([]byte(e)); err != nil {
						t.Fatalf("%s: %v", e, err)
					}
					gotRecord := len(rs.MatchRecord(rec, nil)) > 0
					if got != want || gotNaive != want || gotRef != want || gotRecord != want {
						t.Errorf("%s: matched %t (unoptimized %t, reference %t, from JSON text %t), want %t\nrule: %s", e, got, gotNaive, gotRef, gotRecord, want, r.Expr)
					}
				}
			}
			check(c.match, true)
			check(c.no, false)
		})
	}
}

// b64 encodes s in base64; b64w encodes it as UTF-16LE first, as
// PowerShell's -EncodedCommand does.
func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func b64w(s string) string {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return base64.StdEncoding.EncodeToString(b)
}

// TestMatchValues checks plain values: wildcards, escapes, case, Unicode,
// empty and missing fields, null, numbers, booleans and arrays.
func TestMatchValues(t *testing.T) {
	runMatchCases(t, []matchCase{
		{name: "suffix glob ignores case", det: `
  sel:
    Image: '*\cmd.exe'
  condition: sel`,
			match: []string{`{"Image":"C:\\Windows\\System32\\CMD.EXE"}`, `{"Image":"\\cmd.exe"}`},
			no:    []string{`{"Image":"C:\\cmd.exe.bak"}`, `{"Image":"cmd.exe"}`, `{"Image":""}`, `{}`, `{"Image":null}`, `{"image":"\\cmd.exe"}`}},
		{name: "escaped star is literal", det: `
  sel:
    Image: 'C:\Windows\*'
  condition: sel`,
			match: []string{`{"Image":"C:\\Windows*"}`, `{"Image":"c:\\windows*"}`},
			no:    []string{`{"Image":"C:\\Windows\\cmd.exe"}`, `{"Image":"C:\\Windows\\*"}`}},
		{name: "escaped backslash before a wildcard", det: `
  sel:
    Image: 'C:\Windows\\*'
  condition: sel`,
			match: []string{`{"Image":"C:\\Windows\\cmd.exe"}`, `{"Image":"C:\\Windows\\"}`},
			no:    []string{`{"Image":"C:\\Windows"}`, `{"Image":"C:\\Windowsx"}`}},
		{name: "question mark is one character", det: `
  sel:
    F: 'a?c'
  condition: sel`,
			match: []string{`{"F":"abc"}`, `{"F":"aéc"}`, `{"F":"A-C"}`},
			no:    []string{`{"F":"ac"}`, `{"F":"abbc"}`, `{"F":"a?cd"}`}},
		{name: "escaped question mark", det: `
  sel:
    F: 'a\?c'
  condition: sel`,
			match: []string{`{"F":"a?c"}`},
			no:    []string{`{"F":"abc"}`}},
		{name: "unicode case folding", det: `
  sel:
    F: 'ÉCOLE*'
  condition: sel`,
			match: []string{`{"F":"école normale"}`, `{"F":"ÉCOLE"}`},
			no:    []string{`{"F":"ecole"}`}},
		{name: "empty string", det: `
  sel:
    F: ''
  condition: sel`,
			match: []string{`{"F":""}`, `{"F":["x",""]}`},
			no:    []string{`{}`, `{"F":null}`, `{"F":" "}`, `{"F":"x"}`}},
		{name: "null means absent", det: `
  sel:
    F: null
  condition: sel`,
			match: []string{`{}`, `{"F":null}`, `{"G":"x"}`},
			no:    []string{`{"F":""}`, `{"F":"x"}`, `{"F":0}`}},
		{name: "arrays match any element", det: `
  sel:
    F: b
  condition: sel`,
			match: []string{`{"F":["a","B"]}`, `{"F":[["x"],["b"]]}`},
			no:    []string{`{"F":["a","c"]}`, `{"F":[]}`, `{"F":{"b":"x"}}`}},
		{name: "numbers match numbers and their text", det: `
  sel:
    EventID: 1
  condition: sel`,
			match: []string{`{"EventID":1}`, `{"EventID":"1"}`, `{"EventID":1.0}`, `{"EventID":[4,1]}`},
			no:    []string{`{"EventID":11}`, `{"EventID":"01x"}`, `{"EventID":"x1"}`, `{}`}},
		{name: "quoted number matches the text", det: `
  sel:
    EventID: '4688'
  condition: sel`,
			match: []string{`{"EventID":4688}`, `{"EventID":"4688"}`},
			no:    []string{`{"EventID":46880}`}},
		{name: "booleans match booleans and their text", det: `
  sel:
    Signed: false
  condition: sel`,
			match: []string{`{"Signed":false}`, `{"Signed":"false"}`, `{"Signed":"FALSE"}`},
			no:    []string{`{"Signed":true}`, `{"Signed":"true"}`, `{"Signed":0}`, `{}`}},
		{name: "nested Windows record", det: `
  sel:
    Image|endswith: '\a.exe'
  condition: sel`,
			match: []string{`{"Event":{"EventData":{"Image":"C:\\a.exe"}}}`, `{"process":{"executable":"C:\\A.EXE"}}`},
			no:    []string{`{"Event":{"EventData":{"ImageX":"C:\\a.exe"}}}`}},
		{name: "event ID under #text", det: `
  sel:
    EventID: 7036
  condition: sel`,
			match: []string{`{"Event":{"System":{"EventID":{"#attributes":{"Qualifiers":16384},"#text":7036}}}}`, `{"Event":{"System":{"EventID":7036}}}`},
			no:    []string{`{"Event":{"System":{"EventID":{"#text":7035}}}}`}},
	})
}

// TestMatchModifiers checks each modifier with events that must and must
// not match.
func TestMatchModifiers(t *testing.T) {
	runMatchCases(t, []matchCase{
		{name: "fieldref equal ignores case", det: `
  sel:
    User|fieldref: ParentUser
  condition: sel`,
			match: []string{`{"User":"CORP\\bob","ParentUser":"corp\\BOB"}`, `{"Event":{"EventData":{"User":"a","ParentUser":"A"}}}`},
			no:    []string{`{"User":"bob","ParentUser":"alice"}`, `{"User":"bob"}`, `{"ParentUser":"bob"}`, `{}`}},
		{name: "not fieldref matches a missing field", det: `
  sel:
    User|fieldref: ParentUser
  condition: not sel`,
			match: []string{`{"User":"bob","ParentUser":"alice"}`, `{"User":"bob"}`},
			no:    []string{`{"User":"bob","ParentUser":"BOB"}`}},
		{name: "fieldref endswith cased", det: `
  sel:
    TargetFilename|fieldref|endswith|cased: Image
  condition: sel`,
			match: []string{`{"TargetFilename":"C:\\x\\a.exe","Image":"a.exe"}`},
			no:    []string{`{"TargetFilename":"C:\\x\\A.EXE","Image":"a.exe"}`, `{"TargetFilename":"a.exe","Image":"b.exe"}`}},
		{name: "hour", det: `
  sel:
    UtcTime|hour: 3
  condition: sel`,
			match: []string{`{"UtcTime":"2024-05-01 03:59:59.123"}`, `{"UtcTime":"2024-05-01T05:10:00+02:00"}`},
			no:    []string{`{"UtcTime":"2024-05-01 04:00:00.000"}`, `{"UtcTime":"not a time"}`, `{"UtcTime":3}`, `{}`}},
		{name: "month range", det: `
  sel:
    UtcTime|month|gte: 11
  condition: sel`,
			match: []string{`{"UtcTime":"2024-11-30 10:00:00"}`, `{"UtcTime":"2024-12-01T00:00:00Z"}`},
			no:    []string{`{"UtcTime":"2024-10-31 23:59:59"}`}},
		{name: "contains", det: `
  sel:
    CommandLine|contains: 'a*c'
  condition: sel`,
			match: []string{`{"CommandLine":"xxAbbbCxx"}`, `{"CommandLine":"ac"}`},
			no:    []string{`{"CommandLine":"ab"}`, `{"CommandLine":""}`, `{}`}},
		{name: "startswith and endswith", det: `
  sel:
    CommandLine|startswith: 'net '
    Image|endswith: '\net.exe'
  condition: sel`,
			match: []string{`{"CommandLine":"NET user","Image":"C:\\net.exe"}`},
			no:    []string{`{"CommandLine":" net user","Image":"C:\\net.exe"}`, `{"CommandLine":"net user","Image":"C:\\net.exe "}`, `{"CommandLine":"net user"}`}},
		{name: "all", det: `
  sel:
    CommandLine|contains|all: [' -a ', ' -b ']
  condition: sel`,
			// Each value may match a different element of an array, as
			// in the backends' queries.
			match: []string{`{"CommandLine":"x -b  -a y"}`, `{"CommandLine":["x -a y", "x -b y"]}`},
			no:    []string{`{"CommandLine":"x -a y"}`}},
		{name: "exists", det: `
  sel:
    F|exists: true
    G|exists: false
  condition: sel`,
			match: []string{`{"F":""}`, `{"F":0,"G":null}`, `{"F":false}`},
			no:    []string{`{}`, `{"F":null}`, `{"F":"x","G":"y"}`, `{"F":[]}`}},
		{name: "cased", det: `
  sel:
    F|cased|contains: 'Invoke-'
  condition: sel`,
			match: []string{`{"F":"x Invoke-Expression"}`},
			no:    []string{`{"F":"invoke-expression"}`, `{"F":"INVOKE-"}`}},
		{name: "re is case-sensitive and unanchored", det: `
  sel:
    F|re: 'ab+c'
  condition: sel`,
			match: []string{`{"F":"xxabbbcxx"}`},
			no:    []string{`{"F":"ABBC"}`, `{"F":"ac"}`, `{}`}},
		{name: "re|i", det: `
  sel:
    F|re|i: '^ab+c$'
  condition: sel`,
			match: []string{`{"F":"ABBC"}`, `{"F":"abc"}`},
			no:    []string{`{"F":"xabc"}`}},
		{name: "re|m", det: `
  sel:
    F|re|m: '^b$'
  condition: sel`,
			match: []string{`{"F":"a\nb\nc"}`},
			no:    []string{`{"F":"a\nbb\nc"}`}},
		{name: "re without m", det: `
  sel:
    F|re: '^b$'
  condition: sel`,
			no: []string{`{"F":"a\nb\nc"}`}},
		{name: "re|s", det: `
  sel:
    F|re|s: 'a.b'
  condition: sel`,
			match: []string{`{"F":"a\nb"}`}},
		{name: "re without s", det: `
  sel:
    F|re: 'a.b'
  condition: sel`,
			no: []string{`{"F":"a\nb"}`}},
		{name: "re is not a pattern", det: `
  sel:
    F|re: 'a*'
  condition: sel`,
			match: []string{`{"F":"b"}`}},
		{name: "base64", det: `
  sel:
    F|base64|contains: 'http://'
  condition: sel`,
			match: []string{`{"F":"x ` + b64("http://") + ` y"}`},
			no:    []string{`{"F":"` + strings.ToLower(b64("http://")) + `"}`, `{"F":"http://"}`}},
		{name: "base64offset at every offset", det: `
  sel:
    CommandLine|base64offset|contains: 'IEX (New-Object'
  condition: sel`,
			match: []string{
				`{"CommandLine":"` + b64("IEX (New-Object Net.WebClient)") + `"}`,
				`{"CommandLine":"` + b64("x; IEX (New-Object Net.WebClient)") + `"}`,
				`{"CommandLine":"` + b64("xy; IEX (New-Object Net.WebClient)") + `"}`,
			},
			no: []string{`{"CommandLine":"` + b64("iex (new-object net.webclient)") + `"}`, `{"CommandLine":"IEX (New-Object"}`}},
		{name: "wide|base64offset", det: `
  sel:
    CommandLine|wide|base64offset|contains: 'Invoke-Mimikatz'
  condition: sel`,
			match: []string{
				`{"CommandLine":"powershell -enc ` + b64w("Invoke-Mimikatz -DumpCreds") + `"}`,
				`{"CommandLine":"powershell -enc ` + b64w("a;Invoke-Mimikatz") + `"}`,
				`{"CommandLine":"powershell -enc ` + b64w("ab;Invoke-Mimikatz") + `"}`,
			},
			no: []string{`{"CommandLine":"powershell -enc ` + b64("Invoke-Mimikatz") + `"}`}},
		{name: "wide without base64", det: `
  sel:
    F|wide|contains: 'cmd'
  condition: sel`,
			match: []string{`{"F":"x c\u0000m\u0000d\u0000 y"}`, `{"F":"C\u0000M\u0000D\u0000"}`},
			no:    []string{`{"F":"cmd"}`}},
		{name: "windash", det: `
  sel:
    CommandLine|contains|windash: ' -enc '
  condition: sel`,
			match: []string{`{"CommandLine":"ps -enc x"}`, `{"CommandLine":"ps /ENC x"}`, `{"CommandLine":"ps –enc x"}`, `{"CommandLine":"ps —enc x"}`, `{"CommandLine":"ps ―enc x"}`},
			no:    []string{`{"CommandLine":"ps enc x"}`, `{"CommandLine":"ps \\enc x"}`, `{"CommandLine":"ps --enc x"}`, `{"CommandLine":"ps ‐enc x"}`}},
		{name: "cidr", det: `
  sel:
    DestinationIp|cidr: ['10.0.0.0/8', 'fe80::/10']
  condition: sel`,
			match: []string{`{"DestinationIp":"10.1.2.3"}`, `{"DestinationIp":"FE80::1"}`, `{"DestinationIp":"::ffff:10.0.0.1"}`, `{"DestinationIp":["8.8.8.8","10.0.0.1"]}`},
			no:    []string{`{"DestinationIp":"11.0.0.1"}`, `{"DestinationIp":"10.0.0.1x"}`, `{"DestinationIp":"10.example.com"}`, `{"DestinationIp":""}`, `{}`}},
		{name: "lt and gte", det: `
  sel:
    Count|lt: 10
    Size|gte: 100
  condition: sel`,
			match: []string{`{"Count":9,"Size":100}`, `{"Count":"-1","Size":"1e3"}`},
			no:    []string{`{"Count":10,"Size":100}`, `{"Count":"nine","Size":100}`, `{"Size":100}`, `{"Count":1,"Size":99.5}`}},
		{name: "neq", det: `
  sel:
    User|neq: SYSTEM
  condition: sel`,
			match: []string{`{"User":"bob"}`, `{}`},
			no:    []string{`{"User":"system"}`}},
		{name: "expand", det: `
  sel:
    User|expand: '%Admins%'
  condition: sel`,
			options: []sigma.Option{sigma.Placeholders(map[string][]string{"Admins": {"adm_*", "root"}})},
			match:   []string{`{"User":"ADM_bob"}`, `{"User":"root"}`},
			no:      []string{`{"User":"%Admins%"}`, `{"User":"bob"}`}},
		{name: "placeholder without expand is text", det: `
  sel:
    CommandLine|contains: '%temp%'
  condition: sel`,
			match: []string{`{"CommandLine":"copy x %TEMP%\\y"}`},
			no:    []string{`{"CommandLine":"copy x C:\\Temp\\y"}`}},
	})
}

// TestMatchKeywords checks keyword searches.
func TestMatchKeywords(t *testing.T) {
	runMatchCases(t, []matchCase{
		{name: "substring of any value", det: `
  keywords:
    - 'event::clear'
    - 'lsadump'
  condition: keywords`,
			match: []string{`{"msg":"mimikatz # EVENT::Clear"}`, `{"a":{"b":["x","run lsadump::sam"]}}`},
			no:    []string{`{"event::clear":"x"}`, `{"msg":"event: clear"}`, `{}`}},
		{name: "wildcards in keywords", det: `
  keywords:
    - 'select * from'
  condition: keywords`,
			match: []string{`{"q":"SELECT a, b FROM t"}`},
			no:    []string{`{"q":"select"}`}},
		{name: "number keyword", det: `
  keywords:
    - 4625
  condition: keywords`,
			match: []string{`{"id":4625}`, `{"msg":"event 4625 seen"}`},
			no:    []string{`{"id":4626}`}},
		{name: "all keywords", det: `
  keywords:
    '|all':
      - 'OabVirtualDirectory'
      - ' -ExternalUrl '
  condition: keywords`,
			match: []string{`{"a":"Set-OabVirtualDirectory","b":"x -ExternalUrl y"}`},
			no:    []string{`{"a":"Set-OabVirtualDirectory"}`}},
		{name: "keywords and fields", det: `
  sel:
    F: a
  keywords:
    - secret
  condition: sel and not keywords`,
			match: []string{`{"F":"a","G":"public"}`},
			no:    []string{`{"F":"a","G":"top secret"}`}},
	})
}
