package evtx

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/ruleforge/ruleforge/internal/swar"
)

// Value types of substitution values (libyal, "Value types"); an array of
// a type has the 0x80 bit set.
const (
	typeNull      = 0x00
	typeString    = 0x01
	typeANSI      = 0x02
	typeInt8      = 0x03
	typeUint8     = 0x04
	typeInt16     = 0x05
	typeUint16    = 0x06
	typeInt32     = 0x07
	typeUint32    = 0x08
	typeInt64     = 0x09
	typeUint64    = 0x0a
	typeReal32    = 0x0b
	typeReal64    = 0x0c
	typeBool      = 0x0d
	typeBinary    = 0x0e
	typeGUID      = 0x0f
	typeSizeT     = 0x10
	typeFiletime  = 0x11
	typeSystime   = 0x12
	typeSID       = 0x13
	typeHexInt32  = 0x14
	typeHexInt64  = 0x15
	typeEvtHandle = 0x20
	typeBinXML    = 0x21
	typeEvtXML    = 0x23
	typeArray     = 0x80

	// typeText is no EVTX type: the text of a template or of a record
	// written without one, already decoded to UTF-8 in value.text.
	typeText = 0x7f
)

// value is one piece of an element's or attribute's content: a
// substitution value (raw bytes in the chunk, decoded by typ when
// rendered) or, with typeText, text already in UTF-8.
type value struct {
	typ byte
	raw []byte
}

// textValue is a value of text.
func textValue(s string) value { return value{typ: typeText, raw: []byte(s)} }

// fixedSize is the size of one value of a fixed-size type, or 0.
func fixedSize(t byte) int {
	switch t {
	case typeInt8, typeUint8:
		return 1
	case typeInt16, typeUint16:
		return 2
	case typeInt32, typeUint32, typeReal32, typeBool, typeHexInt32:
		return 4
	case typeInt64, typeUint64, typeReal64, typeFiletime, typeHexInt64:
		return 8
	case typeGUID, typeSystime:
		return 16
	}
	return 0
}

// fixedSizes is fixedSize by type, 0 for arrays (which checkValue
// checks), for the loops over every value of a record (scanStream).
var fixedSizes = func() (sizes [256]uint8) {
	for t := range typeArray {
		sizes[t] = uint8(fixedSize(byte(t)))
	}
	return sizes
}()

// checkValue says what is wrong with raw as a value of type t, or nil.
func checkValue(t byte, raw []byte) error {
	base := t &^ typeArray
	n := fixedSize(base)
	switch {
	case t == typeText: // no EVTX type: the decoder's mark of UTF-8 text
		return fmt.Errorf("value of type 0x%02x, no EVTX type", t)
	case t == typeSizeT:
		if len(raw) != 4 && len(raw) != 8 {
			return fmt.Errorf("size_t value of %d bytes, want 4 or 8", len(raw))
		}
	case t&typeArray != 0 && n > 0:
		if len(raw)%n != 0 {
			return fmt.Errorf("array of type 0x%02x of %d bytes, not a multiple of %d", base, len(raw), n)
		}
	case n > 0:
		if len(raw) != n {
			return fmt.Errorf("value of type 0x%02x of %d bytes, want %d", t, len(raw), n)
		}
	case t == typeSID:
		if len(raw) < 8 || len(raw) < 8+4*int(raw[1]) {
			return fmt.Errorf("SID of %d bytes, too short", len(raw))
		}
	case t&typeArray != 0 && base != typeString && base != typeANSI && base != typeSID:
		return fmt.Errorf("array of unsupported type 0x%02x", base)
	}
	return nil
}

