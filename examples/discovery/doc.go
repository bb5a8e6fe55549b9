// Command discovery shows Osprey's service discovery on a real etcd, with
// nothing to install: an etcd inside the process, three echo servers
// registered in it, a client of "etcd://HOST:PORT/echo" with idempotent
// retries, and one server killed under load with no call failing.
//
//	go run ./examples/discovery
//
// The example itself is app/, a module of its own so that etcd stays out
// of the root module's requirements (app/doc.go says what it does). This
// command, in the root module, runs it: "go run ." in app/, with the same
// output and exit status. A go.work joining the modules would do the same
// without the extra step, but the benchmark and conformance modules do not
// build in workspace mode (their dependency graphs, unpruned, hold packages
// in two modules), and a go.work at the root would apply to them too.
package main
