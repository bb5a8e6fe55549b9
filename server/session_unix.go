//go:build unix

package server

import (
	"errors"
	"io"
	"syscall"

	"github.com/ospreyrpc/osprey/internal/bufpool"
)

// session state, kept in the conn so the RawConn.Read callback allocates
// nothing.
type session struct {
	step    func(fd uintptr) bool // c.sessionStep, bound once
	fd      uintptr               // the socket, while in a session
	active  bool                  // inside RawConn.Read
	drained bool                  // the last read left the socket empty
	stopped bool                  // the connection must close
	err     error                 // why the session ended
	pending *[]byte               // a reply the socket could not take at once
	off     int                   // how much of pending is written
}

// serveSession serves the connection from inside RawConn.Read sessions.
//
// The runtime arms its readiness wait when RawConn.Read starts, and again
// only when the next one starts. Within one session the callback reads,
// handles each complete request, writes the reply straight to the socket,
// and then, if its last read left the socket empty, waits for the next
// request without first trying a read that would fail with EAGAIN: data
// that arrived since that read has marked the socket ready, so the wait
// returns at once. A call so costs one read and one write. A session ends
// when a reply does not fit in the socket at once (the rest is written
// through the poller and a new session begins with a read), and when the
// connection ends.
func (c *conn) serveSession() {
	if c.sess.step == nil {
		c.sess.step = c.sessionStep
	}
	for {
		c.sess.drained, c.sess.err = false, nil
		c.sess.active = true
		err := c.rc.Read(c.sess.step)
		c.sess.active = false
		if p := c.sess.pending; p != nil {
			c.sess.pending = nil
			c.s.pendingReplies.Add(1)
			_, werr := c.nc.Write((*p)[c.sess.off:])
			bufpool.Put(p)
			if werr != nil {
				c.s.opts.logger.Debug("osprey: writing reply failed", "remote", c.remote, "err", werr)
				return
			}
			if !c.becomeIdle() {
				return
			}
			continue
		}
		if c.sess.stopped || c.mux != nil {
			return
		}
		if err == nil {
			err = c.sess.err
		}
		if err == io.EOF && len(c.rd.Buf.Buffered()) > 0 {
			err = io.ErrUnexpectedEOF
		}
		c.readFailed(err)
		return
	}
}

// sessionStep is serveSession's RawConn.Read callback. It returns false to
// wait until the socket is readable, true to end the session.
func (c *conn) sessionStep(fd uintptr) bool {
	s := &c.sess
	s.fd = fd
	for {
		for {
			msg, n, _, err := c.rd.TryNext()
			if err != nil {
				s.err = err
				return true
			}
			if msg == nil {
				break
			}
			if !c.serveInline(msg, n) {
				s.stopped = true
				return true
			}
			if s.pending != nil {
				return true
			}
			if !c.becomeIdle() {
				s.stopped = true
				return true
			}
		}
		c.partial()
		if s.drained {
			s.drained = false
			return false
		}
		n, space, err := c.rd.Buf.ReadFD(fd)
		switch {
		case errors.Is(err, syscall.EAGAIN):
			return false
		case errors.Is(err, syscall.EINTR):
			continue
		case err != nil:
			s.err = err
			return true
		}
		s.drained = n < space
	}
}

// writeReply writes a reply straight to the socket while in a session and
// reports that it did. What the socket cannot take at once is left pending,
// and p with it, for serveSession to write through the poller. Outside a
// session it does nothing.
func (c *conn) writeReply(p *[]byte) (wrote, pending bool, err error) {
	if !c.sess.active {
		return false, false, nil
	}
	b := *p
	off := 0
	for off < len(b) {
		n, err := syscall.Write(int(c.sess.fd), b[off:])
		switch {
		case errors.Is(err, syscall.EINTR):
			continue
		case errors.Is(err, syscall.EAGAIN):
			c.sess.pending, c.sess.off = p, off
			return false, true, nil
		case err != nil:
			return false, false, err
		}
		off += n
	}
	return true, false, nil
}
