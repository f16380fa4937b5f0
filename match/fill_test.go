package match_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/ruleforge/ruleforge"
	"github.com/ruleforge/ruleforge/compile"
	"github.com/ruleforge/ruleforge/internal/hooks"
	"github.com/ruleforge/ruleforge/match"
)

// jsonFiller fills a Record from JSON text through its hooks.Filler, as
// package normalize fills one from an .evtx record: it walks the text's
// tokens along the record's paths (Filler.Child), sets the values that end paths, marks objects, and gives
// every scalar to FillValues. It reports false for an event that Fill's
// callers leave to ResetJSON: a key with dots, a path through an array.
type jsonFiller struct {
	rec  hooks.Filler
	dec  *json.Decoder
	vals []byte
	ok   bool
}

// fill fills rec from data and reports whether it could.
func fill(rec *match.Record, data []byte) bool {
	f := &jsonFiller{rec: hooks.RecordFiller(rec), dec: json.NewDecoder(bytes.NewReader(data)), vals: []byte{'['}, ok: true}
	f.dec.UseNumber()
	doc, err := match.ParseJSON(data) // the event itself, for lookups of objects
	if err != nil {
		return false
	}
	f.value(f.rec.Fill(doc))
	f.rec.FillValues(append(f.vals, ']'))
	return f.ok
}

// value reads the value at k.
func (f *jsonFiller) value(k hooks.Key) {
	tok, _ := f.dec.Token()
	switch t := tok.(type) {
	case json.Delim:
		if t == '{' {
			f.rec.SetObject(k)
			for f.dec.More() {
				key, _ := f.dec.Token()
				name := key.(string)
				f.ok = f.ok && !(f.rec.Inner(k) && strings.Contains(name, "."))
				f.value(f.rec.Child(k, name))
			}
			f.dec.Token()
			return
		}
		f.ok = f.ok && !f.rec.Inner(k)
		var items []any
		for f.dec.More() {
			tok, _ := f.dec.Token() // the tests' arrays hold scalars
			items = append(items, f.scalar(tok))
		}
		f.dec.Token()
		f.rec.Set(k, f.rec.List(items))
	default:
		f.rec.Set(k, f.scalar(tok))
	}
}

// scalar boxes a scalar token in the record's memory and gives it to
// FillValues' text.
func (f *jsonFiller) scalar(tok any) any {
	if len(f.vals) > 1 {
		f.vals = append(f.vals, ',')
	}
	text, _ := json.Marshal(tok)
	f.vals = append(f.vals, text...)
	switch t := tok.(type) {
	case string:
		return f.rec.String(t)
	case json.Number:
		return f.rec.Number(string(t))
	}
	return tok
}

// TestFill fills records of the seed rules (with a keyword search) from
// the sample events with jsonFiller and checks that each holds what
// ResetJSON gives for the same text: values at every path, objects, the
// values Each visits in order, the rules matched and their reasons.
func TestFill(t *testing.T) {
	rules, errs := ruleforge.Load(filepath.Join("..", "testdata", "mofcomp_activity.eql"), filepath.Join("..", "testdata", "execution_mofcomp.toml"),
		filepath.Join("..", "testdata", "proc_creation_win_mofcomp_execution.yml"), filepath.Join("..", "normalize", "testdata", "keywords.yml"))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	rs, err := compile.Compile(rules)
	if err != nil {
		t.Fatal(err)
	}
	var paths []*match.Path
	for _, p := range rs.Paths() {
		paths = append(paths, match.NewPath(p))
	}
	data, err := os.ReadFile(filepath.Join("..", "testdata", "events", "sample.ndjson"))
	if err != nil {
		t.Fatal(err)
	}
	filled, scanned := rs.NewRecord(), rs.NewRecord()
	sc := bufio.NewScanner(bytes.NewReader(data))
	n, hits := 0, 0
	for sc.Scan() {
		line := sc.Bytes()
		if !fill(filled, line) {
			continue
		}
		n++
		if err := scanned.ResetJSON(line); err != nil {
			t.Fatal(err)
		}
		for _, p := range paths {
			gv, gok := filled.Lookup(p)
			wv, wok := scanned.Lookup(p)
			if gok != wok || !reflect.DeepEqual(gv, wv) {
				t.Fatalf("event %d: %s = %#v (%v) filled, %#v (%v) scanned", n, p, gv, gok, wv, wok)
			}
			gp, gobj := hooks.RecordHolds(filled, p)
			wp, wobj := hooks.RecordHolds(scanned, p)
			if gp != wp || gobj != wobj {
				t.Fatalf("event %d: %s held %v (object %v) filled, %v (%v) scanned", n, p, gp, gobj, wp, wobj)
			}
		}
		if g, w := inOrder(filled), inOrder(scanned); !slices.Equal(g, w) {
			t.Fatalf("event %d: Each visits %q filled, %q scanned", n, g, w)
		}
		gh, wh := rs.MatchRecord(filled, nil), rs.MatchRecord(scanned, nil)
		if !slices.Equal(gh, wh) {
			t.Fatalf("event %d: hits %v filled, %v scanned", n, gh, wh)
		}
		hits += len(gh)
		for _, i := range gh {
			if g, w := rs.Explain(filled, i), rs.Explain(scanned, i); !reflect.DeepEqual(g, w) {
				t.Fatalf("event %d: rule %d explained as %v filled, %v scanned", n, i, g, w)
			}
		}
	}
	if n < 3 || hits == 0 {
		t.Fatalf("%d events filled, %d hits: the sample has more", n, hits)
	}
	t.Logf("%d events, %d hits", n, hits)
}

// inOrder returns what rec.Each visits, in order, with each type.
func inOrder(rec *match.Record) []string {
	var out []string
	rec.Each(func(v any) bool {
		out = append(out, fmt.Sprintf("%T %v", v, v))
		return false
	})
	return out
}
