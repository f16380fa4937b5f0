package evtx

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
)

// u16s returns s as UTF-16LE bytes, with NULs where s has them.
func u16s(s string) []byte {
	var b []byte
	for _, c := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, c)
	}
	return b
}

func le16(v uint16) []byte { return binary.LittleEndian.AppendUint16(nil, v) }
func le32(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }
func le64(v uint64) []byte { return binary.LittleEndian.AppendUint64(nil, v) }

// filetime is t as a FILETIME.
func filetime(t time.Time) uint64 {
	return uint64(t.Unix()+filetimeEpoch)*10_000_000 + uint64(t.Nanosecond()/100)
}

// noTemplate writes a record as Windows writes records without templates:
// every element, attribute and value inline, values as text.
func noTemplate(w *xw) {
	w.fragment()
	w.open("Event", false, true)
	w.attr("xmlns")
	w.text("http://schemas.microsoft.com/win/2004/08/events/event")
	w.closeStart()
	w.open("System", false, false)
	w.closeStart()
	w.open("Provider", false, true)
	w.attr("Name")
	w.text("Microsoft-Windows-TerminalServices-RemoteConnectionManager")
	w.closeEmpty()
	w.leaf("EventID", "1149")
	w.open("TimeCreated", false, true)
	w.attr("SystemTime")
	w.text("2021-12-16T10:25:32.351835800Z")
	w.closeEmpty()
	w.leaf("EventRecordID", "6433")
	w.leaf("Computer", "rootdc1.offsec.lan")
	w.open("Security", false, true)
	w.attr("UserID")
	w.text("S-1-5-20")
	w.closeEmpty()
	w.end()
	w.open("EventData", false, false)
	w.closeStart()
	w.open("Data", false, true)
	w.attr("Name")
	w.text("CommandLine")
	w.closeStart()
	w.text(`cmd /c "a `)
	w.u8(tokEntityRef)
	w.name("amp")
	w.text(" b")
	w.u8(tokCharRef)
	w.u16('!')
	w.end()
	w.leaf("Data", "one")
	w.leaf("Data", "two")
	w.open("Binary", false, false)
	w.closeEmpty()
	w.end()
	w.open("UserData", false, false)
	w.closeStart()
	w.open("EventXML", false, true)
	w.attr("xmlns")
	w.text("Event_NS")
	w.closeStart()
	w.leaf("Param1", "admmig")
	w.open("Param2", false, false)
	w.closeEmpty()
	w.leaf("Param1", "again")
	w.end()
	w.end()
	w.end()
	w.eof()
}

// noTemplateJSON is noTemplate's record as evtx_dump writes it, by hand:
// all values text, unnamed Data gathered under #text, an empty element
// null, a repeated key suffixed _1.
const noTemplateJSON = `{"Event":{"#attributes":{"xmlns":"http://schemas.microsoft.com/win/2004/08/events/event"},` +
	`"System":{"Provider":{"#attributes":{"Name":"Microsoft-Windows-TerminalServices-RemoteConnectionManager"}},` +
	`"EventID":"1149","TimeCreated":{"#attributes":{"SystemTime":"2021-12-16T10:25:32.351835800Z"}},"EventRecordID":"6433",` +
	`"Computer":"rootdc1.offsec.lan","Security":{"#attributes":{"UserID":"S-1-5-20"}}},` +
	`"EventData":{"CommandLine":"cmd /c \"a & b!","Data":{"#text":["one","two"]},"Binary":null},` +
	`"UserData":{"EventXML":{"#attributes":{"xmlns":"Event_NS"},"Param1":"admmig","Param2":null,"Param1_1":"again"}}}}`

