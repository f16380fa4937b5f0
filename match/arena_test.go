package match

import (
	"encoding/json"
	"reflect"
	"testing"
	"unsafe"
)

// TestBoxAtLayout pins what boxAt assumes of the runtime: an interface
// value without methods is two words, the type word first and then a
// pointer to the value (the runtime's eface, runtime/runtime2.go), and a
// value boxed that way is the one a conversion to any gives. If a Go
// release changes the layout, this fails before any match does.
func TestBoxAtLayout(t *testing.T) {
	if got, want := unsafe.Sizeof(eface{}), unsafe.Sizeof(any(nil)); got != want {
		t.Fatalf("eface is %d bytes, an interface value %d", got, want)
	}
	s, n, l, i := "text", json.Number("12.5"), []any{"a", int64(1)}, int64(-7)
	for _, c := range []struct {
		word unsafe.Pointer
		p    unsafe.Pointer
		want any
	}{
		{stringWord, unsafe.Pointer(&s), s},
		{numberWord, unsafe.Pointer(&n), n},
		{listWord, unsafe.Pointer(&l), l},
		{int64Word, unsafe.Pointer(&i), i},
	} {
		got := boxAt(c.word, c.p)
		if reflect.TypeOf(got) != reflect.TypeOf(c.want) || !reflect.DeepEqual(got, c.want) {
			t.Errorf("boxAt gives %#v (%T), want %#v (%T)", got, got, c.want, c.want)
		}
		if typeWord(got) != c.word {
			t.Errorf("%T: the type word of the boxed value differs", c.want)
		}
		if (*eface)(unsafe.Pointer(&got)).data != c.p {
			t.Errorf("%T: the boxed value is a copy, not the value at p", c.want)
		}
	}
	// The boxed value reads through p: what a Record's chunks hold.
	s = "changed"
	if got := boxAt(stringWord, unsafe.Pointer(&s)).(string); got != "changed" {
		t.Errorf("boxAt(string) = %q, want %q", got, "changed")
	}
}
