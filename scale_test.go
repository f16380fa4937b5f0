package ruleforge_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ruleforge/ruleforge"
	"github.com/ruleforge/ruleforge/compile"
	"github.com/ruleforge/ruleforge/ir"
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
