package main

import (
	"io"

	"github.com/ruleforge/ruleforge/internal/pipeline"
)

// stoppable reads an input on a goroutine per read so that a signal stops
// match even while a read blocks on a silent pipe or terminal: the
// input's first bytes, which tell its format (openInput, decodeInput),
// are read before the pipeline, whose own reading goroutine heeds
// Config.Stop, starts. Once stop is closed Read returns
// pipeline.ErrStopped; a read under way ends when its input answers (the
// process is exiting by then).
type stoppable struct {
	r    io.Reader
	stop <-chan struct{}
	res  chan readResult // a read's result, buffered: the read never waits
	buf  []byte          // a read's buffer
}

// readResult is what one read of stoppable's input gave.
type readResult struct {
	n   int
	err error
}

// newStoppable returns r as a stoppable, or r itself when stop is nil (no
// signal handling).
func newStoppable(r io.Reader, stop <-chan struct{}) io.Reader {
	if stop == nil {
		return r
	}
	return &stoppable{r: r, stop: stop, res: make(chan readResult, 1)}
}

// Read reads from the input, or returns pipeline.ErrStopped once stop is
// closed. A read it gave up on at the stop still owns buf, and none
// starts after it.
func (s *stoppable) Read(p []byte) (int, error) {
	select { // a stop first, whatever else is ready
	case <-s.stop:
		return 0, pipeline.ErrStopped
	default:
	}
	if len(p) == 0 {
		return 0, nil
	}
	if cap(s.buf) < len(p) {
		s.buf = make([]byte, len(p))
	}
	buf := s.buf[:len(p)]
	go func() {
		n, err := s.r.Read(buf)
		s.res <- readResult{n, err}
	}()
	select {
	case res := <-s.res:
		return copy(p, buf[:res.n]), res.err
	case <-s.stop:
		return 0, pipeline.ErrStopped
	}
}
