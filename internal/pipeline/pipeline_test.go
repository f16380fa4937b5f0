package pipeline

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge/internal/hooks"
	"github.com/ruleforge/ruleforge/internal/matcher"
	"github.com/ruleforge/ruleforge/internal/plan"
	"github.com/ruleforge/ruleforge/ir"
	"github.com/ruleforge/ruleforge/match"
	"github.com/ruleforge/ruleforge/normalize"
)

// ruleset returns a ruleset of one rule: field n, or winlog.channel
// (which normalization adds to Windows events), equals "hit".
func ruleset(t testing.TB) *match.Ruleset {
	t.Helper()
	test := &plan.Test{Name: "n", Paths: []*match.Path{match.NewPath("n"), match.NewPath("winlog.channel")}, Strings: []matcher.Matcher{matcher.NewExact("hit", false)}}
	rs, err := hooks.NewRuleset([]*ir.Rule{{Meta: ir.Meta{ID: "r"}}}, []*plan.Node{{Op: ir.OpPred, Test: test}}, hooks.RulesetConfig{})
	if err != nil {
		t.Fatal(err)
	}
	return rs.(*match.Ruleset)
}

// input returns n NDJSON events: every third a hit, every fifth not JSON;
// the even hits are Windows events whose Channel is "hit", which hit only
// when normalized.
func input(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		switch {
		case i%5 == 0:
			fmt.Fprintf(&b, "{bad %d\n", i)
		case i%6 == 0:
			fmt.Fprintf(&b, `{"Channel":"hit","i":%d}`+"\n", i)
		case i%3 == 0:
			fmt.Fprintf(&b, `{"n":"hit","i":%d}`+"\n", i)
		default:
			fmt.Fprintf(&b, `{"n":"miss","i":%d}`+"\n", i)
		}
	}
	return b.String()
}

// TestRunOrderAndCounts checks that results come in input order on any
// number of workers, with and without normalization, and that every
// event is counted once.
func TestRunOrderAndCounts(t *testing.T) {
	const n = 3000 // several batches
	for _, workers := range []int{1, 3, 8} {
		for _, format := range []normalize.Format{normalize.ECS, normalize.Auto} {
			cfg := Config{Ruleset: ruleset(t), Workers: workers, Format: format}
			hit := func(i int) bool { return i%3 == 0 && i%5 != 0 && (format == normalize.Auto || i%6 != 0) }
			next := 1
			st, err := Run(cfg, strings.NewReader(input(n)), func(r *Result) error {
				if r.Ordinal != next || r.Line != next {
					return fmt.Errorf("result %d (line %d), want %d", r.Ordinal, r.Line, next)
				}
				next++
				bad := r.Ordinal%5 == 0
				if (r.Bad != nil) != bad || (!bad && (len(r.Hits) == 1) != hit(r.Ordinal)) {
					return fmt.Errorf("event %d: bad %v, hits %v", r.Ordinal, r.Bad, r.Hits)
				}
				return nil
			})
			if err != nil {
				t.Fatalf("workers %d, format %v: %v", workers, format, err)
			}
			hits := 0
			for i := 1; i <= n; i++ {
				if hit(i) {
					hits++
				}
			}
			bad := n / 5
			want := Stats{Events: n, Matched: hits, Hits: hits, Bad: bad, Unmatched: n - hits - bad, Bytes: st.Bytes}
			if st != want || st.Bytes == 0 {
				t.Errorf("workers %d, format %v: %+v, want %+v", workers, format, st, want)
			}
		}
	}
}

// TestRunEmitError checks that an error from emit stops the run and is
// returned, and that nothing is emitted after it.
func TestRunEmitError(t *testing.T) {
	stop := errors.New("stop")
	seen := 0
	_, err := Run(Config{Ruleset: ruleset(t), Workers: 4}, strings.NewReader(input(5000)), func(r *Result) error {
		if seen++; seen == 700 {
			return stop
		}
		if seen > 700 {
			t.Fatal("emit called after it failed")
		}
		return nil
	})
	if !errors.Is(err, stop) {
		t.Errorf("err = %v, want %v", err, stop)
	}
}

// TestRunInspect checks Config.Paths and Config.Inspect: Inspect sees
// each matched event's record holding the extra path, what it keeps
// reaches Emit, and the hits it drops leave the counts.
func TestRunInspect(t *testing.T) {
	const n = 600
	i := match.NewPath("i")
	cfg := Config{Ruleset: ruleset(t), Workers: 3, Paths: []*match.Path{i}, Inspect: func(rec *match.Record, res *Result) {
		v, _ := rec.Lookup(i)
		res.Info = string(v.(json.Number))
		if res.Info.(string)[len(res.Info.(string))-1]%2 == 1 { // odd i: dropped
			res.Hits = res.Hits[:0]
		}
	}}
	var kept []string
	st, err := Run(cfg, strings.NewReader(input(n)), func(r *Result) error {
		if len(r.Hits) > 0 {
			if r.Info != fmt.Sprint(r.Ordinal) {
				return fmt.Errorf("event %d: Info %v", r.Ordinal, r.Info)
			}
			kept = append(kept, r.Info.(string))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := 0 // even multiples of 3 that are not multiples of 5
	for k := 1; k <= n; k++ {
		if k%6 == 0 && k%5 != 0 {
			want++
		}
	}
	if len(kept) != want || st.Matched != want || st.Hits != want || st.Unmatched != n-n/5-want {
		t.Errorf("kept %d, stats %+v; want %d matched", len(kept), st, want)
	}
}
