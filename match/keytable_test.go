package match

import (
	"fmt"
	"testing"
)

// TestKeyTable finds every key of tables of 0 to 3,000 keys and none of
// the keys left out, among them keys of the same hash (the same length
// and first, middle and last bytes) as keys held.
func TestKeyTable(t *testing.T) {
	for _, n := range []int{0, 1, 2, 7, 100, 3000} {
		kids := map[string]*trieNode{}
		var absent []string
		for i := range 2 * n {
			k := fmt.Sprintf("k%05dk", i) // k00001k and k00011k hash alike
			if i%2 == 1 {
				absent = append(absent, k)
				continue
			}
			kids[k] = &trieNode{id: int32(i)}
		}
		absent = append(absent, "", "k", "k0000k", "k000000k")
		tb := keysOf(kids)
		if len(tb.hashes) < 4*len(kids) || len(tb.hashes) != len(tb.slots) {
			t.Errorf("%d keys: %d slots", len(kids), len(tb.hashes))
		}
		for k, c := range kids {
			if got := tb.find([]byte(k)); got != c {
				t.Fatalf("%d keys: find(%q) = %v, want node %d", len(kids), k, got, c.id)
			}
		}
		for _, k := range absent {
			if got := tb.find([]byte(k)); got != nil {
				t.Fatalf("%d keys: find(%q) = node %d, want none", len(kids), k, got.id)
			}
		}
	}
}
