package normalize

import (
	"strings"
	"testing"
)

// TestIsName checks that isName takes a channel or provider name in any
// case, as strings.EqualFold does (the Kelvin sign and the long s fold to
// ASCII letters, at other lengths), and nothing else.
func TestIsName(t *testing.T) {
	for _, c := range []struct {
		s, name string
		want    bool
	}{
		{sysmonChannel, sysmonChannel, true},
		{"microsoft-windows-sysmon/operational", sysmonChannel, true},
		{"MICROSOFT-WINDOWS-SYSMON", sysmonProvider, true},
		{"security", securityChannel, true},
		{securityChannel, sysmonChannel, false},
		{"Microsoft-Windows-Sysmon/Operationa", sysmonChannel, false},
		{sysmonChannel, sysmonProvider, false},
		{"", securityChannel, false},
		{securityProvider, sysmonProvider, false},
		{"Microsoft-Windows-Bits-Client/Operational", sysmonChannel, false},
		{"Microsoft-Windows-Security-Auditing", securityProvider, true},
		{"Microſoft-Windows-Security-Auditing", securityProvider, true},
		{"ſecurity", securityChannel, true},
		{"ſecurity", sysmonChannel, false},
		{"Microsoft-Windows-Sysmon\u212a", sysmonProvider, false},
		{"microsoft-windows-sysmon/operational\u212a", sysmonChannel, false},
		{"\u212aecurity", securityChannel, false},
	} {
		if c.want != strings.EqualFold(c.s, c.name) {
			t.Fatalf("case %q, %q: want %v, strings.EqualFold says otherwise", c.s, c.name, c.want)
		}
		if got := isName(c.s, c.name); got != c.want {
			t.Errorf("isName(%q, %q) = %v, want %v", c.s, c.name, got, c.want)
		}
	}
}