// empty reports whether v renders as no text; binary XML, whether it
// holds none (a record's shape tells an empty one from one that holds a
// template instance: plan.go).
func (v *value) empty() bool {
	switch v.typ {
	case typeNull:
		return true
	case typeBinXML:
		return len(v.raw) == 0
	case typeText:
		return len(v.raw) == 0
	case typeString:
		return len(v.raw) < 2 || (v.raw[0] == 0 && v.raw[1] == 0)
	case typeANSI, typeBinary:
		return len(v.raw) == 0 || (v.typ == typeANSI && v.raw[0] == 0)
	}
	return v.typ&typeArray != 0 && len(v.raw) == 0
}

// numeric reports whether v renders as a bare JSON number or boolean.
func (v *value) numeric() bool {
	switch v.typ {
	case typeInt8, typeUint8, typeInt16, typeUint16, typeInt32, typeUint32,
		typeInt64, typeUint64, typeReal32, typeReal64, typeBool, typeSizeT:
		return true
	}
	return false
}

// appendJSON appends v as a JSON value: numbers and booleans bare, every
// other type as a string formatted as evtx_dump writes it, arrays as JSON
// arrays.
func (v *value) appendJSON(b []byte) []byte {
	switch v.typ { // the commonest first, with no further dispatch
	case typeString:
		return append(appendUTF16JSON(append(b, '"'), v.raw, true), '"')
	case typeText:
		return append(appendStringJSON(append(b, '"'), v.raw), '"')
	}
	if v.typ&typeArray != 0 {
		b = append(b, '[')
		n := 0
		v.eachItem(func(item value) {
			if n > 0 {
				b = append(b, ',')
			}
			n++
			b = item.appendJSON(b)
		})
		return append(b, ']')
	}
	if v.numeric() {
		return v.appendText(b)
	}
	b = append(b, '"')
	b = v.appendEscaped(b)
	return append(b, '"')
}

// appendEscaped appends v's text escaped for the inside of a JSON string.
func (v *value) appendEscaped(b []byte) []byte { return v.appendString(b, true) }

// appendPlain appends v's text unescaped, as a JSON decoder reads back
// what appendEscaped writes.
func (v *value) appendPlain(b []byte) []byte { return v.appendString(b, false) }

// appendString appends v's text, escaped for the inside of a JSON string
// when escape is set; an array's items are joined by commas.
func (v *value) appendString(b []byte, escape bool) []byte {
	switch v.typ {
	case typeString:
		return appendUTF16JSON(b, v.raw, escape)
	case typeText:
		if !escape {
			return append(b, v.raw...)
		}
		return appendStringJSON(b, v.raw)
	case typeANSI:
		if !escape {
			return append(b, ansi(v.raw)...)
		}
		return appendStringJSON(b, ansi(v.raw))
	}
	if v.typ&typeArray != 0 {
		n := 0
		v.eachItem(func(item value) {
			if n > 0 {
				b = append(b, ',')
			}
			n++
			b = item.appendString(b, escape)
		})
		return b
	}
	return v.appendText(b) // no other type renders a character to escape
}

// appendText appends v's text unescaped (types other than strings).
func (v *value) appendText(b []byte) []byte {
	r := v.raw
	le := binary.LittleEndian
	switch v.typ {
	case typeInt8:
		return strconv.AppendInt(b, int64(int8(r[0])), 10)
	case typeUint8:
		return strconv.AppendUint(b, uint64(r[0]), 10)
	case typeInt16:
		return strconv.AppendInt(b, int64(int16(le.Uint16(r))), 10)
	case typeUint16:
		return strconv.AppendUint(b, uint64(le.Uint16(r)), 10)
	case typeInt32:
		return strconv.AppendInt(b, int64(int32(le.Uint32(r))), 10)
	case typeUint32:
		return strconv.AppendUint(b, uint64(le.Uint32(r)), 10)
	case typeInt64:
		return strconv.AppendInt(b, int64(le.Uint64(r)), 10)
	case typeUint64:
		return strconv.AppendUint(b, le.Uint64(r), 10)
	case typeSizeT:
		if len(r) == 4 {
			return strconv.AppendUint(b, uint64(le.Uint32(r)), 10)
		}
		return strconv.AppendUint(b, le.Uint64(r), 10)
	case typeReal32:
		return appendFloat(b, float64(math.Float32frombits(le.Uint32(r))), 32)
	case typeReal64:
		return appendFloat(b, math.Float64frombits(le.Uint64(r)), 64)
	case typeBool:
		return strconv.AppendBool(b, le.Uint32(r) != 0)
	case typeHexInt32:
		return strconv.AppendUint(append(b, '0', 'x'), uint64(le.Uint32(r)), 16)
	case typeHexInt64:
		return strconv.AppendUint(append(b, '0', 'x'), le.Uint64(r), 16)
	case typeBinary:
		return appendHex(b, r)
	case typeGUID:
		return appendGUID(b, r)
	case typeFiletime:
		return appendFiletime(b, le.Uint64(r))
	case typeSystime:
		return appendSystime(b, r)
	case typeSID:
		return appendSID(b, r)
	case typeString, typeText, typeANSI:
		return v.appendEscaped(b)
	}
	return b // null, and the types checkValue leaves undecoded
}

