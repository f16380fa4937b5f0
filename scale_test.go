package ruleforge_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ruleforge/ruleforge"
	"github.com/ruleforge/ruleforge/compile"
	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/match"
	"github.com/ruleforge/ruleforge/sigma"
)

// orChain returns a rule of n alternatives of one field: an EQL or chain
// (in a .eql file) or a Sigma "1 of s*" over n selections (a .yml file).
func orChain(lang string, n int) (name string, src []byte) {
	var b strings.Builder
	if lang == "eql" {
		b.WriteString("process where ")
		for i := range n {
			if i > 0 {
				b.WriteString(" or ")
			}
			fmt.Fprintf(&b, "a == \"%d\"", i) // 16,000 fit in eql.MaxQuerySize
		}
		return "chain.eql", []byte(b.String())
	}
	b.WriteString("title: t\nlogsource:\n  product: windows\ndetection:\n")
	for i := range n {
		fmt.Fprintf(&b, "  s%d:\n    Image: 'p%d.exe'\n", i, i)
	}
	b.WriteString("  condition: 1 of s*\n")
	return "chain.yml", []byte(b.String())
}

// loadAndCompile parses and compiles one rule.
func loadAndCompile(tb testing.TB, name string, src []byte) {
	r, err := ruleforge.Parse(name, src)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := compile.Compile([]*ir.Rule{r}); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkOrChain parses and compiles an or of n alternatives at growing
// n: the time per op must grow about as n does (issue 21: merging the
// values cost O(n²), 2,000 / 4,000 / 8,000 EQL terms 1.6 / 5.7 / 21 s).
func BenchmarkOrChain(b *testing.B) {
	for _, lang := range []string{"eql", "sigma"} {
		for _, n := range []int{2000, 4000, 8000, 16000} {
			name, src := orChain(lang, n)
			b.Run(fmt.Sprintf("%s/n=%d", lang, n), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					loadAndCompile(b, name, src)
				}
			})
		}
	}
}

// TestOrChainLinear compiles 16,000 alternatives in each language within
// a bound generous for a loaded machine (quadratic merging took minutes).
func TestOrChainLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles 32,000 alternatives")
	}
	for _, lang := range []string{"eql", "sigma"} {
		name, src := orChain(lang, 16000)
		start := time.Now()
		loadAndCompile(t, name, src)
		if d := time.Since(start); d > 20*time.Second {
			t.Errorf("%s: 16,000 alternatives took %v", lang, d)
		}
	}
}

// foldRules returns n Sigma rules that each pass the index gate of an
// event holding "ä" and then scan its CommandLine for a text it lacks.
func foldRules(tb testing.TB, n int) *match.Ruleset {
	var rules []*ir.Rule
	l := ruleforge.Loader{Sigma: []sigma.Option{sigma.Routing(false)}}
	for i := range n {
		src := fmt.Sprintf("title: r%d\nlogsource:\n  product: windows\ndetection:\n  a:\n    CommandLine|contains: 'ä'\n  b:\n    CommandLine: '*zz?%d*'\n  condition: a and not b\n", i, i)
		r, err := l.Parse(fmt.Sprintf("r%d.yml", i), []byte(src))
		if err != nil {
			tb.Fatal(err)
		}
		rules = append(rules, r)
	}
	return compile.MustCompile(rules)
}

// BenchmarkFoldOnce matches one event with a 1 MB non-ASCII CommandLine
// against n rules that all evaluate it: each value is folded once per
// event, so the time grows with n only by a scan of the folded value per
// rule (issue 21: it was folded again by every rule, 16 s for 1,000).
func BenchmarkFoldOnce(b *testing.B) {
	ev := []byte(`{"CommandLine":"ä` + strings.Repeat("É", 512<<10) + `"}`)
	for _, n := range []int{10, 100, 1000} {
		rs := foldRules(b, n)
		rec := rs.NewRecord()
		b.Run(fmt.Sprintf("rules=%d", n), func(b *testing.B) {
			for b.Loop() {
				if err := rec.ResetJSON(ev); err != nil {
					b.Fatal(err)
				}
				if hits := rs.MatchRecord(rec, nil); len(hits) != n {
					b.Fatalf("%d hits, want %d", len(hits), n)
				}
			}
		})
	}
}