// sysmonTemplate writes the body of a template in the shape of Sysmon's,
// with a substitution of every kind of value.
func sysmonTemplate(t *xw) {
	t.fragment()
	t.open("Event", true, true)
	t.attr("xmlns")
	t.text("http://schemas.microsoft.com/win/2004/08/events/event")
	t.closeStart()
	t.open("System", true, false)
	t.closeStart()
	t.open("Provider", true, true)
	t.attr("Name")
	t.subst(0, typeString, true)
	t.attr("Guid")
	t.subst(1, typeGUID, true)
	t.closeEmpty()
	t.open("EventID", true, true)
	t.attr("Qualifiers")
	t.subst(2, typeUint16, true)
	t.closeStart()
	t.subst(3, typeUint16, false)
	t.end()
	t.open("Keywords", true, false)
	t.closeStart()
	t.subst(4, typeHexInt64, true)
	t.end()
	t.open("TimeCreated", true, true)
	t.attr("SystemTime")
	t.subst(5, typeFiletime, true)
	t.closeEmpty()
	t.open("EventRecordID", true, false)
	t.closeStart()
	t.subst(6, typeUint64, true)
	t.end()
	t.open("Correlation", true, true)
	t.attr("ActivityID")
	t.subst(7, typeGUID, true)
	t.closeEmpty()
	t.open("Security", true, true)
	t.attr("UserID")
	t.subst(8, typeSID, true)
	t.closeEmpty()
	t.end()
	t.open("EventData", true, false)
	t.closeStart()
	for i, name := range []string{"GrantedAccess", "UtcTime", "Hashes", "Enabled", "Ratio", "Empty", "Count"} {
		t.open("Data", true, true)
		t.attr("Name")
		t.text(name)
		t.closeStart()
		t.subst(9+i, []byte{typeHexInt32, typeSystime, typeBinary, typeBool, typeReal64, typeString, typeInt32}[i], true)
		t.end()
	}
	t.open("Data", true, false)
	t.closeStart()
	t.subst(16, typeString|typeArray, true)
	t.end()
	t.end()
	t.open("UserData", true, false)
	t.closeStart()
	t.subst(17, typeBinXML, true)
	t.end()
	t.end()
	t.eof()
}

// sysmonValues are the substitution values of a record of sysmonTemplate.
func sysmonValues(id uint64, access uint32) []tval {
	guid := []byte{0x5F, 0x38, 0x70, 0x57, 0x2A, 0xC2, 0xE0, 0x43, 0xBF, 0x4C, 0x06, 0xF5, 0x69, 0x8F, 0xFB, 0xD9}
	systime := append(append(append(le16(2025), le16(10)...), append(le16(5), le16(24)...)...), append(append(le16(23), le16(36)...), append(le16(29), le16(110)...)...)...)
	return []tval{
		{typeString, u16s("Microsoft-Windows-Sysmon")},
		{typeGUID, guid},
		{typeNull, nil},
		{typeUint16, le16(10)},
		{typeHexInt64, le64(0x8000000000000000)},
		{typeFiletime, le64(filetime(time.Date(2025, 10, 24, 23, 36, 29, 111126700, time.UTC)))},
		{typeUint64, le64(id)},
		{typeNull, nil},
		{typeSID, []byte{1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0}},
		{typeHexInt32, le32(access)},
		{typeSystime, systime},
		{typeBinary, []byte{0xDE, 0xAD, 0xBE, 0xEF}},
		{typeBool, le32(1)},
		{typeReal64, le64(math.Float64bits(1.5))},
		{typeString, nil},
		{typeInt32, le32(uint32(0xffffffff))},
		{typeString | typeArray, u16s("a\x00\x00b\x00")},
		{typeBinXML, ruleXML(0)}, // its name's offset depends on where it lands: see sysmonRecord
	}
}

// ruleXML is a binary XML value, <Rule Name="r1">v</Rule>, to sit at
// chunk offset base.
func ruleXML(base int) []byte {
	w := &xw{base: base}
	w.fragment()
	w.open("Rule", false, true)
	w.attr("Name")
	w.text("r1")
	w.closeStart()
	w.text("v")
	w.end()
	w.eof()
	return w.b
}

// sysmonRecord writes a record of sysmonTemplate, defined inline when
// defAt is 0; it returns where the definition is.
func sysmonRecord(w *xw, defAt int, id uint64, access uint32) int {
	w.fragment()
	vals := sysmonValues(id, access)
	// The binary XML value comes last: write the instance once to learn
	// where, then for real.
	var def func(*xw)
	if defAt == 0 {
		def = sysmonTemplate
	}
	probe := &xw{base: w.pos()}
	probe.instance(defAt, def, vals)
	vals[17].raw = ruleXML(probe.pos() - len(vals[17].raw))
	defAt = w.instance(defAt, def, vals)
	w.eof()
	return defAt
}

