// Command echo-server serves the benchmark's echo service with one of the
// systems of package system.
//
//	echo-server --system osprey --addr 127.0.0.1:8001
//
// It prints "listening on ADDR" once it accepts connections. On SIGUSR1 it
// prints "usage cpu_ns=N maxrss_kb=M mallocs=A": its CPU time so far, its
// peak resident memory and its heap allocations so far, which the runner
// reads at the start and end of a measured window. SIGINT or SIGTERM stops it.
//
// -cpuprofile, -memprofile and -trace write a CPU profile, an allocation
// profile or an execution trace of the whole run.
package main
