package h2

import (
	"errors"
	"io"
	"slices"
	"time"

	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"
)

// handshake reads the client preface and the first frame, which must be
// SETTINGS, within HandshakeTimeout; connection errors are answered with
// GOAWAY (docs/spec/grpc.md §10.1, §10.3).
func (c *Conn) handshake() error {
	c.nc.SetReadDeadline(time.Now().Add(c.cfg.HandshakeTimeout))
	var pre [len(http2.ClientPreface)]byte
	if _, err := io.ReadFull(c.r, pre[:]); err != nil {
		return err
	}
	if string(pre[:]) != http2.ClientPreface {
		return c.goAway(connErr(http2.ErrCodeProtocol, "bad client preface"))
	}
	hdr, err := c.r.Peek(frameHeaderLen)
	if err != nil {
		return err
	}
	if http2.FrameType(hdr[3]) != http2.FrameSettings || http2.Flags(hdr[4]).Has(http2.FlagSettingsAck) {
		return c.goAway(connErr(http2.ErrCodeProtocol, "first frame is not SETTINGS"))
	}
	if err := c.handled(c.readFrame(hdr)); err != nil {
		return err
	}
	c.nc.SetReadDeadline(time.Time{})
	return nil
}

// errIdle is what readFrames returns when it has read every buffered
// byte and would wait for more.
var errIdle = errors.New("h2: waiting for bytes")

// readFrames reads and handles frames until the connection fails or no
// byte is buffered; it then gives the read buffer back and returns
// errIdle, and the caller waits for bytes on a fresh goroutine (run).
func (c *Conn) readFrames() error {
	for {
		if c.r.empty() {
			c.r.release()
			return errIdle
		}
		hdr, err := c.r.Peek(frameHeaderLen)
		if err != nil {
			return err
		}
		if err := c.handled(c.readFrame(hdr)); err != nil {
			return err
		}
	}
}

// handled answers a connection error of the server's own with GOAWAY,
// and returns err.
func (c *Conn) handled(err error) error {
	if err == nil {
		return nil // before e, which escapes
	}
	var e *ConnError
	if errors.As(err, &e) && !e.Remote {
		c.goAway(e)
	}
	return err
}

// onSettings applies the peer's settings, p holding 6 bytes each, and
// acknowledges them (docs/spec/grpc.md §10.2).
func (c *Conn) onSettings(p []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.applySettingsLocked(p, c); err != nil {
		return err
	}
	if !c.waitSpaceLocked(nil) {
		return ErrClosed
	}
	c.pending = appendSettingsAck(c.pendingLocked(controlRoom))
	c.signal()
	return nil
}

// onHeaderFragment decodes a fragment of a header block and, at its
// end, opens the stream or takes its trailers; a bad block resets the
// stream.
func (c *Conn) onHeaderFragment(frag []byte, last bool) error {
	b := c.hb
	if err := b.write(frag, last); err != nil || !last {
		return err
	}
	defer b.release()
	if !b.valid() {
		if b.id%2 == 0 {
			return connErr(http2.ErrCodeProtocol, "invalid HEADERS on an even stream id")
		}
		c.streamError(b.id, http2.ErrCodeProtocol)
		return nil
	}
	return c.onHeaders(b)
}

