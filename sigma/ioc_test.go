package sigma_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge/compile"
	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/match"
	"github.com/ruleforge/ruleforge/sigma"
)

// iocHash is the i-th SHA-256 of an IOC list: deterministic, hex.
func iocHash(i int) string {
	h := sha256.Sum256([]byte(fmt.Sprint(i)))
	return hex.EncodeToString(h[:])
}

// iocRule returns a rule listing n SHA-256 hashes, as threat-intel feeds
// write them: one field, one value per line.
func iocRule(n int) []byte {
	var b strings.Builder
	b.WriteString("title: IOC\nlogsource:\n  category: process_creation\n  product: windows\ndetection:\n  selection:\n    sha256:\n")
	for i := range n {
		b.WriteString("      - '")
		b.WriteString(iocHash(i))
		b.WriteString("'\n")
	}
	b.WriteString("  condition: selection\n")
	return []byte(b.String())
}

// iocEvent is a Sysmon process creation record with a sha256 field.
func iocEvent(hash string) string {
	return `{"Event":{"System":{"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational"},"EventData":{"Image":"C:\\x.exe","sha256":"` + hash + `"}}}`
}

// TestIOCRule checks that a rule of 100,000 hashes (7 MB) loads with the
// default limits, compiles its values into one hash set, and matches.
func TestIOCRule(t *testing.T) {
	src := iocRule(100_000)
	r, err := sigma.ParseRule("ioc.yml", src)
	if err != nil {
		t.Fatal(err)
	}
	rs, err := compile.Compile([]*ir.Rule{r})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		hash string
		want bool
	}{
		{iocHash(0), true},
		{iocHash(99_999), true},
		{strings.ToUpper(iocHash(5)), true},
		{iocHash(100_000), false},
		{"", false},
	} {
		ev, err := match.ParseJSON([]byte(iocEvent(tt.hash)))
		if err != nil {
			t.Fatal(err)
		}
		if got := len(rs.Match(ev, nil)) > 0; got != tt.want {
			t.Errorf("%s: matched %t, want %t", tt.hash, got, tt.want)
		}
	}
	if !strings.Contains(rs.Plan(0), "set") {
		t.Errorf("plan has no hash set:\n%s", rs.Plan(0))
	}
}

// BenchmarkIOCRule compares matching an event against a rule of 100,000
// hashes with a rule of 10: a hash set costs the same whatever its size.
func BenchmarkIOCRule(b *testing.B) {
	for _, n := range []int{10, 100_000} {
		r, err := sigma.ParseRule("ioc.yml", iocRule(n))
		if err != nil {
			b.Fatal(err)
		}
		rs, err := compile.Compile([]*ir.Rule{r})
		if err != nil {
			b.Fatal(err)
		}
		ev, err := match.ParseJSON([]byte(iocEvent(iocHash(1_000_000))))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("values=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			var hits []int
			for b.Loop() {
				hits = rs.Match(ev, hits[:0])
			}
		})
	}
}