// sysmonJSON is sysmonRecord's record as evtx_dump writes it, by hand.
func sysmonJSON(id, access string) string {
	return `{"Event":{"#attributes":{"xmlns":"http://schemas.microsoft.com/win/2004/08/events/event"},"System":{` +
		`"Provider":{"#attributes":{"Name":"Microsoft-Windows-Sysmon","Guid":"5770385F-C22A-43E0-BF4C-06F5698FFBD9"}},` +
		`"EventID":10,"Keywords":"0x8000000000000000","TimeCreated":{"#attributes":{"SystemTime":"2025-10-24T23:36:29.111126Z"}},` +
		`"EventRecordID":` + id + `,"Correlation":null,"Security":{"#attributes":{"UserID":"S-1-5-18"}}},` +
		`"EventData":{"GrantedAccess":"` + access + `","UtcTime":"2025-10-24T23:36:29.110000Z","Hashes":"DEADBEEF","Enabled":true,` +
		`"Ratio":1.5,"Empty":"","Count":-1,"Data":{"#text":["a","","b"]}},` +
		`"UserData":{"Rule":{"#attributes":{"Name":"r1"},"#text":"v"}}}}`
}

// fixtureChunk is a chunk of two Sysmon-shaped records (the second uses
// the first's template) and one record without a template.
func fixtureChunk(first uint64) []byte {
	c := &chunkBuilder{first: first}
	var defAt int
	c.record(func(w *xw) { defAt = sysmonRecord(w, 0, first, 0x1010) })
	c.record(func(w *xw) { sysmonRecord(w, defAt, first+1, 0x1fffff) })
	c.record(noTemplate)
	return c.bytes()
}

// fixtureWant is what fixtureChunk's records read as.
func fixtureWant(first uint64) []string {
	n := func(i uint64) string { return strconv.FormatUint(first+i, 10) }
	return []string{sysmonJSON(n(0), "0x1010"), sysmonJSON(n(1), "0x1fffff"), noTemplateJSON}
}

// readAll reads every record of an .evtx file as JSON, and the errors.
func readAll(t *testing.T, file []byte) ([]string, []*Error) {
	t.Helper()
	r, err := NewReader(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	var bad []*Error
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return got, bad
		}
		var e *Error
		if errors.As(err, &e) {
			bad = append(bad, e)
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, string(rec.AppendJSON(nil)))
	}
}

// TestFixtures reads hand-made records, each value written by hand as
// evtx_dump writes it: typed template values, a template used twice, a
// record without a template.
func TestFixtures(t *testing.T) {
	file := buildFile(0, fixtureChunk(100))
	got, bad := readAll(t, file)
	if len(bad) > 0 {
		t.Fatalf("errors: %v", bad)
	}
	want := fixtureWant(100)
	if len(got) != len(want) {
		t.Fatalf("%d records, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("record %d:\n got %s\nwant %s", i+1, got[i], want[i])
		}
		if !json.Valid([]byte(got[i])) {
			t.Errorf("record %d: not valid JSON", i+1)
		}
	}
}

// TestRepeatedKeys reads an element with many children of one name (and
// one that looks like a suffixed key): each key is suffixed as evtx_dump
// suffixes it, in linear time.
func TestRepeatedKeys(t *testing.T) {
	const n = 2000
	c := &chunkBuilder{first: 1}
	c.record(func(w *xw) {
		w.fragment()
		w.open("Event", false, false)
		w.closeStart()
		w.leaf("A_2", "x")
		at := w.pos() + 1 + 4 + 4 // after the token, data size and name offset
		w.leaf("A", "v")
		for range n - 1 { // the name defined once, then referred to
			w.u8(tokOpenStart)
			w.u32(0)
			w.u32(uint32(at))
			w.closeStart()
			w.text("v")
			w.end()
		}
		w.end()
		w.eof()
	})
	got, bad := readAll(t, buildFile(0, c.bytes()))
	if len(bad) > 0 || len(got) != 1 {
		t.Fatalf("%d records, errors %v", len(got), bad)
	}
	var want strings.Builder
	want.WriteString(`{"Event":{"A_2":"x","A":"v"`)
	for i := 1; i < n; i++ {
		k := i
		if i >= 2 {
			k++ // A_2 is taken
		}
		fmt.Fprintf(&want, `,"A_%d":"v"`, k)
	}
	want.WriteString("}}")
	if got[0] != want.String() {
		t.Errorf("got %.300s…, want %.300s…", got[0], want.String())
	}
}

