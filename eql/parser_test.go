package eql

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/ruleforge/ruleforge/ir"
)

// The hand-written parser (parser.go) against the reference parser
// participle builds from grammar.go's tags (parser_ref_test.go): on every
// query they must give the same tree, or the same error at the same
// position.

// elasticDirs hold Elastic's detection rules, when the corpus is checked
// out beside the module.
var elasticDirs = []string{corpusDir, "../../shared/corpus/elastic/rules_building_block"}

// dumpTree renders a parse tree, positions included, in one line; a nil
// and an empty slice render the same.
func dumpTree(q *query) string {
	var b strings.Builder
	dumpValue(&b, reflect.ValueOf(q))
	return b.String()
}

var positionType = reflect.TypeFor[position]()

func dumpValue(b *strings.Builder, v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			b.WriteString("nil")
			return
		}
		dumpValue(b, v.Elem())
	case reflect.Struct:
		if v.Type() == positionType {
			p := v.Interface().(position)
			fmt.Fprintf(b, "@%d:%d:%d", p.Offset, p.Line, p.Column)
			return
		}
		b.WriteString(v.Type().Name() + "{")
		for i := range v.NumField() {
			if i > 0 {
				b.WriteString(" ")
			}
			b.WriteString(v.Type().Field(i).Name + ":")
			dumpValue(b, v.Field(i))
		}
		b.WriteString("}")
	case reflect.Slice:
		b.WriteString("[")
		for i := range v.Len() {
			if i > 0 {
				b.WriteString(" ")
			}
			dumpValue(b, v.Index(i))
		}
		b.WriteString("]")
	case reflect.String:
		fmt.Fprintf(b, "%q", v.String())
	default:
		fmt.Fprintf(b, "%v", v.Interface())
	}
}

// compareParsers parses src with both parsers, after lexing and the
// limit checks as parse does them, and reports whether it parsed. The
// trees must be the same, or both parsers must fail. Errors may differ:
// parser.go reports the first token no query can have there, participle
// sometimes an earlier one (it backtracks out of an optional part such
// as ", value" and fails where that part began), never a later one. It
// returns false, and compares nothing, for a query lex or the limits
// reject.
func compareParsers(t *testing.T, src string) bool {
	t.Helper()
	toks, err := lex("q.eql", src, MaxStringLen)
	if err != nil || checkLimits(toks, newConfig(nil)) != nil {
		return false
	}
	got, gotErr := parseQuery(toks)
	want, wantErr := refParse(toks)
	switch {
	case gotErr != nil || wantErr != nil:
		if gotErr == nil || wantErr == nil || errorOffset(gotErr) < errorOffset(wantErr) {
			t.Errorf("%q:\n got error %v\nwant error %v (or one further on)", src, gotErr, wantErr)
		}
		return false
	case dumpTree(got) != dumpTree(want):
		t.Errorf("%q:\n got %s\nwant %s", src, dumpTree(got), dumpTree(want))
	}
	return true
}

// errorOffset returns the offset of an *ir.Error.
func errorOffset(err error) int {
	var e *ir.Error
	if !errors.As(err, &e) {
		return -1
	}
	return e.Pos.Offset
}

// corpusQueries returns the query of every stride-th rule file in
// elasticDirs (every one for 1), in walk order, or nil when the corpus is
// absent.
func corpusQueries(tb testing.TB, stride int) []string {
	var queries []string
	files := 0
	for _, dir := range elasticDirs {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".toml") {
				return err
			}
			files++
			if (files-1)%stride != 0 {
				return nil
			}
			var doc struct{ Rule struct{ Query string } }
			if _, err := toml.DecodeFile(path, &doc); err != nil {
				return err
			}
			if doc.Rule.Query != "" {
				queries = append(queries, doc.Rule.Query)
			}
			return nil
		})
		if err != nil {
			tb.Logf("no corpus at %s: %v", dir, err)
			return nil
		}
	}
	return queries
}

// testQueries returns the queries of this package's test tables, valid
// and invalid, and of the module's .eql files.
func testQueries(tb testing.TB) []string {
	var queries []string
	for _, tt := range parseTests {
		queries = append(queries, tt.query)
	}
	for _, tt := range errorTests {
		queries = append(queries, tt.query)
	}
	for _, tt := range lowerTests {
		queries = append(queries, tt.query)
	}
	for _, tt := range lowerErrorTests {
		queries = append(queries, tt.query)
	}
	queries = append(queries, sequenceSeeds...)
	queries = append(queries, parserEdgeCases...)
	for _, tt := range syntaxErrorTests {
		queries = append(queries, tt.query)
	}
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".eql" {
			return err
		}
		src, err := os.ReadFile(path)
		queries = append(queries, string(src))
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return queries
}

