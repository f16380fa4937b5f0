package ruleforge_test

import (
	"errors"
	"regexp/syntax"
	"testing"
	"testing/fstest"

	"github.com/ruleforge/ruleforge"
	"github.com/ruleforge/ruleforge/compile"
)

// TestRuleErrors has one broken rule per error path of both languages and
// the exact message each gives, position included.
func TestRuleErrors(t *testing.T) {
	tests := []struct{ name, file, src, want string }{
		{"yaml syntax", "bad.yml", "title: x\ndetection: [\n",
			`bad.yml:2:1: did not find expected node content`},
		{"unknown modifier", "mod.yml", "title: x\nlogsource: {product: windows}\ndetection:\n  sel:\n    Image|endwith: a\n  condition: sel\n",
			`mod.yml:5:5: search "sel": unknown modifier "endwith" on field "Image"`},
		{"bad condition", "cond.yml", "title: x\nlogsource: {product: windows}\ndetection:\n  sel:\n    Image: a\n  condition: sel and and\n",
			`cond.yml:6:22: invalid condition: unexpected "and" (expected a search name, "not", "(", "1 of" or "all of")`},
		{"undefined search", "undef.yml", "title: x\nlogsource: {product: windows}\ndetection:\n  sel:\n    Image: a\n  condition: sel or other\n",
			`undef.yml:6:21: condition references undefined search "other"`},
		{"bad regex", "re.yml", "title: x\nlogsource: {product: windows}\ndetection:\n  sel:\n    Image|re: 'a(?=b)'\n  condition: sel\n",
			"re.yml:5:15: search \"sel\": field \"Image\": regular expression \"a(?=b)\": invalid or unsupported Perl syntax: `(?=` (RE2 syntax: no lookaround, no backreferences)"},
		{"aggregation", "agg.yml", "title: x\nlogsource: {product: windows}\ndetection:\n  sel:\n    Image: a\n  condition: sel | count() > 5\n",
			`agg.yml:6:18: unsupported: aggregation`},
		{"correlation", "corr.yml", "title: x\ncorrelation:\n  type: event_count\n  rules: [a]\n",
			`corr.yml:2:1: correlation rule: load it with ParseFile`},
		{"eql syntax", "syn.eql", "process where process.name == \n",
			`syn.eql:2:1: unexpected end of query (expected a value)`},
		{"eql bad escape", "esc.eql", "process where process.name == \"a\\qb\"\n",
			`esc.eql:1:33: bad escape "\q" (expected one of \\ \" \' \t \n \r \b \f \u{…})`},
		{"eql single quotes", "sq.eql", "process where process.name == 'a'\n",
			`sq.eql:1:31: unexpected single quote (strings are written in double quotes)`},
		{"eql sequence", "seq.eql", "sequence by host.id\n  [process where true]\n  ![network where true]\n",
			`seq.eql:3:3: a missing event needs the sequence's maxspan (with maxspan=…)`},
		{"eql pipe", "pipe.eql", "process where true | head 5\n",
			`pipe.eql:1:20: unsupported: pipe head`},
		{"eql unknown function", "fn.eql", "process where fooBar(process.name)\n",
			`fn.eql:1:15: unknown function fooBar`},
		{"eql bad regex", "rx.eql", "process where process.name regex \"a&b\"\n",
			`rx.eql:1:34: unsupported: intersection "&" in regex "a&b"`},
		{"toml bad", "bad.toml", "[rule]\nname = \"x\nquery = '''process where true'''\n",
			`bad.toml:2:10: toml: strings cannot contain newlines`},
		{"toml query error", "q.toml", "[rule]\nrule_id = \"r\"\nname = \"x\"\nlanguage = \"eql\"\nquery = '''\nprocess where process.name = \"a\"\n'''\n",
			`q.toml:6:28: unexpected "=" (expected "==")`},
		{"unknown extension", "rule.json", "{}",
			`rule.json: unknown rule file type (expected .yml, .yaml, .eql or .toml)`},
	}
	for _, tt := range tests {
		_, err := ruleforge.Parse(tt.file, []byte(tt.src))
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s:\n got  %v\n want %s", tt.name, err, tt.want)
		}
	}
}

