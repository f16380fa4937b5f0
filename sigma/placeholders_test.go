package sigma

import (
	"reflect"
	"testing"
)

// TestReadPlaceholders checks the placeholders file: lists, single values,
// numbers as text, and errors with their exact text.
func TestReadPlaceholders(t *testing.T) {
	tests := []struct {
		name, src string
		want      map[string][]string
		err       string
	}{
		{"lists and scalars", "known_cdcs: [dc01, 'dc02.corp']\nAdmins: adm_*\nports:\n  - 445\n  - 139\nnone: []\n",
			map[string][]string{"known_cdcs": {"dc01", "dc02.corp"}, "Admins": {"adm_*"}, "ports": {"445", "139"}, "none": {}}, ""},
		{"empty file", "", map[string][]string{}, ""},
		{"null value", "x:\n", map[string][]string{"x": {}}, ""},
		{"not a mapping", "- a\n", nil, "p.yml:1:1: placeholders: expected a mapping of names to values, found a list"},
		{"nested mapping", "x:\n  a: b\n", nil, "p.yml:2:3: placeholders x: expected a string or a list of strings, found a mapping"},
		{"list of lists", "x: [[a]]\n", nil, "p.yml:1:5: placeholders x: expected a string, found a list"},
		{"twice", "x: a\nx: b\n", nil, `p.yml:2:1: placeholders: "x" is given twice`},
		{"bad YAML", "x: [a\n", nil, "p.yml:1:1: did not find expected ',' or ']'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadPlaceholders("p.yml", []byte(tt.src))
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Fatalf("error %v, want %s", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
