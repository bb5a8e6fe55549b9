package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync/atomic"
	"syscall"

	"github.com/ospreyrpc/osprey/internal/h2"
	"github.com/ospreyrpc/osprey/internal/thriftio"
	"github.com/ospreyrpc/osprey/protocol/thrift"
)

// Connection states. The sweeper closes connections idle or writing for too
// long; Stop closes idle ones at once.
const (
	stateIdle    uint32 = iota // waiting for a request, nothing of it read
	stateReading               // part of a request read: the read timeout runs
	stateBusy                  // handling requests
	stateWriting               // writing a reply
	stateOwn                   // served by a protocol with timeouts of its own (HTTP/2)
	stateClosed
)

// conn is one accepted connection.
type conn struct {
	s        *Server
	nc       net.Conn
	state    atomic.Uint32
	since    atomic.Int64 // UnixNano when the state was entered
	rd       thriftio.Reader
	enc      thrift.Encoding // of the connection's plain Thrift messages
	framing  thrift.Framing
	local    net.Addr
	remote   net.Addr
	w        *worker         // scratch for requests served inline; made by the first (HTTP/2 connections have none)
	rc       syscall.RawConn // nil where the conn has none
	sess     session
	mux      *mux                    // set once the connection is served concurrently
	h2       atomic.Pointer[h2.Conn] // set for an HTTP/2 connection, for Stop
	detached bool                    // served from goroutines of the protocol's own, which end it (serveH2)
}

func newConn(s *Server, nc net.Conn) *conn {
	c := &conn{s: s, nc: nc, local: nc.LocalAddr(), remote: nc.RemoteAddr()}
	if sc, ok := nc.(syscall.Conn); ok {
		c.rc, _ = sc.SyscallConn()
	}
	c.since.Store(s.clock.Load())
	return c
}

// serve runs the connection until it closes, or until its protocol has
// taken it over (c.detached) and will end it itself.
func (c *conn) serve() {
	defer func() {
		if !c.detached {
			c.end()
		}
	}()
	c.rd.Buf.Reset(c.nc)
	serve, err := c.detect()
	if err != nil {
		c.readFailed(err)
		return
	}
	serve(c)
}

// end releases the connection's read buffer, closes it, and removes it
// from the server.
func (c *conn) end() {
	c.rd.Buf.Release(true)
	c.forceClose()
	c.s.removeConn(c)
}

// startRequest marks the connection busy with a request. It returns false
// if the connection was closed by Stop or the sweeper.
func (c *conn) startRequest() bool {
	return c.state.CompareAndSwap(stateIdle, stateBusy) || c.state.CompareAndSwap(stateReading, stateBusy)
}

// partial marks the connection as part way through reading a request, so
// the read timeout applies, when bytes are buffered.
func (c *conn) partial() {
	if len(c.rd.Buf.Buffered()) > 0 && c.state.Load() == stateIdle {
		c.since.Store(c.s.clock.Load())
		c.state.CompareAndSwap(stateIdle, stateReading)
	}
}

// serveInline serves one complete message of n bytes on this goroutine. It
// returns false if the connection must stop being served this way: closed,
// or switched to concurrent serving (c.mux set), with msg left unread.
func (c *conn) serveInline(msg []byte, n int) bool {
	if c.wantsMux(msg, n) {
		c.startMux()
		return false
	}
	if !c.startRequest() {
		return false // closed by Stop or the sweeper
	}
	if c.w == nil {
		c.w = new(worker)
	}
	out := c.handle(c.w, msg, n)
	if out.toMux {
		c.state.CompareAndSwap(stateBusy, stateIdle)
		c.startMux()
		return false // serveMux reads msg again
	}
	c.rd.Done(n)
	ok := out.reply == nil || c.writeOut(out.reply)
	out.adm.release()
	return ok && out.keep
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
		if !c.serveInline(msg, n) || !c.becomeIdle() {
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

// detect reads the connection's first bytes until one of the server's
// protocols recognises them, and returns its serving function.
func (c *conn) detect() (func(*conn), error) {
	need := 2
	for {
		c.partial()
		b, err := c.rd.Buf.Ensure(need)
		if err != nil {
			return nil, err
		}
		need = 0
		for _, p := range protocols {
			serve, n := p.match(b)
			if serve != nil {
				return serve, nil
			}
			if n > len(b) && (need == 0 || n < need) {
				need = n
			}
		}
		if need == 0 {
			return nil, fmt.Errorf("%w; connection starts with % x", errUnknownProtocol, b[:min(len(b), 8)])
		}
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

// drain starts closing the connection gracefully: at once if it is between
// requests, with a GOAWAY if it is HTTP/2; other busy connections close
// when their calls end.
func (c *conn) drain() {
	if hc := c.h2.Load(); hc != nil {
		go hc.GracefulClose(context.Background())
		return
	}
	c.closeIfIdle()
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
