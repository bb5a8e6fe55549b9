// Command discovery shows Osprey's service discovery on a real etcd, with
// nothing to install: it starts an etcd inside the process (on free
// loopback ports, data in a temporary directory), three echo servers that
// register in it as "echo", and a client of "etcd://HOST:PORT/echo" whose
// Echo method is idempotent and retried (up to 3 attempts). It prints how
// the calls spread over the instances, then kills one abruptly under load
// (its listener and connections closed, its lease no longer kept alive,
// no deregistration: as if its process died), keeps calling until etcd
// drops it when its lease expires and a while after, and prints the calls
// made and failed. It exits 1 if any call failed.
//
//	go run ./examples/discovery        # from the repository root
//	cd examples/discovery/app && go run .
//
// It is a module of its own, so that etcd stays out of the root module's
// requirements; examples/discovery, in the root module, runs it. TestRun
// runs it in the test command.
package main
