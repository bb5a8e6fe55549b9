//go:build race

package conformance

// raceEnabled reports whether the tests were built with the race detector.
const raceEnabled = true
