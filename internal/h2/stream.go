package h2

import (
	"context"
	"io"
	"sync"
	"time"

	"github.com/ospreyrpc/osprey/internal/bufpool"

	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"
)

// Stream is one request stream (docs/spec/grpc.md §10.3). Its handler
// reads the request body with Read and answers with WriteHeader, Write and
// WriteTrailer, or ends it with Reset.
type Stream struct {
	c      *Conn
	id     uint32
	header []hpack.HeaderField
	inline [12]hpack.HeaderField // header's storage, for the usual gRPC request
	owner  any                   // from StreamAllocator.NewStream
	// The next stream waiting for a handler goroutine (c.toStart), under c.mu.
	nextStart *Stream
	// Its context (streamctx.go), under cmu.
	cmu    sync.Mutex
	done   chan struct{}
	cerr   error
	afters []*func()
	ready  chan struct{} // signals the reader: data, end or reset; made under c.mu when it first waits

	// Under c.mu.
	buf        []byte  // received, not yet read; bounded by the receive window
	pooled     *[]byte // buf's storage, from bufpool; nil if none
	off        int
	trailer    []hpack.HeaderField
	streamFlow      // windows (flow.go)
	remoteDone bool // END_STREAM received: half-closed (remote)
	localDone  bool // END_STREAM sent: half-closed (local)
	headerSent bool
	reset      *ResetError // RST_STREAM sent or received: closed
}

// Owner returns the value StreamAllocator.NewStream returned with the
// stream; nil if the Handler is no StreamAllocator.
func (s *Stream) Owner() any { return s.owner }

// ID returns the stream's identifier.
func (s *Stream) ID() uint32 { return s.id }

// Context returns the stream's context, canceled when the stream is reset
// by either side, when its handler returns, or when the connection closes.
// The context is the Stream itself (streamctx.go), valid after the
// handler has returned.
func (s *Stream) Context() context.Context { return s }

// Header returns the request's header fields in the order received,
// pseudo-header fields (":method", ":path", ...) first. The slice is the
// stream's: do not change it.
func (s *Stream) Header() []hpack.HeaderField { return s.header }

// Get returns the value of the first header field named name ("" if none).
func (s *Stream) Get(name string) string {
	for _, f := range s.header {
		if f.Name == name {
			return f.Value
		}
	}
	return ""
}

// Method returns the request's ":method".
func (s *Stream) Method() string { return s.Get(":method") }

// Path returns the request's ":path".
func (s *Stream) Path() string { return s.Get(":path") }

// Authority returns the request's ":authority".
func (s *Stream) Authority() string { return s.Get(":authority") }

// Trailer returns the request's trailer fields, once Read has returned
// io.EOF; nil if the request had none.
func (s *Stream) Trailer() []hpack.HeaderField {
	s.c.mu.Lock()
	defer s.c.mu.Unlock()
	return s.trailer
}

// Read reads request body bytes. It returns io.EOF after the peer's
// END_STREAM, a *ResetError after RST_STREAM, and the context's error if
// the connection closed. Bytes read are returned to the peer's windows
// (WINDOW_UPDATE) once a quarter of a window has been read.
func (s *Stream) Read(p []byte) (int, error) {
	c := s.c
	for {
		c.mu.Lock()
		if s.off < len(s.buf) {
			n := copy(p, s.buf[s.off:])
			s.off += n
			if s.off == len(s.buf) {
				s.releaseBufLocked()
			}
			c.consumedLocked(s, n)
			c.mu.Unlock()
			c.signal()
			return n, nil
		}
		reset, done := s.reset, s.remoteDone
		if s.ready == nil {
			s.ready = c.readyChanLocked()
		}
		ready := s.ready
		c.mu.Unlock()
		switch {
		case reset != nil:
			return 0, reset
		case done:
			return 0, io.EOF
		}
		select {
		case <-ready:
		case <-s.Done():
			c.mu.Lock()
			reset, more := s.reset, s.off < len(s.buf) || s.remoteDone
			c.mu.Unlock()
			if reset != nil {
				return 0, reset
			}
			if !more {
				return 0, s.Err()
			}
		}
	}
}

