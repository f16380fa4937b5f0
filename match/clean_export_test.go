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
// Reader: over the parts of its text that ScanOnly gave, as MatchRecord
// scans it (whole: over all of it), and the bytes of text read; parts
// reports whether ScanOnly gave parts. Nil and 0 when rs's index scans no
// text for keywords or r has none.
func KeywordKeys(rs *Ruleset, r *Record, whole bool) (keys []string, scanned int, parts bool) {
	s := r.text()
	if rs.index == nil || s == nil {
		return nil, 0, false
	}
	parts = r.fill && r.kw.on
	var ids idSink
	for _, ap := range rs.index.anyProbe {
		if ap == nil || ap.raw == nil {
			continue
		}
		if whole || !parts {
			ap.raw.ScanJSON(s.data, &ids)
			scanned += len(s.data)
			continue
		}
		r.scanKeywords(ap.raw, s.data, &ids)
		for i := 0; i+1 < len(r.kw.parts); i += 2 {
			scanned += int(r.kw.parts[i+1] - r.kw.parts[i])
		}
	}
	for _, id := range ids {
		keys = append(keys, rs.index.keys[id].text)
	}
	slices.Sort(keys)
	return slices.Compact(keys), scanned, parts
}

// MatchScanningWhole is rs.MatchRecord(r, nil) with the keyword scan
// reading all of r's text, whatever parts ScanOnly gave.
func MatchScanningWhole(rs *Ruleset, r *Record) []int {
	on := r.kw.on
	r.kw.on = false
	defer func() { r.kw.on = on }()
	return rs.MatchRecord(r, nil)
}

// RaceEnabled reports whether the race detector is on.
const RaceEnabled = raceEnabled

// KeywordParts returns the parts of r's text that ScanOnly gave (a copy),
// or nil when its keyword scan reads the whole text.
func KeywordParts(r *Record) []int32 {
	if !r.fill || !r.kw.on {
		return nil
	}
	return append([]int32{}, r.kw.parts...)
}
