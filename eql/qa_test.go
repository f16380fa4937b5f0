package eql_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// qaTests re-create Elasticsearch's QA scenarios for missing events
// (x-pack/plugin/eql/qa/common/src/main/resources/test_missing_events.toml,
// over data/missing-events.data, one file per event type here, each a
// stream of its own, so an event's ordinal is its "sequence" id). Each
// result is its ids in stage order, 0 for a missing event, and its join
// values. Elasticsearch reports a sequence whose trailing missing event
// was not found by the end of the data; a stream reports it only once
// event time passes its window: those cases add one later event
// ("close"), so the expected results are Elasticsearch's.
var qaTests = []struct {
	name, data, query string
	close             bool
	want              []string
}{
	{"missingInBetween_noMatches", "test1", `sequence with maxspan=1s [ test1 where tag == "normal" ] ![ test1 where tag == "nonexisting"] [ test1 where tag == "normal" ]`,
		false, []string{"[1 0 2] []", "[2 0 4] []"}},
	{"missingInBetween_noMatches_head", "test1", `sequence with maxspan=1s [ test1 where tag == "normal" ] ![ test1 where tag == "nonexisting"] [ test1 where tag == "normal" ] | head 1`,
		false, []string{"[1 0 2] []", "[2 0 4] []"}}, // head limits a batch run; a stream reports all
	{"missingInBetween_match", "test1", `sequence with maxspan=1s [ test1 where tag == "normal" ] ![ test1 where tag == "missing"] [ test1 where tag == "normal" ]`,
		false, []string{"[1 0 2] []"}},
	{"positivePlusMissing", "test1", `sequence with maxspan=1s [ test1 where tag == "normal" ] ![ test1 where tag == "missing"]`,
		true, []string{"[4 0] []"}},
	{"skipFirstMatchAndPickSecondCandidate", "test2", `sequence with maxspan=1s [ test2 where tag == "normal" ] [ test2 where tag == "normal" ] ![ test2 where tag == "missing"] [ test2 where tag == "normal" ]`,
		false, []string{"[2 4 0 5] []"}},
	{"leadingSimple", "test3", `sequence with maxspan=3m ![ test3 where tag == "missing" ] [ test3 where tag == "normal" ]`,
		false, []string{"[0 2] []", "[0 5] []", "[0 6] []"}},
	{"leadingAndTrailingExcluded1", "test3", `sequence with maxspan=19m ![ test3 where tag == "missing" ] [ test3 where tag == "normal" ] ![ test3 where tag == "missing" ]`,
		true, []string{"[0 2 0] []", "[0 4 0] []", "[0 5 0] []", "[0 6 0] []"}},
	{"leadingAndTrailingExcluded2", "test3", `sequence with maxspan=21m ![ test3 where tag == "missing" ] [ test3 where tag == "normal" ] ![ test3 where tag == "missing" ]`,
		true, []string{"[0 4 0] []", "[0 5 0] []", "[0 6 0] []"}},
	{"multipleMissing1", "test4", `sequence with maxspan=1s [ test4 where tag == "A" ] [ test4 where tag == "B" ] ![ test4 where tag == "M1"] [ test4 where tag == "C" ] ![ test4 where tag == "M2"] [ test4 where tag == "D" ]`,
		false, []string{"[13 14 0 16 0 17] []"}},
	{"multipleMissing2", "test4", `sequence with maxspan=1s [ test4 where tag == "A" ] [ test4 where tag == "B" ] ![ test4 where tag == "M1"] [ test4 where tag == "C" ] [ test4 where tag == "D" ]`,
		false, []string{"[13 14 0 16 17] []"}},
	{"multipleMissing3", "test4", `sequence with maxspan=1s [ test4 where tag == "A" ] [ test4 where tag == "B" ] [ test4 where tag == "C" ] ![ test4 where tag == "M2"] [ test4 where tag == "D" ]`,
		false, []string{"[13 14 16 0 17] []"}},
	{"multipleMissing4", "test4", `sequence with maxspan=1s [ test4 where tag == "A" ] [ test4 where tag == "B" ] ![ test4 where tag == "M1"] [ test4 where tag == "C" ] ![ test4 where tag == "M2"] [ test4 where tag == "D" ] ![ test4 where tag == "M4"]`,
		true, nil},
	{"multipleMissing5", "test4", `sequence with maxspan=1s [ test4 where tag == "A" ] [ test4 where tag == "B" ] ![ test4 where tag == "none"] [ test4 where tag == "C" ] ![ test4 where tag == "none"] [ test4 where tag == "D" ]`,
		false, []string{"[1 2 0 5 0 7] []", "[13 14 0 16 0 17] []"}},
	{"multipleMissing6", "test4", `sequence with maxspan=1s [ test4 where tag == "A" ] [ test4 where tag == "B" ] [ test4 where tag == "C" ] ![ test4 where tag == "M2"] [ test4 where tag == "D" ] ![ test4 where tag == "none"]`,
		true, []string{"[13 14 16 0 17 0] []"}},
	{"multipleMissing7", "test4", `sequence with maxspan=1s ![ test4 where tag == "none"] [ test4 where tag == "A" ] [ test4 where tag == "B" ] [ test4 where tag == "C" ] ![ test4 where tag == "M2"] [ test4 where tag == "D" ]`,
		false, []string{"[0 13 14 16 0 17] []"}},
	{"withByKey1", "test5", `sequence by k1 with maxspan=1s [ test5 where tag == "normal" ] [ test5 where tag == "normal" ] ![ test5 where tag == "missing" ] [ test5 where tag == "normal" ]`,
		false, []string{"[2 4 0 5] [foo]", "[4 5 0 6] [foo]"}},
	{"withByKey2", "test5", `sequence with maxspan=1s [ test5 where tag == "normal" ] by k1 [ test5 where tag == "normal" ] by k1 ![ test5 where tag == "missing" ] by k1 [ test5 where tag == "normal" ] by k1`,
		false, []string{"[2 4 0 5] [foo]", "[4 5 0 6] [foo]"}},
	{"withByKey3", "test5", `sequence with maxspan=1s [ test5 where tag == "normal" ] by k1 [ test5 where tag == "normal" ] by k1 ![ test5 where tag == "missing" ] by k2 [ test5 where tag == "normal" ] by k1`,
		false, []string{"[2 4 0 5] [foo]", "[4 5 0 6] [foo]", "[5 6 0 8] [foo]", "[9 10 0 12] [baz]"}},
	{"withByKey4", "test5", `sequence by k2 with maxspan=1s [ test5 where tag == "normal" ] [ test5 where tag == "normal" ] ![ test5 where tag == "missing" ] [ test5 where tag == "normal" ]`,
		false, []string{"[2 4 0 5] [foo]", "[4 5 0 6] [foo]", "[5 6 0 8] [foo]", "[9 10 0 12] [baz]"}},
	{"withByKey5", "test5", "sequence by k1 with maxspan=1s [ test5 where tag == \"normal\" ] by k2 [ test5 where tag == \"normal\" ] by k2 ![ test5 where tag == \"missing\" ] by k2 [ test5 where tag == \"normal\" ] by k2",
		false, []string{"[2 4 0 5] [foo foo]", "[4 5 0 6] [foo foo]", "[5 6 0 8] [foo foo]", "[9 10 0 12] [baz baz]"}},
	{"withByKey6", "test5", "sequence by k1 with maxspan=1s [ test5 where tag == \"normal\" ] by k2 [ test5 where tag == \"normal\" ] by k2 ![ test5 where tag == \"missing\" and `sequence` > 10 ] by k2 [ test5 where tag == \"normal\" ] by k2",
		false, []string{"[1 2 0 4] [foo foo]", "[2 4 0 5] [foo foo]", "[4 5 0 6] [foo foo]", "[5 6 0 8] [foo foo]", "[9 10 0 12] [baz baz]"}},
	{"withByKey_runs", "test5", "sequence by k1 with maxspan=1s [ test5 where tag == \"normal\" ] by k2 with runs=2 ![ test5 where tag == \"missing\" ] by k2 [ test5 where tag == \"normal\" ] by k2",
		false, []string{"[2 4 0 5] [foo foo]", "[4 5 0 6] [foo foo]", "[5 6 0 8] [foo foo]", "[9 10 0 12] [baz baz]"}},
	{"withByKey_runsOnMissing", "test5", "sequence by k1 with maxspan=1s [ test5 where tag == \"normal\" ] by k2 with runs=2 ![ test5 where tag == \"missing\" ] by k2 with runs=2 [ test5 where tag == \"normal\" ] by k2",
		false, []string{"[2 4 0 0 5] [foo foo]", "[4 5 0 0 6] [foo foo]", "[5 6 0 0 8] [foo foo]", "[9 10 0 0 12] [baz baz]"}},
}

