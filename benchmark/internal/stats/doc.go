// Package stats records latencies in a histogram with bounded relative
// error and reports percentiles, and computes medians across runs.
package stats
