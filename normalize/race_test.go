//go:build race

package normalize_test

// raceEnabled reports whether the race detector is on: it allocates,
// so allocation counts are not those of a normal build.
const raceEnabled = true
