//go:build unix

package client

import (
	"errors"
	"syscall"
	"time"
)

// alive reports whether an idle connection is still usable: the peer has
// not closed it and has sent nothing unasked. It peeks at the socket
// without blocking, one system call.
func (c *conn) alive() bool {
	sc, ok := c.nc.(syscall.Conn)
	if !ok {
		return true
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return false
	}
	// The last call's deadline has likely passed, and a passed deadline
	// fails even a raw read.
	if c.nc.SetReadDeadline(time.Time{}) != nil {
		return false
	}
	alive := false
	var buf [1]byte
	err = rc.Read(func(fd uintptr) bool {
		n, _, err := syscall.Recvfrom(int(fd), buf[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		_ = n
		alive = errors.Is(err, syscall.EAGAIN)
		return true
	})
	return err == nil && alive
}
