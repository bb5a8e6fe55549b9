// Package wqueue coalesces the writes of many goroutines to one connection:
// the first writer to find the connection free writes everything queued,
// batch after batch, with one writev each, while the others only queue and
// return. No goroutine is dedicated to writing.
package wqueue
