package pipeline

// collector is the ordered end of a run: it takes the workers' numbered
// pieces of work (segments of JSON text, .evtx chunks) as they finish,
// hands their results to emit in input order, numbers and counts them,
// and on the first error stops the run (closing stop) while still
// counting what was read.
type collector[T any] struct {
	emit    func(*Result) error
	stop    chan struct{}
	pending map[int]T // finished pieces waiting for an earlier one; made when one first does (never in a run on one goroutine, a run per file of a folder)
	next    int       // the sequence number of the next piece to emit
	ordinal int       // the last result's ordinal
	st      Stats
	err     error // the first error of emit or fail
}

// newCollector returns a collector that emits to emit and closes stop on
// the first error.
func newCollector[T any](emit func(*Result) error, stop chan struct{}) *collector[T] {
	return &collector[T]{emit: emit, stop: stop}
}

// add takes piece seq and emits every piece now in order: results gives
// a piece's results, and done is called once each piece is emitted (to
// recycle it). A piece that comes in order is emitted without going
// through pending.
func (c *collector[T]) add(seq int, piece T, results func(T) []Result, done func(T)) {
	if seq != c.next { // an earlier piece is still to come
		if c.pending == nil {
			c.pending = map[int]T{}
		}
		c.pending[seq] = piece
		return
	}
	for ok := true; ok; piece, ok = c.pending[c.next] {
		delete(c.pending, c.next)
		c.next++
		rs := results(piece)
		for i := range rs {
			res := &rs[i]
			c.ordinal++
			res.Ordinal = c.ordinal
			c.st.count(res)
			if c.err == nil {
				c.fail(c.emit(res))
			}
		}
		done(piece)
	}
}

// fail stops the run with err, the first time it is not nil.
func (c *collector[T]) fail(err error) {
	if c.err == nil && err != nil {
		c.err = err
		close(c.stop)
	}
}

// result returns the run's counts and its error: the collector's first,
// else readErr.
func (c *collector[T]) result(readErr error) (Stats, error) {
	if c.err != nil {
		return c.st, c.err
	}
	return c.st, readErr
}
