package pipeline

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

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

// TestRunArrays checks that a JSON array is read element by element
// whatever its size and however its elements are laid out (issue 21: an
// array over 64 MiB was one bad event, and elements opening lines at
// column 0 gave each a bad "," event): every element is an event at its
// own line with its own size limit (Config.MaxEvent), the array may be
// far longer than that limit and than MaxSegment, and the NDJSON after it
// is cut into segments again.
func TestRunArrays(t *testing.T) {
	const max = 4 << 10
	var in strings.Builder
	var want []string // line:hit or line:bad
	line := 1
	for _, layout := range []string{"column0", "indented", "oneline"} {
		in.WriteString("[\n")
		line++
		end := in.Len() + MaxSegment*5/4
		for i := 0; in.Len() < end; i++ {
			ev := fmt.Sprintf(`{"n":"miss","i":%d}`, i)
			if i%7 == 0 {
				ev = fmt.Sprintf(`{"n":"hit","i":%d}`, i)
			}
			if i == 1000 {
				ev = `{"n":"` + strings.Repeat("x", max) + `"}`
			}
			switch layout {
			case "column0":
				in.WriteString(ev + ",\n")
			case "indented":
				in.WriteString("  " + ev + ",\n")
			case "oneline":
				in.WriteString(ev + ", ")
			}
			switch {
			case i == 1000:
				want = append(want, fmt.Sprintf("%d:bad", line))
			case i%7 == 0:
				want = append(want, fmt.Sprintf("%d:hit", line))
			default:
				want = append(want, fmt.Sprintf("%d:miss", line))
			}
			if layout != "oneline" {
				line++
			}
		}
		in.WriteString(`{"n":"hit"}` + "\n]\n")
		want = append(want, fmt.Sprintf("%d:hit", line))
		line += 2
		for range 3000 {
			in.WriteString(`{"n":"miss"}` + "\n")
			want = append(want, fmt.Sprintf("%d:miss", line))
			line++
		}
	}
	for _, workers := range []int{1, 3} {
		var got []string
		cfg := Config{Ruleset: ruleset(t), Workers: workers, Format: normalize.ECS, MaxEvent: max}
		st, err := Run(cfg, strings.NewReader(in.String()), func(r *Result) error {
			kind := "miss"
			if r.Bad != nil {
				kind = "bad"
				if !errors.Is(r.Bad, ErrTooLarge) {
					return fmt.Errorf("event %d (line %d): %v", r.Ordinal, r.Line, r.Bad)
				}
			} else if len(r.Hits) > 0 {
				kind = "hit"
			}
			got = append(got, fmt.Sprintf("%d:%s", r.Line, kind))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if st.Bad != 3 || strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("workers %d: %d events, %d bad; want %d, 3 bad", workers, len(got), st.Bad, len(want))
			for i := range min(len(got), len(want)) {
				if got[i] != want[i] {
					t.Fatalf("event %d: %s, want %s", i+1, got[i], want[i])
				}
			}
		}
	}
}

// TestLastCut checks where segments are cut: before a newline that "{"
// follows and "}" or "]" precedes, never between an array's elements.
func TestLastCut(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"{}\n{}", 2},
		{"{} \r\n\n{}\n", 5},
		{"[\n{},\n{}", 0},
		{"[1]\n{},\n{}", 3},
		{"{\"a\":[\n{\"b\":\"}\n{}", 14},
		{"\n{}", 0},
		{"", 0},
	}
	for _, tt := range tests {
		if got := lastCut([]byte(tt.in)); got != tt.want {
			t.Errorf("lastCut(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

// TestRunLiveArray checks that the elements of a JSON array that a live
// stream writes are matched as they come, when the input pauses, not when
// the array ends (or fills a segment).
func TestRunLiveArray(t *testing.T) {
	r, w := io.Pipe()
	first := make(chan *Result, 1)
	done := make(chan error, 1)
	var got []string
	go func() {
		_, err := Run(Config{Ruleset: ruleset(t), Workers: 2, Pause: 5 * time.Millisecond}, r, func(res *Result) error {
			got = append(got, fmt.Sprintf("%d:%d:%v", res.Line, len(res.Hits), res.Bad))
			if res.Ordinal == 1 {
				first <- res
			}
			return nil
		})
		done <- err
	}()
	io.WriteString(w, "[\n{\"n\":\"hit\"},\n")
	select {
	case <-first:
	case <-time.After(10 * time.Second):
		t.Fatal("the first element was not matched while the array was open")
	}
	io.WriteString(w, "{\"n\":\"miss\"}\n]\n{\"n\":\"hit\"}\n")
	w.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if want := "[2:1:<nil> 3:0:<nil> 5:1:<nil>]"; fmt.Sprint(got) != want {
		t.Errorf("results %v, want %s", got, want)
	}
}
