package match

import (
	"strings"

	"github.com/ruleforge/ruleforge/internal/matcher"
)

// Keyword scans of values known clean. The rule index scans the JSON text
// of an event's values for its keywords in one pass (probePhase): a
// filled record's text (FillValues) is a JSON array of the values, most
// of them the same as in the last record of their shape (package
// normalize's fill programs). When no keyword can be found across two
// values of such a text (apartKeys), the keys a scan of the text finds
// are those each value's JSON alone holds: a value whose JSON holds none
// (clean) need not be scanned again while it stays the same. The filler
// asks the record whether a value that came back is clean (Clean), keeps
// the answer with the value, and gives the record the JSON array of the
// values not known clean, for the scan, in place of the values' text,
// which it makes only if the record needs it: for Each, which keyword
// tests and -explain read (FillValuesLazy). The values it gives for the
// scan are not JSON but each string's text between quotes, unescaped,
// which ScanText reads (apartKeys). TestKeywordClean compares
// the keys found so with those found in the whole text.

// keywordScan is the keyword automata of a ruleset's rule index whose
// scans of a filled record's text may skip clean values: every phase's
// raw automaton, each finding keys within single values only (apartKeys).
type keywordScan struct {
	raw []*matcher.Automaton
	// plain holds the bytes of which a text holds no key of raw
	// (plainBytes), for Plain.
	plain [256]bool
}

// keywordScan returns ix's keywordScan, or nil when ix scans no text for
// keywords or one of its raw automata may find a key across two values.
func (ix *index) keywordScan() *keywordScan {
	var k keywordScan
	var keys []string
	for _, ap := range ix.anyProbe {
		if ap == nil || ap.raw == nil {
			continue // no keywords in the phase, or keys probed value by value (Each): the text is not scanned
		}
		if !ap.apart {
			return nil
		}
		k.raw = append(k.raw, ap.raw)
		keys = append(keys, ap.keys...)
	}
	if k.raw == nil {
		return nil
	}
	k.plain = plainBytes(keys)
	return &k
}

// plainCandidates are the bytes plainBytes tries: those of the JSON of
// the values that change from record to record and that no keyword
// search is after (times as YYYY-MM-DDTHH:MM:SS.ffffffZ, numbers,
// GUIDs, hex as 0x..., in quotes).
const plainCandidates = `0123456789-:.TZtzxXabcdefABCDEF" +`

// plainBytes returns the bytes of plainCandidates of which a text holds
// none of keys (folded, as a raw automaton holds them): each key has a
// byte that no byte kept folds to. A raw automaton steps on each plain
// byte (ASCII, not a backslash: no escape) by its folded class, and a
// key is found only where each of its bytes is; so a JSON text made only
// of the bytes kept holds no key. A key all of whose bytes are
// candidates has its first byte, in both cases, left out.
func plainBytes(keys []string) (plain [256]bool) {
	for i := 0; i < len(plainCandidates); i++ {
		plain[plainCandidates[i]] = true
	}
	for _, k := range keys {
		all := len(k) > 0
		for i := 0; i < len(k) && all; i++ {
			all = plain[k[i]] // a letter's two cases are kept or left out together
		}
		if all {
			c := k[0]
			plain[c] = false
			if 'a' <= c && c <= 'z' {
				plain[c-'a'+'A'] = false
			}
		}
	}
	return plain
}

// Plain implements hooks.Filler.
func (f *filler) Plain(js []byte) bool {
	k := f.st.ruleset().keywords
	return k != nil && k.plainText(js)
}

// plainText reports whether js is made only of plain bytes, so holds no
// key of k.
func (k *keywordScan) plainText(js []byte) bool {
	for _, c := range js {
		if !k.plain[c] {
			return false
		}
	}
	return true
}

// apartKeys reports whether no key of texts (the keys of a raw
// automaton, folded) can be found across two values of a filled record's
// text, a JSON array of scalar values with no white space ("[v1,v2,…]"):
// matcher.Automaton.ScanJSON reads the text's syntax as it reads the
// values, so an occurrence spanning two values holds the comma between
// them, one spanning the array's start begins with its '[' and one
// spanning its end ends with its ']'. With no such key, an occurrence
// lies in one value's JSON, and the scan is back at the automaton's root
// state after each comma and after the '[': a scan of one value, or of a
// run of whole values with their commas, finds what the scan of the whole
// text finds there. (Escapes cannot make a comma: ScanJSON decodes them
// within a string, which a key crossing values would have to leave.)
// The same holds of the text FillValuesLazy gives, the values between
// commas, a string as its text between quotes, not escaped (ScanText): a
// key found across two values would hold the comma between them. On a
// string's quoted text ScanText finds the keys ScanJSON finds on its
// JSON, no more, no fewer: ScanJSON steps on the character an escape
// stands for, which the text holds as it is (FuzzScanText, package
// internal/matcher).
func apartKeys(texts []string) bool {
	for _, t := range texts {
		if strings.IndexByte(t, ',') >= 0 || strings.HasPrefix(t, "[") || strings.HasSuffix(t, "]") {
			return false
		}
	}
	return true
}

