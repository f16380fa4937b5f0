package matcher

import (
	"net/netip"
	"strings"
)

// CIDR matches values that spell an IPv4 or IPv6 address inside one of a
// set of ranges. An IPv4-mapped IPv6 address (::ffff:10.0.0.1) counts as
// its IPv4 address; a zone (%eth0) is ignored.
type CIDR struct {
	prefixes []netip.Prefix
}

// NewCIDR parses ranges such as "10.0.0.0/8" and "fe80::/10"; a single
// address is a range of one.
func NewCIDR(ranges []string) (*CIDR, error) {
	m := &CIDR{}
	for _, r := range ranges {
		var p netip.Prefix
		var err error
		if strings.Contains(r, "/") {
			p, err = netip.ParsePrefix(r)
		} else {
			var a netip.Addr
			if a, err = netip.ParseAddr(r); err == nil {
				p = netip.PrefixFrom(a, a.BitLen())
			}
		}
		if err != nil {
			return nil, err
		}
		if p.Addr().Is4In6() {
			p = netip.PrefixFrom(p.Addr().Unmap(), max(p.Bits()-96, 0))
		}
		m.prefixes = append(m.prefixes, p.Masked())
	}
	return m, nil
}

// Match reports whether s is an address inside one of the ranges.
func (m *CIDR) Match(s string) bool {
	if !looksLikeAddr(s) {
		return false
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return false
	}
	a = a.Unmap().WithZone("")
	for _, p := range m.prefixes {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// looksLikeAddr reports whether s has only the characters of an IP
// address, so that most non-addresses are rejected before ParseAddr (whose
// errors allocate).
func looksLikeAddr(s string) bool {
	if len(s) < 2 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == '.' || c == ':' || c == '%') {
			if strings.IndexByte(s[:i], '%') < 0 {
				return false
			}
		}
	}
	return true
}

// Kind returns KindCIDR.
func (m *CIDR) Kind() Kind { return KindCIDR }

// String describes the matcher.
func (m *CIDR) String() string {
	parts := make([]string, len(m.prefixes))
	for i, p := range m.prefixes {
		parts[i] = p.String()
	}
	return "cidr " + strings.Join(parts, ", ")
}
