package h2

import (
	"encoding/binary"
	"errors"
	"io"
	"time"

	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"
)

// The client reads frames itself rather than through http2.Framer, which
// allocates a frame value and a header field slice per HEADERS: a frame's
// payload is a view of the read buffer (Peek), DATA is copied once into its
// stream's buffer, and header blocks are decoded by one HPACK decoder per
// connection into a reused slice (docs/spec/grpc.md §15.3). Headers are
// parsed and checked as the server's are (frame.go).

// maxBufferedFrame is the largest payload read through the bufio buffer;
// larger ones (a MaxFrameSize above it) go through c.big.
const maxBufferedFrame = 64 << 10

// headerState collects one header block's fields as the decoder emits
// them, measuring the list as RFC 9113 §6.5.2 does.
type headerState struct {
	max    uint32
	size   uint32
	tooBig bool
	fields []hpack.HeaderField

	id        uint32 // stream of the block in progress, 0 if none
	endStream bool
	fragBytes int
}

func (h *headerState) emit(f hpack.HeaderField) {
	h.size += f.Size()
	if h.size > h.max || h.tooBig {
		h.tooBig = true
		return
	}
	h.fields = append(h.fields, f)
}

// readLoop reads frames until the connection fails.
func (c *ClientConn) readLoop() {
	defer close(c.readEnd)
	err := c.readFrames()
	var ce *ConnError
	if errors.As(err, &ce) && !ce.Remote {
		c.goAwayErr(ce)
		return
	}
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	c.fail(err)
}

func (c *ClientConn) readFrames() error {
	var hdr [frameHeaderLen]byte
	for {
		if _, err := io.ReadFull(c.br, hdr[:]); err != nil {
			return err
		}
		n, typ, flags, id, err := parseFrameHeader(hdr[:], c.cfg.MaxFrameSize)
		if err != nil {
			return err
		}
		var p []byte
		if n <= maxBufferedFrame {
			p, err = c.br.Peek(n)
		} else {
			if cap(c.big) < n {
				c.big = make([]byte, n)
			}
			p = c.big[:n]
			_, err = io.ReadFull(c.br, p)
		}
		if err != nil {
			return err
		}
		c.lastRead.Store(time.Now().UnixNano())
		if c.hstate.id != 0 && typ != http2.FrameContinuation {
			return connErr(http2.ErrCodeProtocol, "header block interrupted")
		}
		if err := c.onFrame(typ, flags, id, p); err != nil {
			return err
		}
		if n <= maxBufferedFrame {
			c.br.Discard(n)
		}
	}
}

// onFrame handles one frame; p is valid only during the call.
func (c *ClientConn) onFrame(typ http2.FrameType, flags http2.Flags, id uint32, p []byte) error {
	if err := checkControlFrame(typ, id, len(p)); err != nil {
		return err
	}
	switch typ {
	case http2.FrameData:
		return c.onData(flags, id, p)
	case http2.FrameHeaders:
		return c.onHeaders(flags, id, p)
	case http2.FrameContinuation:
		if c.hstate.id == 0 || id != c.hstate.id {
			return connErr(http2.ErrCodeProtocol, "unexpected CONTINUATION")
		}
		return c.headerFragment(flags, p)
	case http2.FrameRSTStream:
		return c.onRSTStream(id, http2.ErrCode(binary.BigEndian.Uint32(p)))
	case http2.FrameSettings:
		return c.onSettings(flags, id, p)
	case http2.FramePing:
		if !flags.Has(http2.FlagPingAck) {
			c.mu.Lock()
			if !c.closed {
				c.pending = appendPing(c.pending, true, [8]byte(p))
				c.signalLocked()
			}
			c.mu.Unlock()
		}
		return nil
	case http2.FrameGoAway:
		return c.onGoAway(binary.BigEndian.Uint32(p)&(1<<31-1), http2.ErrCode(binary.BigEndian.Uint32(p[4:])), p[8:])
	case http2.FrameWindowUpdate:
		return c.onWindowUpdate(id, binary.BigEndian.Uint32(p)&(1<<31-1))
	case http2.FramePushPromise:
		return connErr(http2.ErrCodeProtocol, "PUSH_PROMISE with push disabled")
	}
	return nil // PRIORITY and unknown frame types are ignored
}

// idleLocked reports whether id names a stream the client never opened.
func (c *ClientConn) idleLocked(id uint32) bool {
	return id%2 == 0 || id >= c.nextID
}

