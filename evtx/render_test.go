package evtx

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// filetimeEpoch is 1970-01-01 in FILETIME seconds (since 1601-01-01).
const filetimeEpoch = 11644473600

// naiveFiletime is appendFiletime's reference: the calendar of package
// time, the fields printed by fmt.
func naiveFiletime(ft uint64) string {
	t := time.Unix(int64(ft/10_000_000)-filetimeEpoch, 0).UTC()
	return fmt.Sprintf("%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), ft%10_000_000/10)
}

// TestAppendFiletime compares appendFiletime, which works the calendar
// out from the day number, with package time's: at the first and last
// tick of every day from 1601 to 2500 and around every 1 March and 1
// January to the year 30828 (Windows' largest FILETIME, MS-DTYP 2.3.3,
// and the centuries and 400-year cycles past it), at the extremes, and on
// random ticks.
func TestAppendFiletime(t *testing.T) {
	const day = 86400 * 10_000_000
	var fts []uint64
	for d := uint64(0); d < 900*366; d++ {
		fts = append(fts, d*day, d*day+day-1)
	}
	for y := 1601; y <= 60000; y++ {
		for _, m := range []time.Month{time.January, time.March} {
			at := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC).Unix() + filetimeEpoch
			fts = append(fts, uint64(at)*10_000_000, uint64(at)*10_000_000-1)
		}
	}
	fts = append(fts, 0, 1, 9, 10, math.MaxUint64, math.MaxUint64-day, 0x7fffffffffffffff)
	rng := rand.New(rand.NewPCG(1, 2))
	for range 100_000 {
		fts = append(fts, rng.Uint64(), rng.Uint64N(1<<57))
	}
	for _, ft := range fts {
		want := naiveFiletime(ft)
		if got := string(appendFiletime([]byte("pre"), ft)); got != "pre"+want {
			t.Fatalf("appendFiletime(%d) = %q, want %q", ft, got[3:], want)
		}
	}
}

// TestAppendSystime checks SYSTEMTIMEs in and out of the fields' widths
// (a SYSTEMTIME's fields are any uint16 in a damaged record) against the
// fields printed by fmt.
func TestAppendSystime(t *testing.T) {
	for _, f := range [][8]uint16{
		{2024, 2, 4, 29, 23, 59, 58, 999},
		{1, 1, 0, 1, 0, 0, 0, 0},
		{0, 0, 0, 0, 0, 0, 0, 0},
		{9999, 12, 6, 31, 23, 59, 59, 999},
		{10000, 1, 0, 1, 0, 0, 0, 0},
		{2024, 100, 0, 1, 0, 0, 0, 0},
		{2024, 1, 0, 99, 99, 99, 99, 1000},
		{65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535},
	} {
		var r []byte
		for _, v := range f {
			r = binary.LittleEndian.AppendUint16(r, v)
		}
		want := fmt.Sprintf("%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", f[0], f[1], f[3], f[4], f[5], f[6], int(f[7])*1000)
		if got := string(appendSystime([]byte("pre"), r)); got != "pre"+want {
			t.Errorf("appendSystime(%v) = %q, want %q", f, got[3:], want)
		}
	}
}

// TestAppendGUIDHex compares appendGUID, which writes its digits in
// place, with the registry form printed by fmt (MS-DTYP 2.3.4.3: Data1,
// Data2 and Data3 little-endian), and appendHex with fmt's %X.
func TestAppendGUIDHex(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 1000 {
		r := make([]byte, 16)
		for i := range r {
			r[i] = byte(rng.Uint32())
		}
		le := binary.LittleEndian
		want := fmt.Sprintf("%08X-%04X-%04X-%X-%X", le.Uint32(r), le.Uint16(r[4:]), le.Uint16(r[6:]), r[8:10], r[10:])
		if got := string(appendGUID([]byte("pre"), r)); got != "pre"+want {
			t.Fatalf("appendGUID(% x) = %q, want %q", r, got[3:], want)
		}
		n := rng.IntN(17)
		if got, want := string(appendHex([]byte("pre"), r[:n])), "pre"+strings.ToUpper(fmt.Sprintf("%x", r[:n])); got != want {
			t.Fatalf("appendHex(% x) = %q, want %q", r[:n], got, want)
		}
	}
}
