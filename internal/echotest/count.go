package echotest

import (
	"errors"
	"net"
	"sync/atomic"
	"syscall"
)

// countingListener counts the connections it accepts and how many of them
// are still open, so a test can see the server close one and a client dial
// another.
type countingListener struct {
	net.Listener
	accepted, open atomic.Int64
}

func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	l.accepted.Add(1)
	l.open.Add(1)
	return &countedConn{Conn: c, l: l}, nil
}

// countedConn is a connection a countingListener accepted.
type countedConn struct {
	net.Conn
	l      *countingListener
	closed atomic.Bool
}

// Close closes the connection; the first call counts it as closed, once
// the socket is.
func (c *countedConn) Close() error {
	err := c.Conn.Close()
	if c.closed.CompareAndSwap(false, true) {
		c.l.open.Add(-1)
	}
	return err
}

// SyscallConn returns the socket's RawConn, which the server uses when the
// connection has one, as it would without the wrapper.
func (c *countedConn) SyscallConn() (syscall.RawConn, error) {
	sc, ok := c.Conn.(syscall.Conn)
	if !ok {
		return nil, errors.ErrUnsupported
	}
	return sc.SyscallConn()
}
