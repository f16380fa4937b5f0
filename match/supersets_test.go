package match

import (
	"slices"
	"testing"
)

// TestSupersets checks which probe each slot's key set takes: the
// smallest superset of at most twice its size, never one that itself
// took another's.
func TestSupersets(t *testing.T) {
	for _, tc := range []struct {
		name string
		sets [][]int32
		want []int
	}{
		{"none", nil, []int{}},
		{"disjoint", [][]int32{{1, 2}, {3, 4}}, []int{0, 1}},
		{"subset", [][]int32{{1, 2, 3}, {1, 2, 3, 4}}, []int{1, 1}},
		{"subset first", [][]int32{{1, 2, 3, 4}, {2, 3, 4}}, []int{0, 0}},
		{"overlap only", [][]int32{{1, 2, 3}, {2, 3, 4}}, []int{0, 1}},
		{"too large", [][]int32{{1}, {1, 2, 3}}, []int{0, 1}},
		{"twice", [][]int32{{1, 2}, {1, 2, 3, 4}}, []int{1, 1}},
		{"smallest superset", [][]int32{{1, 2, 3, 4, 5, 6}, {1, 2, 3, 7, 8}, {1, 2, 3}}, []int{0, 1, 1}},
		{"taken", [][]int32{{1, 2, 3, 4, 5, 6}, {1, 2, 3, 4}, {1, 2, 3}}, []int{0, 0, 0}},
		{"chain", [][]int32{{1}, {1, 2}, {1, 2, 3, 4}}, []int{0, 2, 2}},
	} {
		if got := supersets(tc.sets); !slices.Equal(got, tc.want) {
			t.Errorf("%s: supersets(%v) = %v, want %v", tc.name, tc.sets, got, tc.want)
		}
	}
}
