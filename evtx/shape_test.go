package evtx

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"
)

// mapBuilder is a Visitor that builds the record as encoding/json
// decodes JSON (with UseNumber): what Walk hands over must be what a JSON
// reader gets from AppendJSON's text.
type mapBuilder struct {
	stack []any // the open objects (map[string]any) and arrays (*[]any)
	keys  []string
	root  any
}

func (m *mapBuilder) put(key string, v any) {
	if len(m.stack) == 0 {
		m.root = v
		return
	}
	switch c := m.stack[len(m.stack)-1].(type) {
	case map[string]any:
		if _, dup := c[key]; dup {
			panic("key " + key + " repeated")
		}
		c[key] = v
	case *[]any:
		*c = append(*c, v)
	}
}

func (m *mapBuilder) Object(key string) bool {
	o := map[string]any{}
	m.put(key, o)
	m.stack = append(m.stack, o)
	return true
}

func (m *mapBuilder) Array(key string) {
	m.stack = append(m.stack, &[]any{})
	m.keys = append(m.keys, key)
}

func (m *mapBuilder) End() {
	top := m.stack[len(m.stack)-1]
	m.stack = m.stack[:len(m.stack)-1]
	if a, ok := top.(*[]any); ok {
		key := m.keys[len(m.keys)-1]
		m.keys = m.keys[:len(m.keys)-1]
		m.put(key, *a)
	}
}

func (m *mapBuilder) Value(key string, v Value) {
	var x any
	switch v.Kind() {
	case KindString:
		x = v.Text()
	case KindNumber:
		x = json.Number(v.Text())
	case KindBool:
		x = v.Text() == "true"
	case KindNull:
		x = nil
	default:
		panic("value of kind " + v.Kind().String())
	}
	m.put(key, x)
}

// TestWalkAsJSON walks every record of the fixtures and of the corpus and
// checks that the members Walk hands over are those of AppendJSON's JSON,
// decoded.
func TestWalkAsJSON(t *testing.T) {
	files := testFiles(t)
	n := 0
	eachFileRecord(t, files, func(name string, rec *Record) {
		if msg := walkDiffers(rec, rec.AppendJSON(nil)); msg != "" {
			t.Fatalf("%s: record %d: %s", name, rec.ID, msg)
		}
		n++
	})
	t.Logf("%d records", n)
}

// walkDiffers says how what Walk hands over for rec differs from its
// JSON, decoded, or returns "".
func walkDiffers(rec *Record, jsonText []byte) string {
	var want any
	dec := json.NewDecoder(bytes.NewReader(jsonText))
	dec.UseNumber()
	if err := dec.Decode(&want); err != nil {
		return err.Error()
	}
	var m mapBuilder
	rec.Walk(&m)
	if !reflect.DeepEqual(m.root, want) {
		return fmt.Sprintf("Walk gave\n%v\nAppendJSON\n%v", m.root, want)
	}
	return ""
}

// testFiles returns the built fixture file, the testdata files named and
// every file of the corpus (when there is one), by name.
func testFiles(t testing.TB, testdata ...string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{"fixture": buildFile(0, fixtureChunk(1), fixtureChunk(4))}
	names := testdata
	if _, err := os.Stat(corpus); err == nil {
		names = append(names, corpusFiles(t)...)
	}
	for _, f := range names {
		path := f
		if !strings.Contains(f, "/") {
			path = "testdata/" + f
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		files[f] = data
	}
	return files
}

// eachFileRecord calls f with every record of files that reads without
// damage (damage is TestDamage's), file by file.
func eachFileRecord(t testing.TB, files map[string][]byte, f func(name string, rec *Record)) {
	t.Helper()
	for name, data := range files {
		r, err := NewReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(name, err)
		}
		for {
			rec, err := r.Next()
			if err == io.EOF {
				break
			}
			if err == nil {
				f(name, rec)
			}
		}
	}
}
