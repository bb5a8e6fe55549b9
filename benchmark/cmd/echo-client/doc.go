// Command echo-client drives an echo server in a closed loop, in the style
// of kitex-benchmark: C goroutines each make one call after another with a
// message of B bytes, first for the warm-up and then for the measured
// duration, and it reports throughput, latency percentiles and the client's
// allocations per call. For the streaming systems (such as grpcgo-stream)
// each goroutine opens one bidirectional stream and keeps it: a call is one
// Send and one Recv on it.
//
//	echo-client --system osprey --addr 127.0.0.1:8001 -c 100 -d 10s -b 1024 --warmup 3s [--json FILE]
//
// -cpuprofile, -memprofile and -trace write a CPU profile, an allocation
// profile or an execution trace of the whole run.
package main
