package main

import (
	"os"
	"runtime/debug"
)

// loadGCPercent is the garbage collector's target (GOGC) while rules load
// and compile. Parsing and compiling allocate about 1.3 GB for the whole
// corpus (3,754 SigmaHQ and 1,081 Elastic rules) of which little stays
// live, and at the default of 100 the collector took a third of the CPU:
// `ruleforge match` on empty input with those rules took 3.5 s of user
// CPU at 100 and 2.3 s at 400, for a peak RSS of 515 and 760 MB (issue 15,
// point 7). With less garbage made in loading (go-toml, buffers sized
// once) it still pays: 2.5–2.75 s at 100 and 1.7–1.8 s at 400, for
// 390–430 and 620–750 MB. The heap a larger target allows stays
// proportional to the live heap, and the default comes back once the
// rules are compiled.
const loadGCPercent = 400

// loadGC raises the collector's target to loadGCPercent for loading and
// compiling rules and returns the function that restores it. It changes
// nothing when GOGC or GOMEMLIMIT is set: the user has chosen.
func loadGC() (restore func()) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	old := debug.SetGCPercent(loadGCPercent)
	return func() { debug.SetGCPercent(old) }
}
