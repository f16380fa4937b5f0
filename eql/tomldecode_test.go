package eql

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
	gotoml "github.com/pelletier/go-toml/v2"
)

// tomlCorpus returns the TOML files of both Elastic rule folders beside
// the module, skipping tb when they are absent.
func tomlCorpus(tb testing.TB) map[string][]byte {
	files := map[string][]byte{}
	for _, dir := range []string{corpusDir, corpusDir + "_building_block"} {
		if _, err := os.Stat(dir); err != nil {
			tb.Skipf("no corpus at %s: %v", dir, err)
		}
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".toml") {
				return err
			}
			files[path], err = os.ReadFile(path)
			return err
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
	return files
}

// TestDecodeTOML is a differential test of the two decoders decodeTOML
// uses: on every Elastic rule file and on the TOML of this package's
// tests, go-toml and BurntSushi/toml both succeed or both fail, and give
// the same values (arrays of tables, []any in go-toml and
// []map[string]any in BurntSushi, compared as []any).
func TestDecodeTOML(t *testing.T) {
	srcs := []string{
		"[rule]\nname = = 1\n", "rule = 1\n", "[metadata]\nmaturity = 1\n",
		"a = 1\n[[b]]\nc = 'x'\n[[b]]\nc = \"y\\u0041\"\n[b.d]\ne = [1, 2.5, true]\n",
		"[rule]\nthreat = [{framework = 'MITRE ATT&CK', tactic = {id = 'TA0002'}}]\n",
		"a = \"\"\"\nx \\\n  y\"\"\"\n", "a = '''\nx\n'''\n", "x = [1,\n", "a = 1 b = 2\n",
	}
	files := map[string][]byte{}
	for i, s := range srcs {
		files[string(rune('a'+i))+".toml"] = []byte(s)
	}
	if !testing.Short() {
		for name, src := range tomlCorpus(t) {
			files[name] = src
		}
	}
	for name, src := range files {
		var fast, slow map[string]any
		fastErr := gotoml.Unmarshal(src, &fast)
		_, slowErr := toml.Decode(string(src), &slow)
		if (fastErr == nil) != (slowErr == nil) {
			t.Errorf("%s: go-toml error %v, BurntSushi error %v", name, fastErr, slowErr)
			continue
		}
		if fastErr == nil && !reflect.DeepEqual(tomlArrays(fast), tomlArrays(slow)) {
			t.Errorf("%s: go-toml gives\n%#v\nBurntSushi gives\n%#v", name, fast, slow)
		}
	}
}

// tomlArrays returns v with its arrays of tables as []any and its
// datetimes as the string "datetime": go-toml's LocalTime and
// BurntSushi's time.Time differ, and decodeTOML's callers only ever
// name a datetime's type (tomlType), in an error.
func tomlArrays(v any) any {
	switch v := v.(type) {
	case time.Time, gotoml.LocalDateTime, gotoml.LocalDate, gotoml.LocalTime:
		return "datetime"
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = tomlArrays(e)
		}
		return out
	case []map[string]any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = tomlArrays(e)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = tomlArrays(e)
		}
		return out
	}
	return v
}

// BenchmarkDecodeTOML decodes every Elastic rule file with go-toml, which
// decodeTOML uses first, and with BurntSushi/toml, which it falls back
// to: the reason for having both (issue 15, point 7).
func BenchmarkDecodeTOML(b *testing.B) {
	files := tomlCorpus(b)
	decoders := []struct {
		name   string
		decode func(src []byte, v *map[string]any) error
	}{
		{"go-toml", func(src []byte, v *map[string]any) error { return gotoml.Unmarshal(src, v) }},
		{"BurntSushi", func(src []byte, v *map[string]any) error {
			_, err := toml.Decode(string(src), v)
			return err
		}},
	}
	for _, dec := range decoders {
		b.Run(dec.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, src := range files {
					var doc map[string]any
					if err := dec.decode(src, &doc); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// FuzzParseTOML checks that no Elastic rule file makes parseTOML panic
// (it does not recover, as ParseTOML does) whichever of its two decoders
// reads the file, and that every error is an *ir.Error at a position
// inside the file. Seeds are in testdata/fuzz/FuzzParseTOML.
func FuzzParseTOML(f *testing.F) {
	f.Add(tomlRule(`'any where a == "x"'`))
	f.Add(tomlRule("\"\"\"\n  any where \\\n    a == \"\\u00e9\"\n\"\"\""))
	f.Add("[rule]\nname = = 1\n")
	f.Add("[rule]\nlanguage = \"eql\"\nrule_id = \"r1\"\nquery = 'any where true'\n[[rule.threat]]\n[rule.threat.tactic]\nid = \"TA0002\"\n")
	f.Fuzz(func(t *testing.T, src string) {
		_, err := parseTOML("r.toml", []byte(src), newConfig(nil))
		if err != nil {
			checkError(t, src, err)
		}
	})
}

// FuzzDecodeTOMLSame is TestDecodeTOML on any input: whenever go-toml
// decodes a file, which decodeTOML then takes without asking BurntSushi,
// BurntSushi/toml (the decoder before it, whose errors ruleforge reports)
// decodes it too, to the same values. A file go-toml accepts and
// BurntSushi rejects would load now where it failed before.
func FuzzDecodeTOMLSame(f *testing.F) {
	f.Add(tomlRule(`'any where a == "x"'`))
	f.Add("a = 1\n[[b]]\nc = 'x'\n[[b]]\nc = \"y\\u0041\"\n[b.d]\ne = [1, 2.5, true]\n")
	f.Add("[rule]\nthreat = [{framework = 'MITRE ATT&CK', tactic = {id = 'TA0002'}}]\n")
	f.Add("a = \"\"\"\nx \\\n  y\"\"\"\nb = '''\nx\n'''\nc = 1979-05-27T07:32:00Z\nd = 0x1F\n")
	f.Fuzz(func(t *testing.T, src string) {
		if checkTOMLDepth("f.toml", src, MaxTOMLDepth) != nil {
			return // rejected before decodeTOML, as parseTOML does
		}
		var fast, slow map[string]any
		if gotoml.Unmarshal([]byte(src), &fast) != nil {
			return
		}
		if _, err := toml.Decode(src, &slow); err != nil {
			t.Fatalf("go-toml decodes %q, BurntSushi fails: %v", src, err)
		}
		if !reflect.DeepEqual(tomlArrays(fast), tomlArrays(slow)) {
			t.Fatalf("%q: go-toml gives\n%#v\nBurntSushi gives\n%#v", src, fast, slow)
		}
	})
}
