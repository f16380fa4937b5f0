package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/ruleforge/ruleforge/internal/pipeline"
)

// progress prints, about once a second, a line on a terminal's standard
// error: bytes read, events, events per second and hits so far.
type progress struct {
	w       io.Writer
	on      bool
	st      pipeline.Stats // so far, all inputs
	start   time.Time
	last    time.Time
	shown   bool // a progress line is on the screen
	pending int  // events since the clock was last read
}

// newProgress returns a progress line for w, printing only when on;
// before counts the inputs already done.
func newProgress(w io.Writer, on bool, before pipeline.Stats) *progress {
	now := time.Now()
	return &progress{w: w, on: on, st: before, start: now, last: now}
}

// event counts one event's result and refreshes the line when due.
func (p *progress) event(res *pipeline.Result) {
	if !p.on {
		return
	}
	p.st.Events++
	p.st.Bytes += int64(res.Bytes)
	p.st.Hits += len(res.Hits)
	if p.pending++; p.pending < 4096 {
		return
	}
	p.pending = 0
	now := time.Now()
	if now.Sub(p.last) < time.Second {
		return
	}
	p.last = now
	secs := now.Sub(p.start).Seconds()
	fmt.Fprintf(p.w, "\r\033[Kruleforge: %.1f MB, %d events (%.0f/s), %d hits", float64(p.st.Bytes)/1e6, p.st.Events, float64(p.st.Events)/secs, p.st.Hits)
	p.shown = true
}

// clear removes the progress line before other output on the terminal.
func (p *progress) clear() {
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
		p.shown = false
	}
}

// isTerminal reports whether w is a terminal (a character device).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
