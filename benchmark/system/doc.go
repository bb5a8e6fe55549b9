// Package system defines the RPC stacks the benchmark compares. Each is a
// System: an echo server and a client for it, all speaking the same
// interface (EchoServer.Echo(Request) returning Response, each with a
// required action and msg string, as in the public kitex-benchmark).
//
// Adding a stack means one new file that defines its System and one line
// in the list All returns; nothing else changes.
package system
