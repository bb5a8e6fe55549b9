// Package benchmark is the root of Osprey's side-by-side benchmark module:
// echo servers and clients for several RPC stacks (package system), the
// commands that run them, and the runner that compares them. See README.md.
package benchmark