// TestErrorList loads a rule tree with good, broken and unsupported rules
// (LoadFS, so the paths are exact) and compiles it with a limit one rule
// exceeds: the good rules load and compile, and each other one is an
// error of the ErrorList with its exact text, rule ID (a rule that fails
// to parse is named too) and cause: errors.Is(ErrUnsupported) tells the
// unsupported from the broken, errors.As reaches the regexp package's
// *syntax.Error (issue 15, point 2).
func TestErrorList(t *testing.T) {
	sigmaRule := func(id, cond string) string {
		return "title: " + id + "\nid: " + id + "\nlogsource: {product: windows}\ndetection:\n  sel:\n    Image: [a, b]\n  condition: " + cond + "\n"
	}
	fsys := fstest.MapFS{
		"rules/good.yml":        {Data: []byte(sigmaRule("good", "sel"))},
		"rules/agg.yml":         {Data: []byte(sigmaRule("agg", "sel | count() > 5"))},
		"rules/eql/pipe.eql":    {Data: []byte("process where true | head 5\n")},
		"rules/eql/syn.eql":     {Data: []byte("process where process.name == \n")},
		"rules/eql/ok.eql":      {Data: []byte("process where process.name == \"x\"\n")},
		"rules/.github/bad.yml": {Data: []byte("not: [a rule\n")}, // hidden: never read
		"rules/notes.txt":       {Data: []byte("not a rule file")},
		"rules/big/values.yml":  {Data: []byte(sigmaRule("values", "sel"))},
		"rules/nan.yml":         {Data: []byte("title: nan\nlogsource: {product: windows}\ndetection:\n  sel:\n    EventID: .nan\n  condition: sel\n")},
		"rules/re.yml":          {Data: []byte("title: re\nid: re\nlogsource: {product: windows}\ndetection:\n  sel:\n    Image|re: '(x'\n  condition: sel\n")},
	}
	rules, errs := ruleforge.LoadFS(fsys, "rules")
	eng, err := ruleforge.Compile(rules, ruleforge.WithCompile(compile.WithMaxValues(1)))
	if got := eng.Rules(); len(got) != 1 || got[0].ID != "ok" {
		t.Fatalf("engine rules %v, want ok.eql's alone", got)
	}
	var compiled ruleforge.ErrorList
	if !errors.As(err, &compiled) {
		t.Fatalf("Compile error %v (%T), want an ErrorList", err, err)
	}
	if !errors.Is(errs, ruleforge.ErrUnsupported) || errors.Is(compiled, ruleforge.ErrUnsupported) {
		t.Errorf("errors.Is(ErrUnsupported): Load's %v, Compile's %v; want true, false",
			errors.Is(errs, ruleforge.ErrUnsupported), errors.Is(compiled, ruleforge.ErrUnsupported))
	}
	want := []struct {
		text        string
		rule        string // the rule's ID, from its file even where it did not parse ("" where it has none)
		unsupported bool
		regexp      bool // errors.As finds a *regexp/syntax.Error
	}{
		{"rules/agg.yml:7:18: unsupported: aggregation", "agg", true, false},
		{"rules/eql/pipe.eql:1:20: unsupported: pipe head", "pipe", true, false},
		{"rules/eql/syn.eql:2:1: unexpected end of query (expected a value)", "syn", false, false},
		{`rules/nan.yml:5:14: search "sel": field "EventID": unsupported: number NaN`, "", true, false},
		{"rules/re.yml:6:15: search \"sel\": field \"Image\": regular expression \"(x\": missing closing ): `(x`", "re", false, true},
		{`rules/big/values.yml:4:1: rule "values": field "Image": 2 values, more than the limit of 1`, "values", false, false},
		{`rules/good.yml:4:1: rule "good": field "Image": 2 values, more than the limit of 1`, "good", false, false},
	}
	list := append(errs, compiled...)
	if len(list) != len(want) {
		for _, e := range list {
			t.Log(e)
		}
		t.Fatalf("%d errors, want %d", len(list), len(want))
	}
	for i, e := range list {
		w := want[i]
		var se *syntax.Error
		if e.Error() != w.text || e.Rule != w.rule || errors.Is(e, ruleforge.ErrUnsupported) != w.unsupported || errors.As(e, &se) != w.regexp {
			t.Errorf("error %d: %q, rule %q, unsupported %v, regexp %v\nwant    %q, rule %q, unsupported %v, regexp %v",
				i, e, e.Rule, errors.Is(e, ruleforge.ErrUnsupported), errors.As(e, &se), w.text, w.rule, w.unsupported, w.regexp)
		}
	}
}
