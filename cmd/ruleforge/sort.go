package main

import (
	"bufio"
	"cmp"
	"slices"
)

// maxSortedRows is how many rows -sort holds by default (-sort-limit):
// beyond it, the rows held are written, sorted, and sorting starts again,
// so memory stays bounded; the run says how many times.
const maxSortedRows = 500_000

// add writes a row, or with -sort holds it.
func (h *hunt) add(out *bufio.Writer, r hitRow) {
	if !h.sort {
		h.rows.row(out, r)
		return
	}
	h.held = append(h.held, r)
	if len(h.held) >= h.sortLimit {
		h.flush(out)
		h.runs++
	}
}

// flush writes the rows -sort holds, by event time (rows without one
// last, each kept in input order among equals).
func (h *hunt) flush(out *bufio.Writer) {
	slices.SortStableFunc(h.held, func(a, b hitRow) int {
		ta, tb := a.info.time, b.info.time
		switch {
		case ta.IsZero() || tb.IsZero():
			return cmp.Compare(btoi(ta.IsZero()), btoi(tb.IsZero()))
		}
		return ta.Compare(tb)
	})
	for _, r := range h.held {
		h.rows.row(out, r)
	}
	clear(h.held)
	h.held = h.held[:0]
}

// btoi is 1 for true, 0 for false.
func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