// onData buffers a DATA payload for its stream's reader.
func (c *ClientConn) onData(flags http2.Flags, id uint32, p []byte) error {
	if id == 0 {
		return connErr(http2.ErrCodeProtocol, "DATA on stream 0")
	}
	data, err := unpad(flags, p)
	if err != nil {
		return err
	}
	n := int64(len(p))
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.idleLocked(id) {
		return connErr(http2.ErrCodeProtocol, "DATA on an idle stream")
	}
	if n > c.recvConn {
		return connErr(http2.ErrCodeFlowControl, "DATA beyond the connection window")
	}
	c.recvConn -= n
	s := c.streams[id]
	switch {
	case s == nil:
		c.connConsumedLocked(n) // a stream we reset or finished
		return nil
	case s.remoteDone:
		c.connConsumedLocked(n)
		c.streamErrorLocked(s, http2.ErrCodeStreamClosed)
		return nil
	case !s.gotHeader:
		c.connConsumedLocked(n)
		c.streamErrorLocked(s, http2.ErrCodeProtocol)
		return nil
	case n > s.recvWindow:
		c.connConsumedLocked(n)
		c.streamErrorLocked(s, http2.ErrCodeFlowControl)
		return nil
	}
	s.recvWindow -= n
	if pad := n - int64(len(data)); pad > 0 {
		c.consumedLocked(s, int(pad))
	}
	if s.off == len(s.buf) {
		s.buf, s.off = s.buf[:0], 0
	}
	s.buf = append(s.buf, data...)
	if flags.Has(http2.FlagDataEndStream) {
		c.remoteDoneLocked(s)
	}
	wakeClient(s)
	return nil
}

// onHeaders starts a header block.
func (c *ClientConn) onHeaders(flags http2.Flags, id uint32, p []byte) error {
	if id == 0 {
		return connErr(http2.ErrCodeProtocol, "HEADERS on stream 0")
	}
	frag, err := unpad(flags, p)
	if err != nil {
		return err
	}
	if flags.Has(http2.FlagHeadersPriority) {
		if len(frag) < 5 {
			return connErr(http2.ErrCodeFrameSize, "HEADERS priority fields")
		}
		frag = frag[5:]
	}
	h := &c.hstate
	h.id, h.endStream, h.fragBytes = id, flags.Has(http2.FlagHeadersEndStream), 0
	h.size, h.tooBig, h.fields = 0, false, h.fields[:0]
	return c.headerFragment(flags, frag)
}

// headerFragment decodes one fragment of the header block in progress,
// and delivers the block at its end.
func (c *ClientConn) headerFragment(flags http2.Flags, frag []byte) error {
	h := &c.hstate
	h.fragBytes += len(frag)
	if h.fragBytes > 2*int(h.max)+int(c.cfg.MaxFrameSize) {
		// A CONTINUATION flood: the block is far past what the list
		// may hold, and decoding it all would cost without bound.
		return connErr(http2.ErrCodeProtocol, "header block too large")
	}
	if _, err := c.hdec.Write(frag); err != nil {
		return connErr(http2.ErrCodeCompression, "hpack: "+err.Error())
	}
	if !flags.Has(http2.FlagHeadersEndHeaders) {
		return nil
	}
	if err := c.hdec.Close(); err != nil {
		return connErr(http2.ErrCodeCompression, "hpack: "+err.Error())
	}
	id := h.id
	h.id = 0
	return c.onHeaderBlock(id)
}

// onHeaderBlock hands a complete header block to its stream: the
// response headers, the trailers, or a trailers-only response.
func (c *ClientConn) onHeaderBlock(id uint32) error {
	h := &c.hstate
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.idleLocked(id) {
		return connErr(http2.ErrCodeProtocol, "HEADERS on an idle stream")
	}
	s := c.streams[id]
	if s == nil {
		return nil // a stream we reset or finished
	}
	if s.remoteDone {
		c.streamErrorLocked(s, http2.ErrCodeStreamClosed)
		return nil
	}
	if h.tooBig {
		c.streamErrorLocked(s, http2.ErrCodeProtocol)
		s.reset = errResponseHeaderTooLarge
		return nil
	}
	if !s.gotHeader {
		if st := status(h.fields); len(st) == 3 && st[0] == '1' {
			if h.endStream {
				c.streamErrorLocked(s, http2.ErrCodeProtocol)
			}
			return nil // 1xx informational: the real headers follow
		}
		s.hdrs = append(s.hdrs[:0], h.fields...)
		s.header = s.hdrs[:len(s.hdrs):len(s.hdrs)]
		s.gotHeader = true
		if h.endStream {
			s.trailer = s.header
			s.trailersOnly = true
			c.remoteDoneLocked(s)
		}
		wakeClient(s)
		return nil
	}
	if !h.endStream {
		c.streamErrorLocked(s, http2.ErrCodeProtocol)
		return nil
	}
	n := len(s.hdrs)
	s.hdrs = append(s.hdrs, h.fields...)
	s.trailer = s.hdrs[n:]
	c.remoteDoneLocked(s)
	wakeClient(s)
	return nil
}

// status returns the ":status" value of fields.
func status(fields []hpack.HeaderField) string {
	for i := range fields {
		if fields[i].Name == ":status" {
			return fields[i].Value
		}
	}
	return ""
}

