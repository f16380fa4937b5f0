package pipeline

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"testing"
	"time"

	"github.com/ruleforge/ruleforge/internal/stream"
	"github.com/ruleforge/ruleforge/normalize"
)

// outcome is a result as FuzzRunSame compares it.
type outcome struct {
	Line, Bytes int
	Hits        []int
	Bad         string
	Raw         string
}

// reference frames the whole of in with one stream.Reader and decodes and
// matches each value as Run's workers do, one event at a time.
func reference(cfg Config, in []byte) []outcome {
	sr := stream.NewReader(bytes.NewReader(in), stream.MaxValueOf(cfg.maxEvent()))
	w := newWorker(cfg)
	var out []outcome
	for {
		v, err := sr.Next()
		if err != nil {
			return out
		}
		var res Result
		w.single(&res, bytes.Clone(v.Data), v.Line, badOf(v))
		out = append(out, outcomeOf(&res))
	}
}

// outcomeOf returns what FuzzRunSame compares of res.
func outcomeOf(res *Result) outcome {
	o := outcome{Line: res.Line, Bytes: res.Bytes, Hits: slices.Clone(res.Hits), Raw: string(res.Raw)}
	if res.Bad != nil {
		o.Bad = res.Bad.Error()
	}
	return o
}

// FuzzRunSame checks that Run, with segments cut anywhere a newline that
// "{" follows allows, on any number of workers, gives the events, lines,
// sizes, hits and errors of one stream.Reader over the whole input, with
// normalization (Windows events with Channel "hit" hit) or without it;
// small segment sizes exercise every
// kind of cut and the fallback to framing by one stream reader. With
// workers >= 128 the input arrives in eight pieces with pauses between
// them, which cut segments where the input paused (stream.LineBoundary).
func FuzzRunSame(f *testing.F) {
	f.Add([]byte("{\"n\":\"hit\"}\n{\"n\":\"miss\"}\n"), uint8(4), uint8(1), false)
	f.Add([]byte("\xEF\xBB\xBF{\"n\":\"hit\"}  \r\n{bad\n{\"Channel\":\"hit\"}\n{\"n\":\n \"hit\"}\n"), uint8(9), uint8(2), true)
	f.Add([]byte("{\"n\":\"hit\"} {\"n\":\"hit\"}\n[1]\ngarbage\n\n{\"a\":\"x\n{\"n\":\"hit\"}"), uint8(20), uint8(3), false)
	f.Add([]byte("{\"a\":\"long long long long long long long long long\"}\n{\"n\":\"hit\"}\n"), uint8(2), uint8(1), true)
	f.Add([]byte("[{\"n\":\"hit\"},\n {\"n\":\"miss\"}, 3,\n[{\"n\":\"hit\"}]]\n[]\n[1,]\n"), uint8(11), uint8(1), true)
	f.Add([]byte("[\n{\"n\":\"hit\"},\n{\"n\":\"x\n{\"n\":\"hit\"}\n{\"n\":{}\n{\"n\":\"hit\"}\n]\n[\n{\"n\":\"hit\"}\n{\"n\":\"hit\"}"), uint8(7), uint8(2), false)
	f.Add([]byte("[{\"n\":\"hit\"},\n{\"n\":\"hit\"}]\n{\"n\":\"hit\"}\n[\n  {\"n\":\"hit\"}\n  ,{\"n\":1}\n]"), uint8(5), uint8(200), true)
	f.Add([]byte(" {\"n\":\"hit\"}\n {\"n\":\n {\"n\":\"hit\"}\n\t{\"a\":[\n\t  {\"n\":\"hit\"}]}\n{\"n\":\"hit\"} x\n"), uint8(30), uint8(130), false)
	rs := ruleset(f)
	f.Fuzz(func(t *testing.T, in []byte, size, workers uint8, normalized bool) {
		cfg := Config{Ruleset: rs, Format: normalize.ECS, Pause: time.Millisecond}
		if normalized {
			cfg.Format = normalize.Auto
		}
		cfg.Workers, cfg.KeepRaw = int(workers%3)+1, true
		if size&64 != 0 {
			cfg.MaxEvent = 16 + int(size%32) // events and array elements too large
		}
		want := reference(cfg, in)
		var got []outcome
		seg := int(size%64) + 1
		var r io.Reader = bytes.NewReader(in)
		if workers >= 128 && len(in) < 512 {
			r = &pausing{data: in, piece: max(len(in)/8, 1), pause: cfg.Pause}
		}
		st, err := run(cfg, r, func(r *Result) error {
			if r.Ordinal != len(got)+1 {
				return fmt.Errorf("ordinal %d, want %d", r.Ordinal, len(got)+1)
			}
			got = append(got, outcomeOf(r))
			return nil
		}, seg, 4*seg)
		if err != nil {
			t.Fatal(err)
		}
		if st.Events != len(got) || st.Matched+st.Unmatched+st.Bad != st.Events {
			t.Fatalf("stats %+v for %d results", st, len(got))
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("segments of %d:\n got  %v\n want %v", seg, got, want)
		}
	})
}

