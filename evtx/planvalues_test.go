package evtx

import (
	"testing"
)

// TestPlanValueChecks: scanStream checks a record's values by a table of
// fixed sizes and tells empty strings inline (plan.go), not by
// checkValue and emptiness: records whose values lie about their sizes,
// and strings whose first UTF-16 unit has a zero byte (U+4E00 一 is 0x00
// 0x4E, U+0100 Ā 0x00 0x01: not empty), read the same by plans as into
// trees, after records of the same template that plans read.
func TestPlanValueChecks(t *testing.T) {
	tests := []struct {
		name string
		at   int // the value of sysmonValues changed
		val  tval
	}{
		{"HexInt32 of 8 bytes", 9, tval{typeHexInt32, le64(7)}},
		{"HexInt32 of 2 bytes", 9, tval{typeHexInt32, le16(7)}},
		{"Uint16 of 4 bytes", 3, tval{typeUint16, le32(10)}},
		{"GUID of 20 bytes", 1, tval{typeGUID, make([]byte, 20)}},
		{"Bool of 8 bytes", 12, tval{typeBool, le64(1)}},
		{"string 一", 0, tval{typeString, u16s("一x")}},
		{"string Ā alone", 14, tval{typeString, u16s("Ā")}},
		{"string of one byte", 14, tval{typeString, []byte{'x'}}},
		{"string of a zero unit", 14, tval{typeString, []byte{0, 0, 'x', 0}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := &chunkBuilder{first: 1}
			var defAt, ruleAt int
			for i := range 4 {
				c.record(func(w *xw) { defAt, ruleAt = plannedRecord(w, defAt, ruleAt, uint64(1+i), uint32(i)) })
			}
			for i := range 3 { // the odd record, then one like it, then a usual one
				c.record(func(w *xw) {
					w.fragment()
					vals := plannedValues(uint64(5+i), 1)
					if i < 2 {
						vals[tc.at] = tc.val
					}
					probe := &xw{base: w.pos()}
					probe.instance(defAt, nil, vals)
					vals[17].raw, _ = ruleInstance(probe.pos()-len(vals[17].raw), ruleAt)
					w.instance(defAt, nil, vals)
					w.eof()
				})
			}
			plan, tree := NewDecoder(), NewDecoder(WithoutPlans())
			if n := compareChunks(t, plan, tree, [][]byte{c.bytes()}, 2); n == 0 {
				t.Fatal("no record read")
			}
			if plan.Stats().Planned == 0 {
				t.Errorf("%+v: want records read by plans", plan.Stats())
			}
		})
	}
}