// remoteDoneLocked notes the server's END_STREAM on s.
func (c *ClientConn) remoteDoneLocked(s *ClientStream) {
	s.remoteDone = true
	if s.localDone && c.removeLocked(s) {
		go c.closeGracefully()
	}
}

// onRSTStream closes a stream the server reset.
func (c *ClientConn) onRSTStream(id uint32, code http2.ErrCode) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.idleLocked(id) {
		return connErr(http2.ErrCodeProtocol, "RST_STREAM on an idle stream")
	}
	s := c.streams[id]
	if s == nil {
		return nil
	}
	switch {
	case s.remoteDone && code == http2.ErrCodeNo:
		// The response is complete; the server wants no more of the
		// request (RFC 9113 §8.1).
	case code == http2.ErrCodeRefusedStream:
		s.reset = &RefusedError{Reason: "RST_STREAM(REFUSED_STREAM)"}
	default:
		s.reset = &ResetError{Code: code, Remote: true}
	}
	s.localDone = true
	if c.removeLocked(s) {
		go c.closeGracefully()
	}
	wakeClient(s)
	c.sendGrewLocked()
	return nil
}

// onSettings applies the server's settings and acknowledges them.
func (c *ClientConn) onSettings(flags http2.Flags, id uint32, p []byte) error {
	if id != 0 {
		return connErr(http2.ErrCodeProtocol, "SETTINGS on a stream")
	}
	if flags.Has(http2.FlagSettingsAck) {
		if len(p) != 0 {
			return connErr(http2.ErrCodeFrameSize, "SETTINGS ack with a payload")
		}
		return nil
	}
	if len(p)%6 != 0 {
		return connErr(http2.ErrCodeFrameSize, "SETTINGS length")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.applySettingsLocked(p, c); err != nil {
		return err
	}
	if !c.waitSpaceLocked(c.signalLocked) {
		return ErrClosed
	}
	c.pending = appendSettingsAck(c.pending)
	c.signalLocked()
	return nil
}

// onGoAway stops new streams; streams above last fail as not processed,
// and the connection closes when the ones below have finished.
func (c *ClientConn) onGoAway(last uint32, code http2.ErrCode, debug []byte) error {
	c.mu.Lock()
	c.goAway = true
	c.gone.Store(true)
	c.goAwayID = last
	for id, s := range c.streams {
		if id > last {
			s.reset = &RefusedError{Reason: "above the server's GOAWAY last stream id"}
			s.localDone = true
			c.removeLocked(s)
			wakeClient(s)
		}
	}
	idle := len(c.streams) == 0
	c.sendGrewLocked()
	c.mu.Unlock()
	if idle {
		return &ConnError{Code: code, Reason: "GOAWAY: " + string(debug), Remote: true}
	}
	return nil
}

// onWindowUpdate grows a send window.
func (c *ClientConn) onWindowUpdate(id, inc uint32) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if id == 0 {
		if inc == 0 {
			return connErr(http2.ErrCodeProtocol, "WINDOW_UPDATE of 0")
		}
		if c.sendConn+int64(inc) > maxWindow {
			return connErr(http2.ErrCodeFlowControl, "connection window above 2^31-1")
		}
		c.sendConn += int64(inc)
		c.sendGrewLocked()
		return nil
	}
	if c.idleLocked(id) {
		return connErr(http2.ErrCodeProtocol, "WINDOW_UPDATE on an idle stream")
	}
	s := c.streams[id]
	if s == nil {
		return nil
	}
	switch {
	case inc == 0:
		c.streamErrorLocked(s, http2.ErrCodeProtocol)
	case s.sendWindow+int64(inc) > maxWindow:
		c.streamErrorLocked(s, http2.ErrCodeFlowControl)
	default:
		s.sendWindow += int64(inc)
		c.sendGrewLocked()
	}
	return nil
}

// streamErrorLocked resets s with code after a stream error of the
// server's, and fails it.
func (c *ClientConn) streamErrorLocked(s *ClientStream, code http2.ErrCode) {
	c.resetLocked(s, code)
	s.reset = &ResetError{Code: code}
}

// keepalive sends a PING when no frame has been read for KeepaliveTime,
// and closes the connection when none follows within KeepaliveTimeout.
func (c *ClientConn) keepalive() {
	t := time.NewTimer(c.cfg.KeepaliveTime)
	defer t.Stop()
	var pingAt int64
	for {
		select {
		case <-c.done:
			return
		case <-t.C:
		}
		fail, ping, wait := keepaliveStep(time.Now().UnixNano(), c.lastRead.Load(), &pingAt, c.cfg.KeepaliveTime, c.cfg.KeepaliveTimeout)
		if fail {
			c.fail(errKeepaliveTimeout())
			return
		}
		if ping {
			c.mu.Lock()
			if !c.closed {
				c.pending = appendPing(c.pending, false, keepalivePing)
				c.signalLocked()
			}
			c.mu.Unlock()
		}
		t.Reset(wait)
	}
}