// eachItem calls fn with each item of an array value.
func (v *value) eachItem(fn func(value)) {
	base := v.typ &^ typeArray
	r := v.raw
	switch base {
	case typeString:
		for len(r) >= 2 {
			end := len(r) &^ 1
			for i := 0; i+1 < len(r); i += 2 {
				if r[i] == 0 && r[i+1] == 0 {
					end = i
					break
				}
			}
			fn(value{typ: typeString, raw: r[:end]})
			r = r[min(end+2, len(r)):]
		}
	case typeANSI:
		for len(r) > 0 {
			end := len(r)
			for i, c := range r {
				if c == 0 {
					end = i
					break
				}
			}
			fn(value{typ: typeANSI, raw: r[:end]})
			r = r[min(end+1, len(r)):]
		}
	case typeSID:
		for len(r) >= 8 && len(r) >= 8+4*int(r[1]) {
			n := 8 + 4*int(r[1])
			fn(value{typ: typeSID, raw: r[:n]})
			r = r[n:]
		}
	default:
		n := fixedSize(base)
		if n == 0 {
			return
		}
		for ; len(r) >= n; r = r[n:] {
			fn(value{typ: base, raw: r[:n]})
		}
	}
}

// appendFloat appends f as the shortest decimal that reads back as f.
func appendFloat(b []byte, f float64, bits int) []byte {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return append(b, "null"...) // JSON has no such numbers
	}
	return strconv.AppendFloat(b, f, 'g', -1, bits)
}

// appendGUID appends a GUID in its registry form, upper case, without
// braces: its first three fields are little-endian. The 36 characters
// are written in place, in room grown once.
func appendGUID(b []byte, r []byte) []byte {
	const hex = "0123456789ABCDEF"
	// The byte of r each pair of hex digits shows, and where the pair
	// goes: 8-4-4-4-12 digits, dashes between.
	order := [16]uint8{3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15}
	at := [16]uint8{0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34}
	n := len(b)
	b = slices.Grow(b, 36)[:n+36]
	g := b[n : n+36 : n+36]
	_ = r[15]
	for i, k := range order {
		c := r[k]
		g[at[i]], g[at[i]+1] = hex[c>>4], hex[c&15]
	}
	g[8], g[13], g[18], g[23] = '-', '-', '-', '-'
	return b
}

// appendHex appends r's bytes as upper-case hex digits, in room grown
// once.
func appendHex(b []byte, r []byte) []byte {
	const hex = "0123456789ABCDEF"
	n := len(b)
	b = slices.Grow(b, 2*len(r))[:n+2*len(r)]
	h := b[n:]
	for i, c := range r {
		h[2*i], h[2*i+1] = hex[c>>4], hex[c&15]
	}
	return b
}