// WriteHeader sends the response's header fields (":status" first) in a
// HEADERS frame without END_STREAM.
func (s *Stream) WriteHeader(fields []hpack.HeaderField) error {
	return s.writeHeaders(fields, false)
}

// WriteTrailer sends trailer fields in a HEADERS frame with END_STREAM,
// ending the response. Without WriteHeader before, the fields are the
// whole response (a trailers-only response, with ":status").
func (s *Stream) WriteTrailer(fields []hpack.HeaderField) error {
	return s.writeHeaders(fields, true)
}

func (s *Stream) writeHeaders(fields []hpack.HeaderField, end bool) error {
	c := s.c
	c.mu.Lock()
	err := s.writableLocked()
	if err == nil && !c.waitSpaceLocked(nil) {
		err = ErrClosed
	}
	if err == nil {
		err = s.writableLocked()
	}
	if err == nil {
		err = c.writeHeadersLocked(s.id, fields, end)
	}
	if err == nil {
		s.headerSent = true
		if end {
			s.localDone = true
		}
	}
	c.mu.Unlock()
	c.signal()
	return err
}

// writableLocked returns why the stream cannot be written now, if so.
func (s *Stream) writableLocked() error { return writable(s.reset, s.c.closed, s.localDone) }

// Write sends p as DATA frames after WriteHeader, within the peer's
// stream and connection windows. It waits for WINDOW_UPDATE when they are
// shut, for at most WriteTimeout, and fails at once on reset, on the
// connection's close and when the stream's context is done.
func (s *Stream) Write(p []byte) (int, error) {
	c := s.c
	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	written := 0
	for len(p) > 0 {
		c.mu.Lock()
		err := s.writableLocked()
		if err == nil && !s.headerSent {
			err = errNoHeaders
		}
		if err != nil {
			c.mu.Unlock()
			return written, err
		}
		n := min(int64(len(p)), s.sendWindow, c.sendConn, int64(c.peerFrame))
		if n <= 0 {
			ready := c.sendReadyLocked()
			c.mu.Unlock()
			if timer == nil {
				timer = time.NewTimer(c.cfg.WriteTimeout)
			}
			select {
			case <-ready:
				continue
			case <-s.Done():
				return written, s.ctxErr()
			case <-timer.C:
				return written, errWindowTimeout
			}
		}
		if !c.waitSpaceLocked(nil) {
			c.mu.Unlock()
			return written, ErrClosed
		}
		if err := s.writableLocked(); err != nil {
			c.mu.Unlock()
			return written, err
		}
		// Windows cannot have shrunk below n while waiting: only this
		// writer spends this stream's window, and the connection's
		// window is checked again.
		n = min(n, s.sendWindow, c.sendConn)
		if n <= 0 {
			c.mu.Unlock()
			continue
		}
		c.writeDataLocked(s.id, false, p[:n])
		s.sendWindow -= n
		c.sendConn -= n
		c.resetStrikes = true
		c.mu.Unlock()
		c.signal()
		p = p[n:]
		written += int(n)
	}
	return written, nil
}

// ctxErr returns the error for a done context: the reset, if any.
func (s *Stream) ctxErr() error {
	s.c.mu.Lock()
	defer s.c.mu.Unlock()
	if s.reset != nil {
		return s.reset
	}
	if s.c.closed {
		return ErrClosed
	}
	return s.Err()
}

// Reset ends the stream with RST_STREAM(code) and cancels its context.
// It does nothing on a stream already closed.
func (s *Stream) Reset(code http2.ErrCode) {
	c := s.c
	c.mu.Lock()
	c.resetLocked(s, code)
	c.mu.Unlock()
	c.signal()
	s.cancel()
}

