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
// With --registry etcd://HOST:PORT (Osprey's servers only), it registers
// in that etcd as an instance of --service (default "echo") once it
// serves, printing "registered SERVICE ADDR in URL"; ADDR is --advertise,
// by default the listening address with 127.0.0.1 for an unspecified host
// (such as ":8888"). On SIGINT or SIGTERM it deregisters first, printing
// "deregistered SERVICE ADDR from URL", waits --deregister-wait (1 s) for
// clients to see it go, then drains and exits:
//
//	echo-server --addr :8888 --registry etcd://127.0.0.1:2379 --service echo
//
// -cpuprofile, -memprofile and -trace write a CPU profile, an allocation
// profile or an execution trace of the whole run.
package main
