package pipeline

import (
	"bytes"
	"errors"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"time"
)

const (
	// Pause is how long the input may stay silent, unless Config.Pause
	// says otherwise, before the events that have arrived are matched and
	// the output is flushed (Config.Flush): a live stream ("tail -f log |
	// ruleforge match") sees its hits within about this long, not after
	// the next segment or the end.
	Pause = 50 * time.Millisecond
	// chunkBytes is the size of one read of the input.
	chunkBytes = 64 << 10
	// chunks is how many reads the reading goroutine may be ahead.
	chunks = 8
)

// ErrStopped is Run's error when Config.Stop was closed: reading stopped
// there, and the events read before were all matched and emitted.
var ErrStopped = errors.New("stopped")

// chunk is one read of the input.
type chunk struct {
	data []byte
	err  error
}

// feed reads the input on a goroutine of its own, chunks ahead, so that
// the source can take what has arrived without waiting for more, see when
// the input pauses, and stop at once when told to even while a read
// blocks (a terminal, a pipe). After a stop the goroutine ends when its
// read returns. Input whose reads return at once (direct: a regular
// file, bytes in memory) never pauses and needs none of that: it is read
// on the caller's goroutine, straight into the segment that fill grows
// (no copy through a buffer of the feed's: on the evtx-JSON dumps of the
// shared corpus that copy was most of what Run adds to reading and
// matching the lines in a loop, BenchmarkMatchDumpFiles), and only what
// the stream reader frames (Read) goes through a buffer, which the
// feed's runs share through a pool.
type feed struct {
	direct io.Reader       // the input when read directly, or nil
	ready  chan chunk      // reads done, in order
	free   chan []byte     // buffers to read into
	quit   chan struct{}   // closed when the run is over
	stop   <-chan struct{} // Config.Stop
	abort  <-chan struct{} // closed when emit failed: the input no longer matters
	cur    []byte          // the rest of the chunk being taken
	buf    []byte          // cur's buffer, recycled once cur is taken
	err    error           // what ended the input: a read error, io.EOF or ErrStopped
	held   []chunk         // reads that arrives took from ready, to be taken before it
	pause  time.Duration   // Config.Pause
	timer  *time.Timer
}

// newFeed starts reading r, directly if told (Config.Direct) or if its
// reads return at once (direct); stop or abort, when closed, end the
// input with ErrStopped; the input pauses when silent for pause.
func newFeed(r io.Reader, isDirect bool, stop, abort <-chan struct{}, pause time.Duration) *feed {
	if isDirect || direct(r) {
		return &feed{direct: r, stop: stop, abort: abort, pause: pause}
	}
	f := &feed{ready: make(chan chunk, chunks), free: make(chan []byte, chunks), quit: make(chan struct{}), stop: stop, abort: abort, pause: pause}
	go f.read(r)
	return f
}

// feedBuffers holds the read buffers of direct feeds whose runs are over.
var feedBuffers = sync.Pool{New: func() any { b := make([]byte, chunkBytes); return &b }}

// direct reports whether r's reads return at once, without waiting for
// input to arrive, so that a feed reads it directly: bytes in memory, or
// a regular file (not a pipe, terminal or socket, which may block).
func direct(r io.Reader) bool {
	switch r := r.(type) {
	case *bytes.Reader, *strings.Reader, *bytes.Buffer:
		return true
	case *os.File:
		info, err := r.Stat()
		return err == nil && info.Mode().IsRegular()
	}
	return false
}

// readDirect reads the next chunk of a direct feed into its buffer, which
// holds nothing still to be taken (take and Read copy what they take).
func (f *feed) readDirect() {
	if f.buf == nil {
		f.buf = *feedBuffers.Get().(*[]byte)
	}
	f.cur = f.readInto(f.buf[:0], cap(f.buf))
}

// readInto appends to data what one read of a direct feed's input gives,
// at most n bytes, read into data's spare capacity, and sets f.err to the
// read's error. Like bufio, it gives up with io.ErrNoProgress after many
// empty reads.
func (f *feed) readInto(data []byte, n int) []byte {
	data = slices.Grow(data, n)
	for range 100 {
		k, err := f.direct.Read(data[len(data) : len(data)+n])
		if k > 0 || err != nil {
			f.err = err
			return data[:len(data)+k]
		}
	}
	f.err = io.ErrNoProgress
	return data
}

// read is the reading goroutine. It makes a buffer only when none has
// come back and fewer than chunks are made: a small file, a run per file
// of a folder, is read with one or two, not chunks of them.
func (f *feed) read(r io.Reader) {
	made := 0
	for {
		var buf []byte
		select {
		case buf = <-f.free:
		case <-f.quit:
			return
		default:
			if made < chunks {
				made++
				buf = make([]byte, chunkBytes)
				break
			}
			select {
			case buf = <-f.free:
			case <-f.quit:
				return
			}
		}
		n, err := r.Read(buf[:cap(buf)])
		if n == 0 && err == nil {
			f.free <- buf
			continue
		}
		select {
		case f.ready <- chunk{buf[:n], err}:
		case <-f.quit:
			return
		}
		if err != nil {
			return
		}
	}
}

