//go:build !unix

package iobuf

import "syscall"

// exchange has no state where Exchange is an ordinary write.
type exchange struct{}

// Exchange writes out on rc. On this platform it cannot wait for the answer
// without reading, so it writes nothing and returns 0: the caller falls
// back to an ordinary write and read.
func (b *Reader) Exchange(rc syscall.RawConn, out []byte) (written int, err error) {
	return 0, nil
}
