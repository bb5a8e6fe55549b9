// Package prof starts CPU and heap profiles for the benchmark commands, so
// a run can show where its time and allocations go.
package prof
