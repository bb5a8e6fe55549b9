//go:build race

package system

// raceEnabled reports a build with the race detector.
const raceEnabled = true
