// Package iobuf provides Reader, the read buffer of a connection: it reads
// as much as the kernel has, keeps what is left over for the next message,
// and grows to hold a message up to a limit.
package iobuf
