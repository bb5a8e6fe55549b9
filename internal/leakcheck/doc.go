// Package leakcheck fails a test that leaves goroutines behind.
//
// Call Check at the start of a test: when the test ends, Check waits up to
// a few seconds for every goroutine started since to exit, and fails the
// test with the stacks of those still running.
package leakcheck