// FILETIME's calendar: 1601-01-01, its epoch, starts a 400-year cycle of
// the Gregorian calendar, so that a FILETIME's day number splits into
// cycles, centuries, four-year spans and years with no correction for
// where it starts (each span's last year is the leap one).
const (
	daysPer400 = 146097
	daysPer100 = 36524
	daysPer4   = 1461
)

// appendFiletime appends a FILETIME (100 ns ticks since 1601) as
// YYYY-MM-DDTHH:MM:SS.ffffffZ, to the microsecond, with the calendar
// worked out from its day number (what time.Time's Date and Clock give).
func appendFiletime(b []byte, ft uint64) []byte {
	secs, micro := ft/10_000_000, int(ft%10_000_000/10)
	days, sec := int(secs/86400), int(secs%86400)
	c400, days := days/daysPer400, days%daysPer400
	c100 := min(days/daysPer100, 3) // a cycle's last day is in its fourth century
	days -= c100 * daysPer100
	c4, days := days/daysPer4, days%daysPer4
	c1 := min(days/365, 3) // a span's last day is in its fourth year
	days -= c1 * 365
	y := 1601 + 400*c400 + 100*c100 + 4*c4 + c1
	mo := 1
	for ; mo < 12; mo++ {
		n := monthDays[mo-1]
		if mo == 2 && y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			n++
		}
		if days < n {
			break
		}
		days -= n
	}
	return appendTime(b, y, mo, days+1, sec/3600, sec/60%60, sec%60, micro)
}

// monthDays are the days of each month of a year that is not a leap year.
var monthDays = [12]int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

// appendSystime appends a SYSTEMTIME (eight little-endian uint16: year,
// month, weekday, day, hour, minute, second, milliseconds) as
// YYYY-MM-DDTHH:MM:SS.ffffffZ.
func appendSystime(b []byte, r []byte) []byte {
	u := func(i int) int { return int(binary.LittleEndian.Uint16(r[2*i:])) }
	return appendTime(b, u(0), u(1), u(3), u(4), u(5), u(6), u(7)*1000)
}

// appendTime appends a time in the form both time types share: in
// place, 27 bytes grown once, when each field fits its width (always,
// but for a FILETIME past the year 9999 or a SYSTEMTIME out of range).
func appendTime(b []byte, y, mo, d, h, mi, s, micro int) []byte {
	if uint(y) > 9999 || uint(mo|d|h|mi|s) > 99 || uint(micro) > 999_999 {
		b = appendDigits(b, y, 4)
		b = appendDigits(append(b, '-'), mo, 2)
		b = appendDigits(append(b, '-'), d, 2)
		b = appendDigits(append(b, 'T'), h, 2)
		b = appendDigits(append(b, ':'), mi, 2)
		b = appendDigits(append(b, ':'), s, 2)
		b = appendDigits(append(b, '.'), micro, 6)
		return append(b, 'Z')
	}
	n := len(b)
	b = slices.Grow(b, 27)[:n+27]
	t := b[n : n+27 : n+27]
	put2 := func(at, v int) { t[at], t[at+1] = pairs[2*v], pairs[2*v+1] }
	put2(0, y/100)
	put2(2, y%100)
	put2(5, mo)
	put2(8, d)
	put2(11, h)
	put2(14, mi)
	put2(17, s)
	put2(20, micro/10000)
	put2(22, micro/100%100)
	put2(24, micro%100)
	t[4], t[7], t[10], t[13], t[16], t[19], t[26] = '-', '-', 'T', ':', ':', '.', 'Z'
	return b
}

// pairs are the two digits of 0 to 99.
const pairs = "00010203040506070809" + "10111213141516171819" + "20212223242526272829" + "30313233343536373839" + "40414243444546474849" +
	"50515253545556575859" + "60616263646566676869" + "70717273747576777879" + "80818283848586878889" + "90919293949596979899"

