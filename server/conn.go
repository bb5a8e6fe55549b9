package server

import (
	"errors"
	"fmt"
	"io"
	"net"
	"sync/atomic"
	"syscall"

	"github.com/ospreyrpc/osprey/internal/thriftio"
	"github.com/ospreyrpc/osprey/protocol/thrift"
)

// Connection states. The sweeper closes connections idle or writing for too
// long; Stop closes idle ones at once.
const (
	stateIdle    uint32 = iota // waiting for or reading a request
	stateBusy                  // handling a request
	stateWriting               // writing a reply
	stateClosed
)

// conn is one accepted connection.
type conn struct {
	s       *Server
	nc      net.Conn
	state   atomic.Uint32
	since   atomic.Int64 // UnixNano when the state was entered
	rd      thriftio.Reader
	codec   thrift.Codec
	framing thrift.Framing
	proto   string // rpcinfo.Info.Protocol
	local   net.Addr
	remote  net.Addr
	// lastWrite is the size of the last reply written, for rpcinfo.
	lastWrite int
	rc        syscall.RawConn // nil where the conn has none
	sess      session
}

func newConn(s *Server, nc net.Conn) *conn {
	c := &conn{s: s, nc: nc, local: nc.LocalAddr(), remote: nc.RemoteAddr()}
	if sc, ok := nc.(syscall.Conn); ok {
		c.rc, _ = sc.SyscallConn()
	}
	c.since.Store(s.clock.Load())
	return c
}

// serve runs the connection until it closes.
func (c *conn) serve() {
	defer c.s.removeConn(c)
	defer c.forceClose()
	c.rd.Buf.Reset(c.nc)
	defer c.rd.Buf.Release(true)

	enc, framing, err := c.detect()
	if err != nil {
		c.readFailed(err)
		return
	}
	c.codec.Init(enc)
	c.framing = framing
	c.proto = "thrift/" + enc.String() + "/" + framing.String()
	c.rd.Init(enc, framing, c.s.opts.maxMessageSize)
	if c.rc != nil {
		c.serveSession()
		return
	}
	c.serveBlocking()
}

// serveBlocking serves the connection with blocking reads, one request
// after another.
func (c *conn) serveBlocking() {
	for {
		msg, n, err := c.rd.Next()
		if err != nil {
			c.readFailed(err)
			return
		}
		if !c.state.CompareAndSwap(stateIdle, stateBusy) {
			return // closed by Stop or the sweeper
		}
		keep := c.handle(msg, n)
		c.rd.Done(n)
		if !keep || !c.becomeIdle() {
			return
		}
	}
}

// becomeIdle marks the connection idle between requests. It returns false,
// having closed the connection, if the server is draining.
func (c *conn) becomeIdle() bool {
	c.since.Store(c.s.clock.Load())
	if !c.state.CompareAndSwap(stateBusy, stateIdle) && !c.state.CompareAndSwap(stateWriting, stateIdle) {
		return false
	}
	if c.s.draining.Load() {
		// Inside a session the socket is in use by this goroutine, and
		// closing it would wait for itself: serve closes it on the way out.
		if !c.sess.active {
			c.closeIfIdle()
		}
		return false
	}
	return true
}

// detect reads the connection's first bytes and picks the protocol.
func (c *conn) detect() (thrift.Encoding, thrift.Framing, error) {
	need := 2
	for {
		b, err := c.rd.Buf.Ensure(need)
		if err != nil {
			return 0, 0, err
		}
		enc, framing, n := thrift.Detect(b)
		if enc != 0 {
			return enc, framing, nil
		}
		if n == 0 {
			return 0, 0, fmt.Errorf("%w; connection starts with % x", errUnknownProtocol, b[:min(len(b), 8)])
		}
		need = n
	}
}

// errUnknownProtocol means a connection's first bytes match no protocol.
var errUnknownProtocol = errors.New("unknown protocol")

// readFailed logs why reading a request failed: bad input as a warning, a
// peer that went away mid-message at debug level, and nothing when the
// connection just ended or was closed on purpose.
func (c *conn) readFailed(err error) {
	switch {
	case c.state.Load() == stateClosed, errors.Is(err, io.EOF), errors.Is(err, net.ErrClosed):
	case errors.Is(err, thrift.ErrTooLarge), errors.Is(err, thrift.ErrInvalidData),
		errors.Is(err, thrift.ErrTooDeep), errors.Is(err, errUnknownProtocol):
		c.s.opts.logger.Warn("osprey: closing connection after bad input", "remote", c.remote, "err", err)
	default:
		c.s.opts.logger.Debug("osprey: connection read failed", "remote", c.remote, "err", err)
	}
}

// closeIfIdle closes the connection if it is between requests.
func (c *conn) closeIfIdle() {
	if c.state.CompareAndSwap(stateIdle, stateClosed) {
		c.nc.Close()
	}
}

// forceClose closes the connection whatever it is doing.
func (c *conn) forceClose() {
	if c.state.Swap(stateClosed) != stateClosed {
		c.nc.Close()
	}
}
