package eql

import (
	"fmt"
	"strconv"
	"strings"
)

// interval parses the rest of "<n-m>", the decimal numbers n to m.
func (p *reParser) interval() (frag, error) {
	start := p.pos
	for p.more() && !p.peek(">") {
		p.pos++
	}
	if !p.match('>') {
		return frag{}, p.unexpected(`">"`)
	}
	body := string(p.src[start : p.pos-1])
	lo, hi, ok := strings.Cut(body, "-")
	if !ok {
		return frag{}, &regexError{msg: fmt.Sprintf("named automaton %q", "<"+body+">"), unsupported: true}
	}
	n, err1 := strconv.ParseInt(lo, 10, 32)
	m, err2 := strconv.ParseInt(hi, 10, 32)
	if err1 != nil || err2 != nil {
		return frag{}, &regexError{msg: fmt.Sprintf("bad numeric interval %q (expected <n-m>)", "<"+body+">")}
	}
	if n > m {
		n, m = m, n
	}
	digits := 0
	if len(lo) == len(hi) {
		digits = len(lo)
	}
	return frag{"(?:" + decimalInterval(n, m, digits) + ")", precAtom}, nil
}

// decimalInterval returns an RE2 alternation matching the decimal numbers
// lo to hi: written with exactly digits digits, zero-padded, when digits >
// 0, or else with any number of leading zeros, as Lucene's numeric
// intervals do.
func decimalInterval(lo, hi int64, digits int) string {
	if digits > 0 {
		return fixedDecimals(pad(lo, digits), pad(hi, digits))
	}
	var alts []string
	for w := len(strconv.FormatInt(lo, 10)); w <= len(strconv.FormatInt(hi, 10)); w++ {
		from, to := int64(0), int64(9)
		if w > 1 {
			from, _ = strconv.ParseInt("1"+strings.Repeat("0", w-1), 10, 64)
			to, _ = strconv.ParseInt(strings.Repeat("9", w), 10, 64)
		}
		alts = append(alts, fixedDecimals(pad(max(lo, from), w), pad(min(hi, to), w)))
	}
	return "0*(?:" + strings.Join(alts, "|") + ")"
}

// pad writes n in decimal with at least w digits.
func pad(n int64, w int) string { return fmt.Sprintf("%0*d", w, n) }

// fixedDecimals returns an RE2 alternation matching the strings of digits
// of the length of lo and hi that lie between them.
func fixedDecimals(lo, hi string) string {
	if lo == "" {
		return ""
	}
	if lo[0] == hi[0] {
		rest := fixedDecimals(lo[1:], hi[1:])
		if strings.Contains(rest, "|") {
			rest = "(?:" + rest + ")"
		}
		return lo[:1] + rest
	}
	n := len(lo) - 1
	zeros, nines := strings.Repeat("0", n), strings.Repeat("9", n)
	var alts []string
	first, last := lo[0], hi[0]
	if lo[1:] != zeros {
		alts = append(alts, fixedDecimals(lo[:1]+lo[1:], lo[:1]+nines))
		first++
	}
	if hi[1:] != nines {
		last--
	}
	if first <= last {
		d := string(first)
		switch {
		case last == first+1:
			d = "[" + string(first) + string(last) + "]"
		case last > first:
			d = "[" + string(first) + "-" + string(last) + "]"
		}
		switch n {
		case 0:
		case 1:
			d += "[0-9]"
		default:
			d += "[0-9]{" + strconv.Itoa(n) + "}"
		}
		alts = append(alts, d)
	}
	if hi[1:] != nines {
		alts = append(alts, fixedDecimals(hi[:1]+zeros, hi))
	}
	return strings.Join(alts, "|")
}
