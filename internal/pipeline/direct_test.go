package pipeline

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ruleforge/ruleforge/normalize"
)

// opaque hides what reader it wraps, so that a feed reads it on its
// goroutine.
type opaque struct{ r io.Reader }

func (o opaque) Read(p []byte) (int, error) { return o.r.Read(p) }

// TestDirect checks which inputs a feed reads directly, on the caller's
// goroutine: those whose reads return at once, never a pipe.
func TestDirect(t *testing.T) {
	file := filepath.Join(t.TempDir(), "f.json")
	if err := os.WriteFile(file, []byte("{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	defer pw.Close()
	for _, c := range []struct {
		name string
		r    io.Reader
		want bool
	}{
		{"bytes.Reader", bytes.NewReader(nil), true},
		{"strings.Reader", strings.NewReader(""), true},
		{"bytes.Buffer", new(bytes.Buffer), true},
		{"regular file", f, true},
		{"pipe", pr, false},
		{"bufio.Reader", bufio.NewReader(f), false},
		{"opaque", opaque{f}, false},
	} {
		if got := direct(c.r); got != c.want {
			t.Errorf("%s: direct %v, want %v", c.name, got, c.want)
		}
		// Config.Direct says so of any reader.
		f := newFeed(c.r, true, nil, nil, time.Hour)
		if f.direct == nil {
			t.Errorf("%s: not read directly with Config.Direct", c.name)
		}
		f.close()
	}
}

// directInput returns NDJSON events, a JSON array of them much longer
// than the feed's read buffer (framed by the source's stream reader,
// which reads across several reads into the same buffer), then NDJSON
// again, about 4*chunkBytes in all, events crossing every read's end.
func directInput() []byte {
	var b bytes.Buffer
	b.WriteString(input(500))
	b.WriteString("[\n")
	for i := 0; b.Len() < 3*chunkBytes; i++ {
		fmt.Fprintf(&b, `  {"n":"%s","i":%d},`+"\n", []string{"hit", "miss", "x"}[i%3], i)
	}
	b.WriteString("  {\"n\":\"hit\"}\n]\n")
	b.WriteString(input(700))
	return b.Bytes()
}

// TestRunDirectSame checks that a run on input read directly (bytes in
// memory, a regular file), inline on one worker or on goroutines, gives
// every event, line, size, raw text, hit and error of one stream reader
// over the whole input, as a run on the same input read by the feed's
// goroutine does (an opaque reader; read directly with Config.Direct), with several such runs at once sharing the pooled read
// buffers and batches (a buffer reused while its events were still
// matched or quoted would change Raw or hits). A direct feed never waits
// for the input to pause: the runs take far less than Config.Pause.
func TestRunDirectSame(t *testing.T) {
	in := directInput()
	file := filepath.Join(t.TempDir(), "in.json")
	if err := os.WriteFile(file, in, 0o644); err != nil {
		t.Fatal(err)
	}
	rs := ruleset(t)
	inputs := map[string]func() (io.Reader, func()){
		"bytes":   func() (io.Reader, func()) { return bytes.NewReader(in), func() {} },
		"strings": func() (io.Reader, func()) { return strings.NewReader(string(in)), func() {} },
		"opaque":  func() (io.Reader, func()) { return opaque{bytes.NewReader(in)}, func() {} },
		"Direct":  func() (io.Reader, func()) { return opaque{bytes.NewReader(in)}, func() {} },
		"file": func() (io.Reader, func()) {
			f, err := os.Open(file)
			if err != nil {
				panic(err)
			}
			return f, func() { f.Close() }
		},
	}
	const pause = 3 * time.Second
	var wg sync.WaitGroup
	for _, workers := range []int{1, 2} {
		cfg := Config{Ruleset: rs, Workers: workers, KeepRaw: true, Format: normalize.Auto, Pause: pause}
		want := fmt.Sprint(reference(cfg, in))
		for name, open := range inputs {
			for _, seg := range []int{1000, SegmentBytes} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					r, done := open()
					defer done()
					cfg := cfg
					cfg.Direct = name == "Direct"
					var got []outcome
					start := time.Now()
					st, err := run(cfg, r, func(res *Result) error { got = append(got, outcomeOf(res)); return nil }, seg, 4*seg)
					if err != nil || st.Events != len(got) {
						t.Errorf("%s, %d workers, segments of %d: %+v, %v", name, workers, seg, st, err)
					}
					if fmt.Sprint(got) != want {
						t.Errorf("%s, %d workers, segments of %d: %d results differ from the reference's", name, workers, seg, len(got))
					}
					if d := time.Since(start); name != "opaque" && d >= pause {
						t.Errorf("%s, %d workers, segments of %d: took %v, waited for a pause", name, workers, seg, d)
					}
				}()
			}
		}
	}
	wg.Wait()
}

// TestRunDirectStopAndEmitError checks that a direct run stops reading
// when Config.Stop is closed (ErrStopped, the events read up to then all
// emitted) and when emit fails (its error), and calls Flush.
func TestRunDirectStopAndEmitError(t *testing.T) {
	in := directInput()
	rs := ruleset(t)
	stop := make(chan struct{})
	n, flushes := 0, 0
	cfg := Config{Ruleset: rs, Workers: 1, Stop: stop, Flush: func() error { flushes++; return nil }}
	st, err := run(cfg, bytes.NewReader(in), func(*Result) error {
		if n++; n == 10 {
			close(stop)
		}
		return nil
	}, 1000, 4000)
	if !errors.Is(err, ErrStopped) || st.Events != n || n >= 1000 || flushes == 0 {
		t.Errorf("stopped: %+v, %v after %d events, %d flushes; want ErrStopped soon after 10 events, flushed", st, err, n, flushes)
	}
	boom := errors.New("boom")
	n = 0
	cfg = Config{Ruleset: rs, Workers: 1}
	st, err = run(cfg, bytes.NewReader(in), func(*Result) error { n++; return boom }, 1000, 4000)
	if !errors.Is(err, boom) || n != 1 || st.Events >= 1000 {
		t.Errorf("emit failed: %+v, %v after %d emits; want boom after 1 and reading stopped", st, err, n)
	}
}