// parserEdgeCases are where the two parsers could part: the choices
// parser.go decides by peeking, and errors inside optional parts.
var parserEdgeCases = []string{
	`sequence by a [x where true] [y where true]`,
	`sequence by a [1] [x where true] [y where true]`,
	`sequence by a [1 where true]`,
	`sequence by a, [x where true]`,
	`sequence by [x where true]`,
	`sequence with maxspan=1m by a [x where true] [y where true] by b with runs=2`,
	`sequence with runs=2 [x where true]`,
	`sequence [x where true] with maxspan=1m`,
	`sequence [x where true] by a [1] with runs=x`,
	`sequence [x where true] until [y where true] | head 1`,
	`sequence`,
	`sample`,
	`sample by a [x where true] ![y where true]`,
	`any where a[b] == 1`,
	`any where a[1 == 1`,
	`any where a[1].b[2] == 1`,
	`any where a [`,
	`any where a.not == 1 and a.in~ == 2`,
	`any where a not b`,
	`any where a not in~ (1)`,
	`any where not not a in (1, 2) or not (b)`,
	`any where f(`,
	`any where f(==)`,
	`any where f(a, )`,
	`any where f~ == 1`,
	`any where f~(a) : (1, 2`,
	`any where a : ()`,
	`any where a : ((b))`,
	`any where a : (b, (c or d))`,
	`any where a + - b * -c % 2 / (3) == ?d.e`,
	`any where a == 1 | head not`,
	`any where a == 1 | filter a ==`,
	`any where a == 1 | tail | count a, b`,
	`any where a == 1 |`,
	`any where a == 1 | 5`,
	`"proc" where a == 1`,
	`any where ?"x"`,
	`any where ?`,
	`any where ?a[1]`,
	`[any where true]`,
}

// raceStride is how sparsely the parser comparison tests sample the
// Elastic corpus under the race detector: participle's reflection and
// decoding the TOML files make them ~100 s there against a few seconds
// without it, and CI runs "go test -race ./...". The normal run keeps
// every rule.
const raceStride = 10

// comparisonQueries returns the queries the parser comparison tests use:
// the test tables, the module's .eql files and the Elastic corpus; under
// the race detector, only every raceStride-th corpus file (a fixed
// subset, so that a failure repeats). The race detector finds nothing in
// a single-goroutine parser that the normal run would miss; the full
// comparison runs without it.
func comparisonQueries(tb testing.TB) []string {
	stride := 1
	if raceEnabled {
		stride = raceStride
	}
	return append(testQueries(tb), corpusQueries(tb, stride)...)
}

// TestParserSame compares the two parsers on the test tables, the
// module's .eql files and every query of the Elastic corpus (every
// raceStride-th under the race detector, see comparisonQueries).
func TestParserSame(t *testing.T) {
	queries := comparisonQueries(t)
	ok := 0
	for _, q := range queries {
		if compareParsers(t, q) {
			ok++
		}
	}
	t.Logf("%d queries, %d parsed", len(queries), ok)
}

// TestParserSameMutated compares the two parsers on mutants of every
// query of TestParserSame: a token dropped, doubled, swapped with the
// next or ending the query, at a few positions picked at random (seeded,
// so that a failure repeats), so that both accept and reject alike.
// Under the race detector or -short it takes one position a query, and
// under the race detector the corpus subset of comparisonQueries.
func TestParserSameMutated(t *testing.T) {
	queries := comparisonQueries(t)
	perQuery := 3
	if testing.Short() || raceEnabled {
		perQuery = 1
	}
	rng := rand.New(rand.NewPCG(15, 7))
	mutants, ok := 0, 0
	for _, q := range queries {
		toks, err := lex("q.eql", q, MaxStringLen)
		if err != nil || len(toks) < 2 {
			continue
		}
		for range perQuery {
			for _, m := range mutate(q, toks, rng.IntN(len(toks)-1)) {
				mutants++
				if compareParsers(t, m) {
					ok++
				}
			}
		}
	}
	t.Logf("%d mutants, %d parsed", mutants, ok)
}

// mutate returns src with token i (not EOF) dropped, doubled, swapped
// with the next and, last, with the query ending before it.
func mutate(src string, toks []token, i int) []string {
	start := toks[i].Pos.Offset
	end := start + len(toks[i].Value)
	tok := src[start:end]
	next := toks[i+1]
	out := []string{
		src[:start] + src[end:],
		src[:start] + tok + " " + src[start:],
		src[:start],
	}
	if !next.eof() {
		nend := next.Pos.Offset + len(next.Value)
		out = append(out, src[:start]+next.Value+" "+tok+src[nend:])
	}
	return out
}

