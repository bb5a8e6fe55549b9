// Package bufpool is Osprey's one pool of byte buffers, in power-of-two
// size classes from 512 bytes to 16 MiB.
//
// Get hands out a *[]byte; give the same pointer back to Put when done and
// do not touch the buffer afterwards. Buffers larger than the biggest class
// are allocated and dropped, not pooled. Safe for concurrent use.
package bufpool
