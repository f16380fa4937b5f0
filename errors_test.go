package ruleforge_test

import (
	"testing"

	"github.com/ruleforge/ruleforge"
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
