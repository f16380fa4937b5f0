package match

import (
	"slices"
)

// idSink collects the keys a scan reports.
type idSink []int32

// Fire implements matcher.Sink.
func (s *idSink) Fire(id int32) { *s = append(*s, id) }

// KeywordKeys returns the texts of the keys (sorted, distinct) that the
// keyword scans of rs's rule index find in r, a record of rs filled by a
// Reader: in the values not known clean that FillValuesLazy gave, as
// MatchRecord scans them (whole: in the text of all the values), and the
// bytes of text read; lazy reports whether FillValuesLazy gave them. Nil
// and 0 when rs's index scans no text for keywords or r has none.
func KeywordKeys(rs *Ruleset, r *Record, whole bool) (keys []string, scanned int, lazy bool) {
	lazy = r.fill && r.kw.on
	text := r.keywordText()
	if whole {
		if s := r.text(); s != nil {
			text = s.data
		}
	}
	if rs.index == nil || text == nil {
		return nil, 0, lazy
	}
	var ids idSink
	for _, ap := range rs.index.anyProbe {
		if ap != nil && ap.raw != nil {
			if lazy && !whole {
				ap.raw.ScanText(text, &ids) // as scanKeywords reads FillValuesLazy's text
			} else {
				ap.raw.ScanJSON(text, &ids)
			}
			scanned += len(text)
		}
	}
	for _, id := range ids {
		keys = append(keys, rs.index.keys[id].text)
	}
	slices.Sort(keys)
	return slices.Compact(keys), scanned, lazy
}

// MatchScanningWhole is rs.MatchRecord(r, nil) with the keyword scan
// reading the text of all of r's values, as FillValues gives it.
func MatchScanningWhole(rs *Ruleset, r *Record) []int {
	if !r.fill || !r.kw.on {
		return rs.MatchRecord(r, nil)
	}
	kw := r.kw
	(*filler)(r).FillValues(r.text().data)
	r.kw.on = false
	defer func() { r.kw = kw }()
	return rs.MatchRecord(r, nil)
}

// KeywordText returns the text r's keyword scan reads (a copy) and
// whether it is the values not known clean only (FillValuesLazy).
func KeywordText(r *Record) ([]byte, bool) {
	return slices.Clone(r.keywordText()), r.fill && r.kw.on
}

// RaceEnabled reports whether the race detector is on.
const RaceEnabled = raceEnabled