// appendDigits appends n in decimal, zero-padded to width digits.
func appendDigits(b []byte, n, width int) []byte {
	if n < 0 {
		b = append(b, '-')
		n = -n
	}
	var buf [20]byte
	i := len(buf)
	for n > 0 || i > len(buf)-width {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
	}
	return append(b, buf[i:]...)
}

// appendSID appends a SID as S-revision-authority-sub-...: the
// authority is a 48-bit big-endian number, the sub-authorities
// little-endian uint32s.
func appendSID(b []byte, r []byte) []byte {
	var auth uint64
	for _, c := range r[2:8] {
		auth = auth<<8 | uint64(c)
	}
	b = strconv.AppendUint(append(b, 'S', '-'), uint64(r[0]), 10)
	b = strconv.AppendUint(append(b, '-'), auth, 10)
	for i := range int(r[1]) {
		b = strconv.AppendUint(append(b, '-'), uint64(binary.LittleEndian.Uint32(r[8+4*i:])), 10)
	}
	return b
}

// ansi decodes an ANSI string up to its first NUL, each byte as the
// Latin-1 character of that code.
func ansi(r []byte) string {
	for i, c := range r {
		if c == 0 {
			r = r[:i]
			break
		}
	}
	for _, c := range r {
		if c >= utf8.RuneSelf {
			rs := make([]rune, len(r))
			for i, c := range r {
				rs[i] = rune(c)
			}
			return string(rs)
		}
	}
	return string(r)
}

// utf16String decodes UTF-16LE text up to its first NUL; unpaired
// surrogates become U+FFFD.
func utf16String(r []byte) string {
	ascii := true
	n := 0
	for ; n+1 < len(r); n += 2 {
		if r[n+1] != 0 || r[n] >= utf8.RuneSelf {
			ascii = false
			break
		}
		if r[n] == 0 {
			break
		}
	}
	if ascii { // one allocation: the common case of names and template text
		var b strings.Builder
		b.Grow(n / 2)
		for i := 0; i < n; i += 2 {
			b.WriteByte(r[i])
		}
		return b.String()
	}
	return string(appendUTF16JSON(make([]byte, 0, len(r)/2*3), r, false))
}

// appendUTF16JSON appends UTF-16LE text up to its first NUL as UTF-8,
// escaped for a JSON string when escape is set; unpaired surrogates
// become U+FFFD.
func appendUTF16JSON(b []byte, r []byte, escape bool) []byte {
	le := binary.LittleEndian
	b = slices.Grow(b, len(r)/2)
	for i := 0; i+1 < len(r); {
		// Eight characters at a time while they are ASCII, packed to
		// bytes in a register and stored at once, up to the first one
		// that is NUL, below the space or, escaped, a quote or a
		// backslash (a path's), which the code below writes: four at a
		// time when they are printable (a quote or a backslash escaped
		// one by one), else a character at a time.
		for i+16 <= len(r) {
			q := r[i : i+16 : i+16]
			x, y := le.Uint64(q), le.Uint64(q[8:])
			if (x|y)&(0xff80*ones16) != 0 {
				break
			}
			w := uint64(pack4(x)) | uint64(pack4(y))<<32
			stop := swar.ControlBits(w)
			if escape {
				stop = swar.EscapeBits(w)
			}
			if stop != 0 {
				k := bits.TrailingZeros64(stop) >> 3 // the characters before it
				b = le.AppendUint64(b, w)[:len(b)+k]
				i += 2 * k
				break
			}
			b = le.AppendUint64(b, w)
			i += 16
		}
		if i+1 >= len(r) {
			break
		}
		if i+8 <= len(r) {
			if x := le.Uint64(r[i:]); printableASCII4(x) {
				if !escape || !needsBackslash4(x) {
					b = le.AppendUint32(b, pack4(x))
				} else {
					for k := 0; k < 64; k += 16 {
						if c := byte(x >> k); c == '"' || c == '\\' {
							b = append(b, '\\', c)
						} else {
							b = append(b, c)
						}
					}
				}
				i += 8
				continue
			}
		}
		c := rune(r[i]) | rune(r[i+1])<<8
		i += 2
		switch {
		case c == 0:
			return b
		case c < utf8.RuneSelf:
			if escape {
				b = appendASCIIJSON(b, byte(c))
			} else {
				b = append(b, byte(c))
			}
			continue
		case utf16.IsSurrogate(c):
			if c < 0xdc00 && i+1 < len(r) {
				c2 := rune(r[i]) | rune(r[i+1])<<8
				if c2 >= 0xdc00 && c2 < 0xe000 {
					c = utf16.DecodeRune(c, c2)
					i += 2
					break
				}
			}
			c = utf8.RuneError
		}
		b = utf8.AppendRune(b, c)
	}
	return b
}

