// Package prof starts CPU and heap profiles and execution traces for the
// benchmark commands (flags -cpuprofile, -memprofile and -trace), so a run
// can show where its time, allocations and waits go.
package prof