// FuzzParseSame compares the two parsers on random queries. Seeds are
// FuzzParse's and those in testdata/fuzz/FuzzParseSame.
func FuzzParseSame(f *testing.F) {
	for _, q := range testQueries(f) {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, query string) {
		compareParsers(t, query)
	})
}

// BenchmarkParseCorpus lexes and parses every query of the Elastic corpus
// (one op is all of them) with each parser, for their ratio.
func BenchmarkParseCorpus(b *testing.B) {
	queries := corpusQueries(b, 1)
	if len(queries) == 0 {
		b.Skip("no corpus")
	}
	for _, bb := range []struct {
		name  string
		parse func([]token) (*query, error)
	}{{"participle", refParse}, {"hand", parseQuery}} {
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, q := range queries {
					toks, err := lex("", q, MaxStringLen)
					if err == nil {
						_, err = bb.parse(toks)
					}
					if err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// syntaxErrorTests pair a query with its exact error where parser.go
// reports one better than participle did (it blamed the start of the
// optional part it backed out of: 'a in ("x", )' was 'unexpected ","
// (expected "," or ")")'), and in sequences and samples, where the parser
// says what it expected instead of expected's guess.
var syntaxErrorTests = []struct {
	query, want string
}{
	{`any where a in ("x", )`, `q.eql:1:22: unexpected ")" (expected a value)`},
	{`any where (a == "x" or b == ) and c == "z"`, `q.eql:1:29: unexpected ")" (expected a value)`},
	{`any where startsWith(a.b., "x")`, `q.eql:1:26: unexpected "," (expected a field name)`},
	{`any where a : : "x"`, `q.eql:1:15: unexpected ":" (expected a value)`},
	{`any where f(a, )`, `q.eql:1:16: unexpected ")" (expected a value)`},
	{`any where a[b] == 1`, `q.eql:1:13: unexpected "b" (expected an array index)`},
	{`sequence [process where true] foo`, `q.eql:1:31: unexpected "foo" (expected "by", "with", "[", "until", "|" or end of query)`},
	{`sequence [process where true] by a with runs=2 foo`, `q.eql:1:48: unexpected "foo" (expected "[", "until", "|" or end of query)`},
	{`sequence [x where true] until [y where true] foo`, `q.eql:1:46: unexpected "foo" (expected "by", "with", "|" or end of query)`},
	{`sample [x where true] by a foo`, `q.eql:1:28: unexpected "foo" (expected "with", "[", "|" or end of query)`},
	{`sequence ![x where true] | head 1 foo`, `q.eql:1:35: unexpected "foo" (expected an operator or end of query)`},
	{`sequence by [x where true]`, `q.eql:1:13: unexpected "[" (expected a field)`},
	{`sequence by a, [x where true]`, `q.eql:1:16: unexpected "[" (expected a field)`},
	{`sequence by a [1 where true]`, `q.eql:1:18: unexpected "where" (expected "]")`},
	{`sequence with runs=2 [x where true]`, `q.eql:1:15: unexpected "runs" (expected "maxspan")`},
	{`sequence with maxspan [x where true]`, `q.eql:1:23: unexpected "[" (expected "=")`},
	{`sequence with maxspan= =1m [x where true]`, `q.eql:1:24: unexpected "=" (expected a number)`},
	{`sequence with maxspan=1m [x where true] with runs [y where true]`, `q.eql:1:51: unexpected "[" (expected "=")`},
	{`sequence with maxspan=1m [x where true] with runs=x`, `q.eql:1:51: unexpected "x" (expected a number)`},
	{`sequence [x where true] with 2=2`, `q.eql:1:30: unexpected "2" (expected a parameter such as "runs")`},
	{`sequence [x where true] until y`, `q.eql:1:31: unexpected "y" (expected "[" or "![")`},
	{`sequence [x y]`, `q.eql:1:13: unexpected "y" (expected "where")`},
	{`sequence [where true]`, `q.eql:1:11: unexpected "where" (expected an event category or "any")`},
	{`sequence process where true`, `q.eql:1:10: unexpected "process" (expected "[" or "![")`},
	{`sample`, `q.eql:1:7: unexpected end of query (expected "[" or "![")`},
	{`sequence [x where true] [y WHERE true]`, `q.eql:1:28: unexpected "WHERE" (expected "where"; reserved words are lower case)`},
}

func TestParseSyntaxErrors(t *testing.T) { testErrors(t, syntaxErrorTests) }
