package match

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestResetJSONAgainstEncodingJSON reads the recorded Windows events of
// corpus/sigma-regression (pretty-printed as recorded, and compacted: the
// NDJSON shape of the evtx-JSON dumps) into one record whose ruleset
// reads every path of every event, objects included, and checks the
// value at each path against encoding/json's decoding of the same text
// (with UseNumber: the types ResetJSON's values have, RFC 8259's strings,
// escapes and numbers as encoding/json decodes them). One record reads
// all events in turn, so that its key orders (keyorder.go) are guessed
// right, and wrong where one event's members differ from the last's.
// checkResetJSON compares each event with ParseJSON too.
func TestResetJSONAgainstEncodingJSON(t *testing.T) {
	dir := filepath.Join("..", "..", "shared", "corpus", "sigma-regression")
	files, _ := filepath.Glob(filepath.Join(dir, "*", "events.json"))
	if len(files) == 0 {
		t.Skipf("no events in %s: the shared corpus is not beside the repository", dir)
	}
	var texts [][]byte
	var docs []any
	seen := map[string]bool{}
	var paths []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		for dec.More() {
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			var compact bytes.Buffer
			if err := json.Compact(&compact, raw); err != nil {
				t.Fatal(err)
			}
			doc := decodeNumbers(t, raw)
			eachPath(doc, "", func(p string) {
				if !seen[p] {
					seen[p] = true
					paths = append(paths, p)
				}
			})
			texts = append(texts, raw, compact.Bytes())
			docs = append(docs, doc, doc)
		}
	}
	slices.Sort(paths)
	rs, ps := jsonRuleset(t, paths, false)
	r := rs.NewRecord()
	values := 0
	for k, data := range texts {
		if err := r.ResetJSON(data); err != nil {
			t.Fatalf("ResetJSON(%s): %v", data, err)
		}
		for _, p := range ps {
			want, wok := lookupDecoded(docs[k], p.String())
			got, ok := r.Lookup(p)
			if ok != wok || !reflect.DeepEqual(got, want) {
				t.Fatalf("event %d: %s holds %#v, %v after ResetJSON; encoding/json: %#v, %v", k, p, got, ok, want, wok)
			}
			if ok {
				values++
			}
		}
		checkResetJSON(t, rs, rs.NewRecord(), ps, data)
	}
	t.Logf("%d events, %d paths, %d values compared", len(texts), len(paths), values)
}

// decodeNumbers decodes data as encoding/json does, numbers as json.Number.
func decodeNumbers(t *testing.T, data []byte) any {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// eachPath calls fn with the path of each value in v, an object decoded
// by encoding/json, below prefix: the members of nested objects, not
// those of objects in arrays, nor keys with dots or none (paths cannot
// name them part by part).
func eachPath(v any, prefix string, fn func(p string)) {
	m, ok := v.(map[string]any)
	if !ok {
		return
	}
	for k, c := range m {
		if k == "" || strings.Contains(k, ".") {
			continue
		}
		p := k
		if prefix != "" {
			p = prefix + "." + k
		}
		fn(p)
		eachPath(c, p, fn)
	}
}

// lookupDecoded returns the value at path p, parts joined by dots, in v.
func lookupDecoded(v any, p string) (any, bool) {
	for _, k := range strings.Split(p, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = m[k]; !ok {
			return nil, false
		}
	}
	return v, true
}
