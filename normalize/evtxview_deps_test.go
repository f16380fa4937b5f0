package normalize

import (
	"slices"
	"testing"

	"github.com/ruleforge/ruleforge/internal/hooks"
)

// slotFiller is a hooks.Filler whose Slot of a Key is the Key itself
// (NoSlot for a negative one): all viewDeps asks of it.
type slotFiller struct{ hooks.Filler }

// Slot implements hooks.Filler.
func (slotFiller) Slot(k hooks.Key) hooks.Slot {
	if k < 0 {
		return hooks.NoSlot
	}
	return hooks.Slot(k)
}

// TestViewDeps checks which values of a program viewDeps says its view
// read, given the slots the view looked up: a value set at a slot looked
// up; every item of an array set at one, items of arrays inside it too
// (values that no .evtx record of the corpus has the view read, so that
// TestViewTraces cannot tell); and none when the view looked up an
// object that the program marks, whose contents come from the event
// (false). Keys are slots here (slotFiller).
func TestViewDeps(t *testing.T) {
	set := func(k hooks.Key) fillOp { return fillOp{op: fillSet, key: k} }
	value, item, list := fillOp{op: fillValue}, fillOp{op: fillItem}, fillOp{op: fillList}
	listSet := func(k hooks.Key) fillOp { return fillOp{op: fillListSet, key: k} }
	listItem, object := fillOp{op: fillListItem}, func(k hooks.Key) fillOp { return fillOp{op: fillObject, key: k} }
	tests := []struct {
		name   string
		ops    []fillOp
		looked []hooks.Slot
		dep    []bool
		ok     bool
	}{
		{"set", []fillOp{set(1), value, set(2), set(3)}, []hooks.Slot{3, hooks.NoSlot, 1}, []bool{true, false, false, true}, true},
		{"nothing looked up", []fillOp{set(1), set(2)}, nil, []bool{false, false}, true},
		{"array", []fillOp{set(1), list, item, item, listSet(2), set(3)}, []hooks.Slot{2}, []bool{false, true, true, false}, true},
		{"array not read", []fillOp{list, item, item, listSet(2), set(3)}, []hooks.Slot{3}, []bool{false, false, true}, true},
		{"array in an array", []fillOp{list, item, list, item, item, listItem, item, listSet(4), set(5)}, []hooks.Slot{4}, []bool{true, true, true, true, false}, true},
		{"object", []fillOp{object(7), set(1)}, []hooks.Slot{7, 1}, []bool{true}, false},
		{"object not read", []fillOp{object(7), set(1)}, []hooks.Slot{1}, []bool{true}, true},
	}
	ps := &fillPrograms{rec: slotFiller{}}
	for _, tt := range tests {
		p := &fillProgram{ops: tt.ops, values: len(tt.dep)}
		ps.looked = append(ps.looked[:0], tt.looked...)
		ok := ps.viewDeps(p)
		if ok != tt.ok || !slices.Equal(p.view.dep, tt.dep) {
			t.Errorf("%s: viewDeps = %v, dep %v; want %v, %v", tt.name, ok, p.view.dep, tt.ok, tt.dep)
		}
		if i := slices.Index(ps.lookedSet, true); i >= 0 {
			t.Errorf("%s: slot %d left in lookedSet", tt.name, i)
		}
	}
}
