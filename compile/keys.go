package compile

import (
	"encoding/binary"
	"strconv"

	"github.com/ruleforge/ruleforge/ir"
)

// The keys below identify what a predicate tests, in bytes, for the
// passes that tell predicates apart: sharedTest (one test compiled per
// distinct predicate), dedup (forms) and mergeValues. Strings are
// length-prefixed, so that keys of several parts cannot run together;
// printing (Pred.String) is not enough, as it leaves out paths and the
// kinds of values.

// appendPredKey appends to b what identifies the test that p (without
// computed operands) compiles into: its field (appendFieldKey), its
// comparison and case mode, and each value (appendValueKey).
func appendPredKey(b []byte, p *ir.Pred) []byte {
	b = appendFieldKey(b, p.Field)
	b = append(b, byte(p.Cmp), boolByte(p.CaseSensitive))
	b = binary.AppendUvarint(b, uint64(len(p.Values)))
	for _, v := range p.Values {
		b = appendValueKey(b, v)
	}
	return b
}

// appendFieldKey appends f's name and what it reads (appendReadsKey).
func appendFieldKey(b []byte, f ir.Field) []byte {
	return appendReadsKey(appendStrKey(b, f.Name), f)
}

// appendReadsKey appends what f reads: its keyword flag and its paths.
// Unlike Field.Key, it tells a keyword search from a field named "*",
// and the path "a|b" from the paths a and b.
func appendReadsKey(b []byte, f ir.Field) []byte {
	b = append(b, boolByte(f.Any))
	paths := f.Lookup()
	b = binary.AppendUvarint(b, uint64(len(paths)))
	for _, s := range paths {
		b = appendStrKey(b, s)
	}
	return b
}

// appendStrKey appends s preceded by its length, so that keys made of
// several strings cannot run together.
func appendStrKey(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// appendValueKey appends v's kind and what identifies its value: a
// string's pieces with their lengths, a number as a float or an integer
// with its exact digits, a boolean.
func appendValueKey(b []byte, v ir.Value) []byte {
	b = append(b, byte(v.Kind))
	switch v.Kind {
	case ir.KindString:
		b = binary.AppendUvarint(b, uint64(len(v.Pat)))
		for _, pc := range v.Pat {
			b = appendStrKey(append(b, byte(pc.Kind)), pc.Text)
		}
	case ir.KindNumber:
		b = append(b, boolByte(v.Num.IsFloat()))
		if i, ok := v.Num.Int64(); ok && !v.Num.IsFloat() {
			b = strconv.AppendInt(b, i, 10)
		} else {
			b = append(b, v.Num.Text()...)
		}
		b = append(b, 0)
	case ir.KindBool:
		b = append(b, boolByte(v.Bool))
	}
	return b
}

// boolByte is 1 for true, 0 for false.
func boolByte(v bool) byte {
	if v {
		return 1
	}
	return 0
}

// appendTermKey appends what identifies the computed operand t (nil
// when the predicate has none): its function and case variant, the field
// it reads with its paths, its constant with its kind (2 and 2.0 print
// alike but divide apart), and its arguments.
func appendTermKey(b []byte, t *ir.Term) []byte {
	if t == nil {
		return append(b, 0)
	}
	b = append(b, 1, byte(t.Fn), boolByte(t.Fold))
	b = appendValueKey(appendFieldKey(b, t.Field), t.Value)
	b = binary.AppendUvarint(b, uint64(len(t.Args)))
	for _, a := range t.Args {
		b = appendTermKey(b, a)
	}
	return b
}
