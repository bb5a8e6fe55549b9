// Package wqueue coalesces the writes of many goroutines to one connection:
// they queue their messages, and one flusher goroutine per connection
// writes everything queued with one writev, after yielding once so that
// the goroutines already runnable queue theirs first.
package wqueue
