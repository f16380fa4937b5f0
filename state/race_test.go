//go:build race

package state

// raceEnabled reports whether the race detector is on: the 1 M key test
// then runs with fewer keys, to keep CI quick.
const raceEnabled = true