func TestElasticsearchQA(t *testing.T) {
	for _, c := range qaTests {
		t.Run(c.name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "sequence", c.data+".ndjson"))
			if err != nil {
				t.Fatal(err)
			}
			events := string(data)
			if c.close {
				events += `{"@timestamp":"2030-01-01T00:00:00Z","event":{"category":"clock"}}` + "\n"
			}
			got := results(runSequence(t, c.query, events))
			if !slices.Equal(got, c.want) {
				t.Errorf("got  %q\nwant %q", got, c.want)
			}
		})
	}
}

// results turns runSequence's lines into "[ids] [join]", sorted by their
// first ids as Elasticsearch orders them, nil for none.
func results(s string) []string {
	if s == "" {
		return nil
	}
	var out []string
	for _, r := range strings.Split(s, "; ") {
		_, r, _ = strings.Cut(r, ": ")
		out = append(out, strings.ReplaceAll(r, "<nil>", "0"))
	}
	slices.SortFunc(out, func(a, b string) int { return strings.Compare(pad(a), pad(b)) })
	return out
}

// pad returns r with its numbers padded, to sort by them.
func pad(r string) string {
	var b strings.Builder
	for _, f := range strings.FieldsFunc(r, func(c rune) bool { return c == ' ' || c == '[' || c == ']' }) {
		fmt.Fprintf(&b, "%8s ", f)
	}
	return b.String()
}
