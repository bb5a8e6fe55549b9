package echotest

import (
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// countingListener counts the connections it accepts and how many of them
// are still open, so a test can see the server close one and a client dial
// another.
type countingListener struct {
	net.Listener
	accepted, open atomic.Int64

	mu      sync.Mutex
	conns   map[*countedConn]struct{} // open ones
	changed chan struct{}             // closed, and replaced, when one closes
}

// waitOpen waits until n connections are open or done is closed, and
// returns how many are.
func (l *countingListener) waitOpen(n int64, done <-chan time.Time) int64 {
	for {
		l.mu.Lock()
		if l.changed == nil {
			l.changed = make(chan struct{})
		}
		ch := l.changed
		l.mu.Unlock()
		if got := l.open.Load(); got == n {
			return got
		}
		select {
		case <-ch:
		case <-done:
			return l.open.Load()
		}
	}
}

// closeAll closes every open connection, as a crash of the server would.
func (l *countingListener) closeAll() {
	l.mu.Lock()
	conns := make([]*countedConn, 0, len(l.conns))
	for c := range l.conns {
		conns = append(conns, c)
	}
	l.mu.Unlock()
	for _, c := range conns {
		c.Close()
	}
}

func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	l.accepted.Add(1)
	l.open.Add(1)
	cc := &countedConn{Conn: c, l: l}
	l.mu.Lock()
	if l.conns == nil {
		l.conns = map[*countedConn]struct{}{}
	}
	l.conns[cc] = struct{}{}
	l.mu.Unlock()
	return cc, nil
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
		c.l.mu.Lock()
		delete(c.l.conns, c)
		if c.l.changed != nil {
			close(c.l.changed)
			c.l.changed = nil
		}
		c.l.mu.Unlock()
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