// resetLocked sends RST_STREAM for s unless it is closed already.
func (c *Conn) resetLocked(s *Stream, code http2.ErrCode) {
	if s.reset != nil || (s.localDone && s.remoteDone) || c.closed {
		return
	}
	s.reset = &ResetError{Code: code}
	c.pending = appendRSTStream(c.pendingLocked(controlRoom), s.id, code)
	wakeReader(s)
}

// wakeReader signals s's reader, if it has waited; under c.mu.
func wakeReader(s *Stream) {
	if s.ready == nil {
		return // it looks at the stream's state before it waits
	}
	select {
	case s.ready <- struct{}{}:
	default:
	}
}

// startHandler is the goroutine of a new stream's handler: it takes a
// stream onHeaders queued for one, and serves it.
func (c *Conn) startHandler() {
	c.mu.Lock()
	s := c.toStart
	c.toStart, s.nextStart = s.nextStart, nil
	c.mu.Unlock()
	c.runHandler(s)
}

// runHandler serves s and then ends and forgets it.
func (c *Conn) runHandler(s *Stream) {
	defer c.handlers.Done()
	defer s.cancel()
	c.h.ServeStream(s)
	c.mu.Lock()
	if s.reset == nil && !s.localDone && !c.closed {
		if s.headerSent {
			c.writeDataLocked(s.id, true, nil)
			s.localDone = true
		} else {
			c.resetLocked(s, http2.ErrCodeInternal)
		}
	}
	if s.reset == nil && !s.remoteDone {
		// The response is complete; the peer may stop sending (RFC 9113 §8.1).
		c.resetLocked(s, http2.ErrCodeNo)
	}
	c.removeLocked(s)
	peerGone := c.peerGone && c.streams.len() == 0
	c.mu.Unlock()
	c.signal()
	if peerGone {
		c.fail(ErrClosed)
	}
}

// removeLocked forgets s, returning the connection window its unread
// bytes hold.
func (c *Conn) removeLocked(s *Stream) {
	c.streams.del(s.id)
	n := len(s.buf) - s.off
	s.releaseBufLocked()
	if s.ready != nil && len(c.freeReady) < cap(c.freeReady) {
		// No one else has it: the handler, its only reader, has returned.
		select {
		case <-s.ready:
		default:
		}
		c.freeReady = append(c.freeReady, s.ready)
		s.ready = nil
	}
	if n > 0 {
		c.connConsumedLocked(int64(n))
	}
	c.checkDrainedLocked()
}

// appendDataLocked appends received DATA to s.buf, whose storage comes
// from the pool, so a stream holds memory only while it has unread bytes.
func (s *Stream) appendDataLocked(data []byte) {
	if s.off > 0 && s.off >= len(s.buf)/2 {
		// Drop the read prefix, so a reader that never quite catches up
		// holds no more than its window.
		s.buf, s.off = s.buf[:copy(s.buf, s.buf[s.off:])], 0
	}
	if len(data) > cap(s.buf)-len(s.buf) {
		p := bufpool.Get(len(s.buf) + len(data))
		*p = append(*p, s.buf...)
		if s.pooled != nil {
			bufpool.Put(s.pooled)
		}
		s.pooled, s.buf = p, *p
	}
	s.buf = append(s.buf, data...)
}

// releaseBufLocked drops s's unread bytes and returns their storage to
// the pool.
func (s *Stream) releaseBufLocked() {
	if s.pooled != nil {
		bufpool.Put(s.pooled)
	}
	s.pooled, s.buf, s.off = nil, nil, 0
}

// readyChanLocked returns a reader's channel, reused from a stream that
// has ended if there is one.
func (c *Conn) readyChanLocked() chan struct{} {
	if n := len(c.freeReady); n > 0 {
		ch := c.freeReady[n-1]
		c.freeReady = c.freeReady[:n-1]
		return ch
	}
	return make(chan struct{}, 1)
}
