package normalize

import (
	"slices"

	"github.com/ruleforge/ruleforge/match"
)

// ReaderPaths returns the paths every Reader's records hold besides the
// rules' (where the view's fields go and where their sources are) but the
// proper prefixes of the fields, which are objects in a decoded event.
func ReaderPaths() []*match.Path {
	p := pathsOnce()
	return slices.DeleteFunc(slices.Clone(p.all), func(q *match.Path) bool { return slices.Contains(p.prefixes, q) })
}

// ReaderObjects returns the proper prefixes of the view's fields.
func ReaderObjects() []*match.Path { return pathsOnce().prefixes }

// EVTXLookup looks p up in the .evtx record rd's last ReadEVTX read, as
// its record does for what it was not filled with.
func EVTXLookup(rd *Reader, p *match.Path) (any, bool) { return rd.fill.ev.Lookup(p) }

// FillProgramLimits sets the most fill programs rd keeps, their
// operations and the bytes of their memos together (maxFillPrograms,
// maxFillOps, maxFillMemo); programs < 0: none, every .evtx record is
// walked.
func FillProgramLimits(rd *Reader, programs, ops, memo int) {
	rd.fill.progs = fillPrograms{maxPrograms: programs, maxOps: ops, maxMemo: memo}
}

// FillProgramStats returns the fill programs rd keeps, how many of them
// walk their records, the records filled by programs and the evictions.
func FillProgramStats(rd *Reader) (programs, walks, runs, evictions int) {
	ps := &rd.fill.progs
	for _, p := range ps.progs {
		if p.walk {
			walks++
		}
	}
	return len(ps.progs), walks, ps.runs, ps.evictions
}

// FillProgramMemo returns the bytes of rd's programs' memos and view
// traces as rd counts them (fillPrograms.memo, which maxFillMemo bounds)
// and as they are: the capacities of their buffers.
func FillProgramMemo(rd *Reader) (counted, held int) {
	for _, p := range rd.fill.progs.progs {
		for _, m := range p.memo {
			held += cap(m.raw) + cap(m.json) + cap(m.text)
		}
		held += p.view.size()
	}
	return rd.fill.progs.memo, held
}

// ViewEvery makes rd's ECS view compute and add every field under an
// object its rules read, as the view did before it skipped the fields no
// rule reads at their own paths: it marks them read (recordView.read), as
// NewReaderWith did then. The reference of TestViewSkipsUnread.
func ViewEvery(rd *Reader) {
	for f, objects := range rd.out.objects {
		if len(objects) > 0 {
			rd.out.read[f] = true
		}
	}
}

// ViewTraceStats returns the records whose ECS view rd traced and those
// it gave from a trace (evtxview.go).
func ViewTraceStats(rd *Reader) (traced, given int) {
	return rd.fill.progs.viewsTraced, rd.fill.progs.viewsGiven
}
