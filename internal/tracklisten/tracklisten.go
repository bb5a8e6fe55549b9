package tracklisten

import (
	"errors"
	"io"
	"net"
	"sync"
)

// Listener remembers the connections it accepted, and closing it closes
// them too.
type Listener struct {
	net.Listener

	mu     sync.Mutex
	closed bool
	conns  map[*conn]struct{}
}

// New returns a Listener that tracks the connections ln accepts.
func New(ln net.Listener) *Listener {
	return &Listener{Listener: ln, conns: make(map[*conn]struct{})}
}

// Accept accepts a connection, and closes it again if the listener was
// closed meanwhile.
func (l *Listener) Accept() (net.Conn, error) {
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
	tc := &conn{Conn: c, l: l}
	l.conns[tc] = struct{}{}
	return tc, nil
}

// Close closes the listener and every connection it accepted.
func (l *Listener) Close() error {
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

// conn is a connection accepted by a Listener.
type conn struct {
	net.Conn
	l *Listener
}

// Read reads from the connection. Once the connection is closed locally,
// which the server only does while stopping, Read reports io.EOF, so that the
// server ends the connection as if the client had closed it, without logging
// an error.
func (c *conn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if errors.Is(err, net.ErrClosed) {
		err = io.EOF
	}
	return n, err
}

// Close closes the connection and forgets it.
func (c *conn) Close() error {
	c.l.mu.Lock()
	delete(c.l.conns, c)
	c.l.mu.Unlock()
	return c.Conn.Close()
}