// update rewrites golden files.
var update = flag.Bool("update", false, "rewrite testdata/fixture.evtx")

// dottedRecord writes a Sysmon process creation record without a
// template whose event data names hold dots (Name="Process.Name"), as
// a JSON reader takes for paths: package normalize reads such a record
// through its JSON.
func dottedRecord(w *xw) {
	w.fragment()
	w.open("Event", false, false)
	w.closeStart()
	w.open("System", false, false)
	w.closeStart()
	w.leaf("EventID", "1")
	w.leaf("Channel", "Microsoft-Windows-Sysmon/Operational")
	w.leaf("Computer", "ws1.example.org")
	w.end()
	w.open("EventData", false, false)
	w.closeStart()
	for _, d := range [][2]string{{"Image", `C:\Windows\System32\mofcomp.exe`}, {"Process.Name", "mofcomp.exe"}, {"CommandLine", "mofcomp.exe evil.mof"}} {
		w.open("Data", false, true)
		w.attr("Name")
		w.text(d[0])
		w.closeStart()
		w.text(d[1])
		w.end()
	}
	w.end()
	w.end()
	w.eof()
}

// realsChunk returns records of one shape, a real (Data Name="A") and a
// string (B), whose values change and come back: the real finite, not
// a number or infinite (null: evtx.KindNull, the same shape), the string
// with escapes or not, of hex letters and digits, or longer than package
// normalize's maxMemoValue; in runs of up to three records (a value
// comes back once it is known to hold a keyword or not). For normalize's
// fill programs, whose memos must not give a null the box of the number
// it replaced, nor leave a keyword out of the keyword scan.
func realsChunk() []byte {
	real64 := func(f float64) tval { return tval{typeReal64, le64(math.Float64bits(f))} }
	str := func(s string) tval { return tval{typeString, u16s(s)} }
	nan, inf, negZero := math.NaN(), math.Inf(1), math.Copysign(0, -1)
	long := strings.Repeat(`C:\Windows\`, 20) // past normalize's maxMemoValue, as UTF-16
	var vals [][]tval
	for _, v := range []struct {
		f float64
		s string
	}{{1.5, "a"}, {1.5, "a"}, {nan, "a"}, {nan, "a"}, {nan, `a"b`}, {2.5, `a"b`}, {2.5, `a"b`}, {2.5, `a"b`},
		{inf, "c:\\x"}, {inf, "c:\\x"}, {inf, "c:\\x"}, {1.5, "a"}, {nan, "a"}, {nan, "\t"}, {negZero, "\t"},
		{negZero, "\t"}, {negZero, "a"}, {nan, "a"}, {2.5, "deadbeef"}, {2.5, "deadbeef"}, {2.5, "deadbeef"},
		{1.5, "0x10"}, {1.5, "0x10"}, {1.5, "0x10"}, {1.5, long}, {1.5, long}, {1.5, long}, {nan, long}, {nan, "a"},
		{1.25, "qq"}, {1.25, "qq"}, {1.25, "qq"}, {1.25, "qq"}, {nan, "qq"}} {
		vals = append(vals, []tval{real64(v.f), str(v.s)})
	}
	return shapeChunk(dataBody(typeReal64, typeString), nil, vals...)
}

// TestFixtureFile keeps testdata/fixture.evtx (the fixture chunk),
// testdata/dotted.evtx (dottedRecord) and testdata/planned.evtx
// (plannedChunk, records that plans read) and testdata/reals.evtx
// (realsChunk) as files for examples and
// other packages' tests (go test -update writes them), equal to what the
// builder makes.
func TestFixtureFile(t *testing.T) {
	dotted := &chunkBuilder{first: 1}
	dotted.record(dottedRecord)
	for path, want := range map[string][]byte{
		"testdata/fixture.evtx": buildFile(0, fixtureChunk(1)),
		"testdata/dotted.evtx":  buildFile(0, dotted.bytes()),
		"testdata/planned.evtx": buildFile(0, plannedChunk(1, 6)),
		"testdata/reals.evtx":   buildFile(0, realsChunk()),
	} {
		if *update {
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from the builder's file: go test -update", path)
		}
	}
}
