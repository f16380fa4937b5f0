//go:build !race

package ruleforge_test

// raceEnabled reports whether the race detector is on.
const raceEnabled = false