// close ends the reading goroutine once its read returns, or gives a
// direct feed's buffer back for later runs.
func (f *feed) close() {
	if f.direct != nil {
		f.cur = nil
		if f.buf != nil {
			feedBuffers.Put(&f.buf)
		}
		return
	}
	close(f.quit)
}

// await waits until input has arrived (cur holds some) or the input is
// over (err is set); wait < 0 waits as long as it takes. It reports false
// when wait passed first: the input paused.
func (f *feed) await(wait time.Duration) bool {
	if f.halted() || len(f.cur) > 0 || f.err != nil {
		return true
	}
	if f.direct != nil {
		f.readDirect()
		return true
	}
	if len(f.held) > 0 {
		c := f.held[0]
		f.held = f.held[1:]
		f.use(c)
		return true
	}
	var timeout <-chan time.Time
	if wait >= 0 {
		if f.timer == nil {
			f.timer = time.NewTimer(wait)
		} else {
			f.timer.Reset(wait)
		}
		defer f.timer.Stop()
		timeout = f.timer.C
	}
	var c chunk
	select {
	case c = <-f.ready:
	case <-f.stop:
		return f.halt()
	case <-f.abort:
		return f.halt()
	case <-timeout:
		return false
	}
	f.use(c)
	return true
}

// use makes c the chunk being taken, recycling the buffer of the last.
func (f *feed) use(c chunk) {
	if f.buf != nil {
		f.free <- f.buf
	}
	f.cur, f.buf, f.err = c.data, c.data, c.err
}

// arrives waits at most f.pause for a read beyond those f.cur and f.held
// hold and keeps it in f.held (await takes it in turn). It reports whether
// one came: not when the input paused or was stopped, nor when the
// reading goroutine has no buffer left to read into.
func (f *feed) arrives() bool {
	if len(f.held) >= chunks-1 {
		return false
	}
	if f.timer == nil {
		f.timer = time.NewTimer(f.pause)
	} else {
		f.timer.Reset(f.pause)
	}
	defer f.timer.Stop()
	select {
	case c := <-f.ready:
		f.held = append(f.held, c)
		return true
	case <-f.stop:
	case <-f.abort:
	case <-f.timer.C:
	}
	return false
}

// over reports whether the input's end, or a read error, has arrived.
func (f *feed) over() bool {
	return f.err != nil || len(f.held) > 0 && f.held[len(f.held)-1].err != nil
}

// pending returns a reader of what has arrived and is not taken yet: the
// rest of f.cur, then f.held.
func (f *feed) pending() io.Reader {
	rs := make([]io.Reader, 0, 1+len(f.held))
	rs = append(rs, bytes.NewReader(f.cur))
	for _, c := range f.held {
		rs = append(rs, bytes.NewReader(c.data))
	}
	return io.MultiReader(rs...)
}

// halted ends the input with ErrStopped, and reports true, if stop or
// abort is closed.
func (f *feed) halted() bool {
	select {
	case <-f.stop:
		return f.halt()
	case <-f.abort:
		return f.halt()
	default:
		return false
	}
}

// halt ends the input with ErrStopped and reports true (await's result).
func (f *feed) halt() bool {
	f.cur, f.err = nil, ErrStopped
	return true
}

// take appends to data up to n bytes of what has arrived.
func (f *feed) take(data []byte, n int) []byte {
	k := min(n, len(f.cur))
	data = append(data, f.cur[:k]...)
	f.cur = f.cur[k:]
	return data
}

// fill appends up to size bytes of input to data: it waits for the first
// byte as long as it takes (at most f.pause if brief) and then for more at
// most f.pause at a time. It reports whether the input paused before size
// bytes came, and returns the error that ended the input (io.EOF at its
// end) once what came before it is taken.
func (f *feed) fill(data []byte, size int, brief bool) ([]byte, bool, error) {
	for n := 0; n < size; {
		if f.direct != nil && len(f.cur) == 0 && f.err == nil && !f.halted() {
			m := len(data)
			data = f.readInto(data, size-n)
			n += len(data) - m
			continue
		}
		wait := time.Duration(-1)
		if n > 0 || brief {
			wait = f.pause
		}
		if !f.await(wait) {
			return data, true, nil
		}
		if len(f.cur) == 0 {
			return data, false, f.err
		}
		m := len(data)
		data = f.take(data, size-n)
		n += len(data) - m
	}
	return data, false, nil
}

// Read reads what has arrived into p, waiting only when nothing has: the
// feed as an io.Reader for the stream reader that frames what segments
// cannot.
func (f *feed) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	f.await(-1)
	if len(f.cur) == 0 {
		return 0, f.err
	}
	n := copy(p, f.cur)
	f.cur = f.cur[n:]
	return n, nil
}