// keywordText is the values' text a filled record's keyword scan reads
// when FillValuesLazy gave it (on): the values not known clean, and the
// way to make the text of all of them, on first use (Record.text).
type keywordText struct {
	on     bool
	text   []byte
	values func() []byte
	found  foundSink // Clean's
	// The keyword scans of text: their automata (bit i: keywordScan.raw[i])
	// and whether one found a key (ScannedClean), through sink.
	scanned uint8
	held    bool
	sink    matcher.Heard // passes the scan's keys on, noting whether one came
	// The memory of the JSON scans of r's texts by automaton, to resume
	// each where the text before it left off (matcher.Resume).
	resumes []keywordResume
}

// keywordResume is a record's matcher.Resume of one automaton's scans.
type keywordResume struct {
	a *matcher.Automaton
	r matcher.Resume
}

// maxResumes is how many automata's scans a record keeps a
// matcher.Resume of: a ruleset has one automaton a phase, two phases at
// most, and a reader's record sees one ruleset.
const maxResumes = 4

// resume returns k's matcher.Resume of the scans with a, made on first
// use; past maxResumes automata, it forgets the others'.
func (k *keywordText) resume(a *matcher.Automaton) *matcher.Resume {
	for i := range k.resumes {
		if k.resumes[i].a == a {
			return &k.resumes[i].r
		}
	}
	if len(k.resumes) == maxResumes {
		k.resumes = k.resumes[:0]
	}
	k.resumes = append(k.resumes, keywordResume{a: a})
	return &k.resumes[len(k.resumes)-1].r
}

// foundSink is a matcher.Sink that notes whether a key was reported.
type foundSink bool

// Fire implements matcher.Sink.
func (f *foundSink) Fire(int32) { *f = true }

// Keywords implements hooks.Filler.
func (f *filler) Keywords() bool { return f.st.ruleset().keywords != nil }

// Clean implements hooks.Filler: no raw automaton of the record's
// ruleset finds a key in text, a value's text (ScanText).
func (f *filler) Clean(text []byte) bool {
	k := f.st.ruleset().keywords
	if k == nil {
		return false
	}
	if k.plainText(text) {
		return true
	}
	kw := &f.kw
	kw.found = false
	for _, a := range k.raw {
		if a.ScanText(text, &kw.found); kw.found {
			return false
		}
	}
	return true
}

// FillValuesLazy implements hooks.Filler.
func (f *filler) FillValuesLazy(text []byte, values func() []byte) {
	if f.st.ruleset().keywords == nil {
		f.FillValues(values())
		return
	}
	r := (*Record)(f)
	if r.scan == nil {
		r.scan = newScanner(r)
	}
	r.scan.begin(nil)
	r.kw.on, r.kw.text, r.kw.values, r.kw.scanned, r.kw.held = true, text, values, 0, false
}

// ScannedClean implements hooks.Filler.
func (f *filler) ScannedClean() bool {
	k := f.st.ruleset().keywords
	return f.fill && f.kw.on && k != nil && !f.kw.held && int(f.kw.scanned) == 1<<len(k.raw)-1
}

// scanKeywords scans text, the text r's keyword scan reads (keywordText),
// for the keys of raw, an automaton of r's ruleset's rule index,
// reporting them to x; for the values FillValuesLazy gave, it notes the
// scan and whether it found a key (ScannedClean).
func (r *Record) scanKeywords(raw *matcher.Automaton, text []byte, x matcher.Sink) {
	k := &r.kw
	if !r.fill || !k.on {
		raw.ScanJSONResume(text, x, k.resume(raw)) // a JSON line shares its start and end with the last
		return
	}
	k.sink = matcher.Heard{X: x}
	raw.ScanText(text, &k.sink) // the values' text, strings not as JSON (hooks.Filler.FillValuesLazy)
	k.held = k.held || k.sink.Any
	k.sink.X = nil
	for i, a := range r.st.ruleset().keywords.raw {
		if a == raw {
			k.scanned |= 1 << i
		}
	}
}

// keywordText returns the text r's keyword scan reads: the values not
// known clean, when FillValuesLazy gave them, else r's text (nil: none).
func (r *Record) keywordText() []byte {
	if r.fill && r.kw.on {
		return r.kw.text
	}
	if s := r.text(); s != nil {
		return s.data
	}
	return nil
}

// inText reports whether str lies in the text the keyword scan read or
// in r's text, made or decoded (scanner.holds): its keys were found, or
// it holds none.
func (r *Record) inText(str string) bool {
	if r.fill && r.kw.on {
		s := r.scan
		return within(str, r.kw.text) || s.data != nil && s.holds(str)
	}
	s := r.text()
	return s != nil && s.holds(str)
}
