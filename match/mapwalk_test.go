package match

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
)

// walkPaths are the paths TestMapWalkSame's rules read: nested and
// dotted mixes of a few short keys, so random events reach each path
// several ways at once.
var walkPaths = []string{"a", "a.b", "a.b.c", "b.c", "a.c", "c", "b", "a.b.c.a", "c.a.b"}

// walkKeys are the keys TestMapWalkSame's events use: the parts of
// walkPaths, their joins, and keys no path reads.
var walkKeys = []string{"a", "b", "c", "a.b", "b.c", "a.b.c", "c.a", "a.", ".b", "", "z"}

// randomValue returns a random event value of at most depth levels:
// scalars, decoded JSON (map[string]any, []any) and the typed Go values
// a caller may build a Map from (Map, int64, []string, map[string]string,
// []map[string]any).
func randomValue(rnd *rand.Rand, depth int) any {
	k := rnd.IntN(11)
	if depth == 0 {
		k %= 5
	}
	switch k {
	case 0:
		return "x"
	case 1:
		return float64(1)
	case 2:
		return int64(7)
	case 3:
		return nil
	case 4:
		return []string{"x", "y"}
	case 5:
		return map[string]string{"a": "x", "b": "y", "c": "z"}
	case 6:
		return []any{randomMap(rnd, depth-1), "x", randomMap(rnd, depth-1)}
	case 7:
		return []map[string]any{randomMap(rnd, depth-1)}
	case 8:
		return Map(randomMap(rnd, depth-1))
	default:
		return randomMap(rnd, depth-1)
	}
}

// randomMap returns an object of up to four random keys of walkKeys.
func randomMap(rnd *rand.Rand, depth int) map[string]any {
	m := map[string]any{}
	for range rnd.IntN(5) {
		m[walkKeys[rnd.IntN(len(walkKeys))]] = randomValue(rnd, depth)
	}
	return m
}

// TestMapWalkSame checks that Record.Reset, which walks a Map or a Doc
// once against the rules' paths (walkDotted, walk), finds at every path
// what the event's own Lookup finds, the reference: the same value or
// none (a Doc, decoded JSON, does not look into a typed Map inside it), for random
// events mixing nested and dotted keys, arrays of objects, and typed Go
// values (Map, int64, []string, map[string]string, []map[string]any),
// and that Ruleset.Match gives the same rules as matching the Map behind
// an event type that only looks up.
func TestMapWalkSame(t *testing.T) {
	rs, paths := jsonRuleset(t, walkPaths, true)
	r := rs.NewRecord()
	rnd := rand.New(rand.NewPCG(21, 2))
	for i := range 20000 {
		m := Map(randomMap(rnd, 4))
		for _, ev := range []Event{m, NewDoc(m)} {
			r.Reset(ev)
			for _, p := range paths {
				got, gok := r.Lookup(p)
				want, wok := ev.Lookup(p)
				if gok != wok || gok && !reflect.DeepEqual(got, want) {
					t.Fatalf("event %d %T %#v: path %s: walk gives %#v, %v; Lookup %#v, %v", i, ev, m, p, got, gok, want, wok)
				}
			}
		}
		if got, want := rs.Match(m, nil), rs.Match(opaqueMap{m}, nil); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("event %d %#v: Match gives %v, looking up %v", i, m, got, want)
		}
	}
}

// opaqueMap hides a Map's type from Record.Reset, which then looks each
// path up instead of walking it.
type opaqueMap struct{ m Map }

func (o opaqueMap) Lookup(p *Path) (any, bool)    { return o.m.Lookup(p) }
func (o opaqueMap) Each(fn func(v any) bool) bool { return o.m.Each(fn) }
