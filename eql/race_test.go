//go:build race

package eql

// raceEnabled reports whether the race detector is on: it slows the
// reference parser (participle, all reflection) about tenfold, so the
// parser comparison tests then take a subset of the corpus (see
// raceSubset).
const raceEnabled = true