// Lanes of UTF-16 characters, for the tests below on four characters at
// once (those on eight bytes use package swar's lanes).
const ones16, tops16 = 0x0001000100010001, 0x8000800080008000

// printableASCII4 reports whether x, four UTF-16LE characters, are all
// ASCII from the space up. A lane below 0x20 sets its top bit when 0x20
// is taken from it (a borrow from the next lane only sets more bits).
func printableASCII4(x uint64) bool {
	return x&(0xff80*ones16) == 0 && (x-0x20*ones16)&tops16 == 0
}

// needsBackslash4 reports whether x, four printable ASCII characters
// (printableASCII4), holds a quote or a backslash: a lane equal to c is
// a zero lane of x^c, which the classic zero-lane test finds.
func needsBackslash4(x uint64) bool {
	zero := func(v uint64) bool { return (v-ones16)&^v&tops16 != 0 }
	return zero(x^('"'*ones16)) || zero(x^('\\'*ones16))
}

// pack4 returns the low bytes of x's four 16-bit lanes, in order.
func pack4(x uint64) uint32 {
	x = (x | x>>8) & 0x0000ffff0000ffff
	return uint32(x | x>>16)
}

// appendStringJSON appends s escaped for the inside of a JSON string.
func appendStringJSON[S string | []byte](b []byte, s S) []byte {
	start := 0
	for i := 0; i < len(s); i++ {
		// Eight bytes at a time up to the next one to escape.
		for i+8 <= len(s) && swar.EscapeBits(load8(s, i)) == 0 {
			i += 8
		}
		if i == len(s) {
			break
		}
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' { // bytes of multi-byte characters pass as they are
			b = appendASCIIJSON(append(b, s[start:i]...), c)
			start = i + 1
		}
	}
	return append(b, s[start:]...)
}

// load8 returns s[i:i+8] as a little-endian uint64.
func load8[S string | []byte](s S, i int) uint64 {
	_ = s[i+7]
	return uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
		uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
}

// jsonShort are the characters JSON escapes with a letter, and the letters.
var jsonShort = [...]struct{ c, letter byte }{{'"', '"'}, {'\\', '\\'}, {'\n', 'n'}, {'\r', 'r'}, {'\t', 't'}, {'\b', 'b'}, {'\f', 'f'}}

// appendASCIIJSON appends one byte escaped as serde_json escapes it:
// quote, backslash and control characters; every other byte as it is.
func appendASCIIJSON(b []byte, c byte) []byte {
	if c >= 0x20 && c != '"' && c != '\\' {
		return append(b, c)
	}
	for _, e := range jsonShort {
		if c == e.c {
			return append(b, '\\', e.letter)
		}
	}
	const hex = "0123456789abcdef"
	return append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
}

// finite reports whether v, a real, is a finite number (AppendJSON writes
// the others as null).
func finite(v value) bool {
	var f float64
	if v.typ == typeReal32 {
		f = float64(math.Float32frombits(binary.LittleEndian.Uint32(v.raw)))
	} else {
		f = math.Float64frombits(binary.LittleEndian.Uint64(v.raw))
	}
	return !math.IsInf(f, 0) && !math.IsNaN(f)
}
