package apache

import (
	"errors"
	"io"
	"net"
	"sync"
)

// trackingListener remembers the connections it accepted, and closing it
// closes them too. TSimpleServer.Stop waits for every connection to end, and
// without this would wait for as long as a client keeps one open.
type trackingListener struct {
	net.Listener

	mu     sync.Mutex
	closed bool
	conns  map[*trackedConn]struct{}
}

func newTrackingListener(ln net.Listener) *trackingListener {
	return &trackingListener{Listener: ln, conns: make(map[*trackedConn]struct{})}
}

// Accept accepts a connection, and closes it again if the listener was
// closed meanwhile.
func (l *trackingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		c.Close()
		return nil, net.ErrClosed
	}
	tc := &trackedConn{Conn: c, l: l}
	l.conns[tc] = struct{}{}
	return tc, nil
}

// Close closes the listener and every connection it accepted.
func (l *trackingListener) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil
	}
	l.closed = true
	for c := range l.conns {
		c.Conn.Close()
	}
	clear(l.conns)
	return l.Listener.Close()
}

// trackedConn is a connection accepted by a trackingListener.
type trackedConn struct {
	net.Conn
	l *trackingListener
}

// Read reads from the connection. Once the connection is closed locally,
// which the server only does while stopping, Read reports io.EOF, so that the
// server ends the connection as if the client had closed it, without logging
// an error.
func (c *trackedConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if errors.Is(err, net.ErrClosed) {
		err = io.EOF
	}
	return n, err
}

// Close closes the connection and forgets it.
func (c *trackedConn) Close() error {
	c.l.mu.Lock()
	delete(c.l.conns, c)
	c.l.mu.Unlock()
	return c.Conn.Close()
}