// pausing returns data a piece at a time, pausing before each piece
// longer than the pipeline waits for more input.
type pausing struct {
	data  []byte
	piece int
	pause time.Duration // how long the pipeline waits
	read  bool
}

func (p *pausing) Read(b []byte) (int, error) {
	if len(p.data) == 0 {
		return 0, io.EOF
	}
	if p.read {
		time.Sleep(3 * p.pause)
	}
	p.read = true
	n := copy(b[:min(len(b), p.piece)], p.data)
	p.data = p.data[n:]
	return n, nil
}

// errReader returns data, then err.
type errReader struct {
	data []byte
	err  error
}

func (e *errReader) Read(p []byte) (int, error) {
	if len(e.data) == 0 {
		return 0, e.err
	}
	n := copy(p, e.data)
	e.data = e.data[n:]
	return n, nil
}

// TestRunReadError checks that a read error is returned after every event
// read before it is emitted.
func TestRunReadError(t *testing.T) {
	boom := errors.New("boom")
	in := input(2000)
	n := 0
	_, err := Run(Config{Ruleset: ruleset(t), Workers: 2}, &errReader{data: []byte(in), err: boom}, func(*Result) error { n++; return nil })
	if !errors.Is(err, boom) || n != 2000 {
		t.Errorf("err %v after %d events, want %v after 2000", err, n, boom)
	}
}

// TestSourceResumesSegments checks that the source goes back to cutting
// segments once input with no cut (indented NDJSON: no newline has a "{"
// right after it) is followed by input with cuts, instead of framing the
// rest of the input on one goroutine (issue 21), and that the events are
// those of one reader over the whole input.
func TestSourceResumesSegments(t *testing.T) {
	var in bytes.Buffer
	for in.Len() < 3*MaxSegment/2 {
		in.WriteString(" {\"n\":\"miss\"}\n")
	}
	for in.Len() < 3*MaxSegment {
		in.WriteString("{\"n\":\"hit\"}\n")
	}
	// No pause: on a loaded machine the reading goroutine can lag more
	// than Pause, and a pause cuts the input where it stands, which changes
	// the batch kinds this test checks (not the results).
	src := &source{in: newFeed(bytes.NewReader(in.Bytes()), false, nil, nil, time.Hour), size: SegmentBytes, most: MaxSegment, line: 1}
	defer src.in.close()
	var kinds []bool
	for {
		b := &batch{}
		if !src.next(b) {
			break
		}
		if len(kinds) == 0 || kinds[len(kinds)-1] != b.framed {
			kinds = append(kinds, b.framed)
		}
	}
	if fmt.Sprint(kinds) != "[true false]" {
		t.Errorf("batch kinds %v, want framed, then segments", kinds)
	}
	cfg := Config{Ruleset: ruleset(t), Workers: 2, Format: normalize.ECS}
	want := reference(cfg, in.Bytes())
	var got []outcome
	if _, err := Run(cfg, bytes.NewReader(in.Bytes()), func(r *Result) error { got = append(got, outcomeOf(r)); return nil }); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%d results differ from the reference's %d", len(got), len(want))
	}
}
