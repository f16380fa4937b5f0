package match

import (
	"slices"
	"testing"

	"github.com/ruleforge/ruleforge/internal/hooks"
)

// lookupOnly is an event that a Record looks values up in one at a time,
// never walks: with reset's eager false, its slots are neither found nor
// known absent until looked up.
type lookupOnly struct{ m Map }

func (e lookupOnly) Lookup(p *Path) (any, bool) { return e.m.Lookup(p) }

// TestHoldObjects checks bySlot.HoldObjects, the view's check of its
// prefixes in one call, against Holds called for each slot whose parent
// is held: on events that hold objects, other values and nothing at the
// prefixes, scanned (ResetJSON: every slot found or known absent), with
// every slot looked up at Reset, and with slots looked up when read
// (some of them already).
func TestHoldObjects(t *testing.T) {
	prefixes := []string{"a", "a.b", "p", "n", "a.b.c"}
	parent := []int{-1, 0, -1, -1, 1, -1}
	rs, _ := recordRuleset(t, []string{"a.b.c.d", "a.x", "p.q", "n.m"})
	var paths []*Path
	for _, s := range prefixes {
		paths = append(paths, NewPath(s))
	}
	r := rs.NewRecordWith(paths)
	b := (*bySlot)(r)
	var slots []hooks.Slot
	for _, p := range paths {
		slots = append(slots, b.Slot(p))
	}
	slots = append(slots, b.Slot(NewPath("not.a.slot"))) // NoSlot: never held
	events := []string{
		`{"a": {"b": {"c": {"d": 1}}}, "p": {"q": 3}}`,
		`{"a": {"b": 2}, "n": {}}`,
		`{"a": {"x": 1}, "p": 3}`,
		`{"n": {"m": "v"}, "a": {"b": {"c": "leaf"}}}`,
		`{"a": [], "n": {"m": 1}}`,
		`{"z": 1}`,
		`{}`,
	}
	for _, text := range events {
		m, err := ParseJSON([]byte(text))
		if err != nil {
			t.Fatal(err)
		}
		for _, how := range []string{"scanned", "eager", "lazy", "lazy, some looked up"} {
			// Holds and HoldObjects look values up: each runs on a
			// record made ready the same way.
			ready := func() {
				switch how {
				case "scanned":
					if err := r.ResetJSON([]byte(text)); err != nil {
						t.Fatal(err)
					}
				case "eager":
					r.Reset(lookupOnly{m.Map()})
				default:
					r.reset(lookupOnly{m.Map()}, false)
					if how == "lazy, some looked up" {
						r.Lookup(paths[1])
						r.Lookup(paths[2])
					}
				}
			}
			ready()
			want := make([]bool, len(slots))
			wantOK := naiveHoldObjects(b, slots, parent, want)
			ready()
			held := slices.Repeat([]bool{true}, len(slots)) // stale values from the last event
			ok := b.HoldObjects(slots, parent, held)
			if ok != wantOK || ok && !slices.Equal(held, want) {
				t.Errorf("%s %s: HoldObjects = %v, held %v; want %v, %v", how, text, ok, held, wantOK, want)
			}
		}
	}
}

// naiveHoldObjects is HoldObjects as package normalize's view did it:
// Holds for each slot whose parent is held.
func naiveHoldObjects(b *bySlot, slots []hooks.Slot, parent []int, held []bool) bool {
	for i, s := range slots {
		if par := parent[i]; par >= 0 && !held[par] {
			held[i] = false
			continue
		}
		present, object := b.Holds(s)
		if present && !object {
			return false
		}
		held[i] = present
	}
	return true
}
