package evtx_test

import (
	"fmt"
	"os"

	"github.com/ruleforge/ruleforge/evtx"
)

// Work out once per Shape what to do with each value of a record, then do
// it for the later records of the Shape from their values alone: here,
// the place among the values of the one a program wants (at key
// "EventRecordID") is found by walking the first record of each Shape,
// and the value is read at that place in the values of the others.
func ExampleRecord_AppendValues() {
	f, err := os.Open("testdata/planned.evtx")
	if err != nil {
		panic(err)
	}
	defer f.Close()
	r, err := evtx.NewReader(f)
	if err != nil {
		panic(err)
	}
	places := map[uint64]int{} // by Shape: the place of the value at the key
	var vals []evtx.Value
	for rec, err := range r.All() {
		if err != nil {
			panic(err)
		}
		shape := rec.Shape()
		place, known := places[shape]
		if !known || shape == 0 { // read into a tree, or the first record of its Shape
			fd := &finder{key: "EventRecordID", place: -1}
			rec.Walk(fd)
			place = fd.place
			if shape != 0 {
				places[shape] = place
			}
		}
		vals = rec.AppendValues(vals[:0])
		how := "walked"
		if known {
			how = "by its Shape"
		}
		if place >= 0 {
			fmt.Printf("record %d (%s): EventRecordID %s\n", rec.ID, how, vals[place].Text())
		}
	}
	// Output:
	// record 1 (walked): EventRecordID 1
	// record 2 (walked): EventRecordID 2
	// record 3 (walked): EventRecordID 3
	// record 4 (by its Shape): EventRecordID 4
	// record 5 (by its Shape): EventRecordID 5
	// record 6 (by its Shape): EventRecordID 6
}

// finder finds the place among a record's values of the value at key.
type finder struct {
	key      string
	n, place int
}

func (f *finder) Object(string) bool { return true }
func (f *finder) Array(string)       {}
func (f *finder) End()               {}
func (f *finder) Value(key string, _ evtx.Value) {
	if key == f.key && f.place < 0 {
		f.place = f.n
	}
	f.n++
}
