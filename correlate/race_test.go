//go:build race

package correlate

// raceEnabled reports whether the race detector is on: the tests with a
// million groups then use fewer.
const raceEnabled = true