// onHeaders opens a stream, or takes a request's trailers.
func (c *Conn) onHeaders(f *headerBlock) error {
	id := f.id
	if id%2 == 0 {
		return connErr(http2.ErrCodeProtocol, "HEADERS on an even stream id")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	defer c.signal()
	if s := c.streams.get(id); s != nil {
		switch {
		case s.reset != nil:
			return nil // frames in flight after RST_STREAM
		case s.remoteDone:
			return c.streamErrorLocked(id, http2.ErrCodeStreamClosed)
		case !f.endStream || pseudo(f.fields, ":method") != "" || pseudo(f.fields, ":path") != "":
			return c.streamErrorLocked(id, http2.ErrCodeProtocol)
		}
		s.trailer = slices.Clone(f.fields)
		s.remoteDone = true
		wakeReader(s)
		return nil
	}
	if id <= c.maxSeen {
		return connErr(http2.ErrCodeProtocol, "HEADERS on a closed stream or a stream id not increasing")
	}
	c.maxSeen = id
	if !c.waitSpaceLocked(nil) {
		return ErrClosed
	}
	switch {
	case c.goingAway || c.peerGone:
		c.pending = appendRSTStream(c.pendingLocked(controlRoom), id, http2.ErrCodeRefusedStream)
		return nil
	case f.truncated:
		// RFC 9113 §10.5.1: 431 (Request Header Fields Too Large).
		c.writeHeadersLocked(id, []hpack.HeaderField{{Name: ":status", Value: "431"}}, true)
		if !f.endStream {
			c.pending = appendRSTStream(c.pendingLocked(controlRoom), id, http2.ErrCodeNo)
		}
		return nil
	case pseudo(f.fields, ":method") == "" || pseudo(f.fields, ":path") == "": // valid() has refused a :status with them
		c.pending = appendRSTStream(c.pendingLocked(controlRoom), id, http2.ErrCodeProtocol)
		return nil
	case uint32(c.streams.len()) >= c.cfg.MaxConcurrentStreams:
		c.pending = appendRSTStream(c.pendingLocked(controlRoom), id, http2.ErrCodeRefusedStream)
		return nil
	}
	var s *Stream
	if c.sa != nil {
		var owner any
		owner, s = c.sa.NewStream()
		s.owner = owner
	} else {
		s = new(Stream)
	}
	s.c, s.id = c, id
	s.recvWindow, s.sendWindow = int64(c.cfg.InitialWindowSize), c.peerWindow
	s.remoteDone = f.endStream
	s.header = append(s.inline[:0:len(s.inline)], f.fields...)
	c.streams.put(s)
	c.handlers.Add(1)
	s.nextStart, c.toStart = c.toStart, s
	go c.startFn() // takes a stream from c.toStart: go c.runHandler(s) would allocate
	return nil
}

// onData buffers a DATA frame's data for its stream's reader; n is the
// frame's length, padding included.
func (c *Conn) onData(id uint32, n int64, data []byte, endStream bool) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	defer c.signal()
	if id > c.maxSeen || id%2 == 0 {
		return connErr(http2.ErrCodeProtocol, "DATA on an idle stream")
	}
	if n > c.recvConn {
		return connErr(http2.ErrCodeFlowControl, "DATA beyond the connection window")
	}
	c.recvConn -= n
	s := c.streams.get(id)
	if s == nil || s.reset != nil || s.remoteDone {
		c.connConsumedLocked(n)
		if s == nil || s.remoteDone {
			return c.streamErrorLocked(id, http2.ErrCodeStreamClosed)
		}
		return nil
	}
	if n > s.recvWindow {
		c.connConsumedLocked(n)
		return c.streamErrorLocked(id, http2.ErrCodeFlowControl)
	}
	s.recvWindow -= n
	if pad := n - int64(len(data)); pad > 0 {
		c.consumedLocked(s, int(pad))
	}
	s.appendDataLocked(data)
	if endStream {
		s.remoteDone = true
	}
	wakeReader(s)
	return nil
}

// onWindowUpdate grows a send window.
func (c *Conn) onWindowUpdate(id uint32, inc int64) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if id == 0 {
		if c.sendConn+inc > maxWindow {
			return connErr(http2.ErrCodeFlowControl, "connection window above 2^31-1")
		}
		c.sendConn += inc
		c.sendGrewLocked()
		return nil
	}
	if id > c.maxSeen || id%2 == 0 {
		return connErr(http2.ErrCodeProtocol, "WINDOW_UPDATE on an idle stream")
	}
	s := c.streams.get(id)
	if s == nil || s.reset != nil {
		return nil
	}
	if s.sendWindow+inc > maxWindow {
		defer c.signal()
		return c.streamErrorLocked(id, http2.ErrCodeFlowControl)
	}
	s.sendWindow += inc
	c.sendGrewLocked()
	return nil
}

// onRSTStream closes a stream the peer reset and cancels its context.
func (c *Conn) onRSTStream(id uint32, code http2.ErrCode) error {
	c.mu.Lock()
	if id > c.maxSeen || id%2 == 0 {
		c.mu.Unlock()
		return connErr(http2.ErrCodeProtocol, "RST_STREAM on an idle stream")
	}
	s := c.streams.get(id)
	if s != nil && s.reset == nil {
		s.reset = &ResetError{Code: code, Remote: true}
		wakeReader(s)
		c.sendGrewLocked()
	}
	c.mu.Unlock()
	if s != nil {
		s.cancel()
	}
	return nil
}

// onGoAway notes that the peer opens no more streams; the connection
// closes when the streams in flight have finished.
func (c *Conn) onGoAway(code http2.ErrCode, debug []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.peerGone = true
	c.checkDrainedLocked()
	if c.streams.len() == 0 {
		return &ConnError{Code: code, Reason: "GOAWAY: " + string(debug), Remote: true}
	}
	return nil
}

// streamError answers a stream error with RST_STREAM.
func (c *Conn) streamError(id uint32, code http2.ErrCode) {
	c.mu.Lock()
	if id%2 == 1 && id > c.maxSeen {
		c.maxSeen = id // a malformed HEADERS still uses up its id
	}
	c.streamErrorLocked(id, code)
	c.mu.Unlock()
	c.signal()
}

// streamErrorLocked sends RST_STREAM(code) for id and closes its stream.
// It returns nil: a stream error does not end the connection.
func (c *Conn) streamErrorLocked(id uint32, code http2.ErrCode) error {
	if s := c.streams.get(id); s != nil {
		if s.reset == nil {
			s.reset = &ResetError{Code: code}
			c.pending = appendRSTStream(c.pendingLocked(controlRoom), id, code)
			wakeReader(s)
			c.sendGrewLocked()
			s.cancel()
		}
		return nil
	}
	if !c.closed && id != 0 {
		c.pending = appendRSTStream(c.pendingLocked(controlRoom), id, code)
	}
	return nil
}
