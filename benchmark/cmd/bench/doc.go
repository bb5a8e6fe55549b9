// Command bench runs the benchmark matrix: every system at every
// concurrency, several runs each, with echo-server pinned to one core and
// echo-client to another, and prints a markdown table of medians. It also
// writes every run's result, the table and a chart (SVG) to a results
// directory.
//
//	cd benchmark && go run ./cmd/bench
//	go run ./cmd/bench -systems raw,osprey -c 100 -runs 1 -d 5s
package main
