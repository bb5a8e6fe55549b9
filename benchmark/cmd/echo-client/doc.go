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
// For Osprey's systems, --target calls any client target instead of --addr
// (host:port,host:port, dns:///host:port, etcd://HOST:PORT/SERVICE, which
// it resolves through that etcd), --lb picks the load balancer (rr now;
// wrr, random, hash and p2c to come) and --retry N makes up to N attempts
// per call, Echo marked idempotent. With any of them it also prints how
// many calls each instance answered:
//
//	echo-client --target etcd://127.0.0.1:2379/echo --lb rr --retry 3 -c 8 -d 5s
//
// -cpuprofile, -memprofile and -trace write a CPU profile, an allocation
// profile or an execution trace of the whole run.
package main
