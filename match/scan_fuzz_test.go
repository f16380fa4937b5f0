package match

import (
	"slices"
	"testing"
)

// fuzzPaths are jsonPaths and short paths that fuzzed inputs reach often.
var fuzzPaths = append(slices.Clone(jsonPaths), "b", "b.a", "c", "c.c.c", "0", "a.a", "a.b.c.a")

// FuzzResetJSON checks that ResetJSON agrees with ParseJSON and Reset on
// any input: the same error or none, the same value at every path, the
// same values visited by Each and the same rules matched, with a fresh
// record and with one reused across inputs.
func FuzzResetJSON(f *testing.F) {
	for _, c := range resetJSONCases {
		f.Add([]byte(c.json))
	}
	f.Add([]byte(sysmonEvent))
	f.Add([]byte(ecsEvent))
	rs, paths := jsonRuleset(f, fuzzPaths, true)
	reused := rs.NewRecord()
	f.Fuzz(func(t *testing.T, data []byte) {
		checkResetJSON(t, rs, rs.NewRecord(), paths, data)
		checkResetJSON(t, rs, reused, paths, data)
	})
}
