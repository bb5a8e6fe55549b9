package h2

import (
	"encoding/binary"
	"io"
	"time"

	"golang.org/x/net/http2"

	"github.com/ospreyrpc/osprey/internal/bufpool"
)

// The read loop parses frames itself (RFC 9113 §4.1, §6), as x/net's
// Framer would but without allocating a frame per call or holding a
// Framer per connection: the payload is read into a pooled buffer
// returned once the frame is handled, so an idle connection holds no
// frame buffer.

// readFrame reads and handles the frame whose header hdr the reader
// holds. A connection error is returned; a stream error is answered with
// RST_STREAM.
func (c *Conn) readFrame(hdr []byte) error {
	n := uint32(hdr[0])<<16 | uint32(hdr[1])<<8 | uint32(hdr[2])
	typ, flags := http2.FrameType(hdr[3]), http2.Flags(hdr[4])
	id := binary.BigEndian.Uint32(hdr[5:9]) & (1<<31 - 1)
	switch {
	case n > c.cfg.MaxFrameSize:
		return connErr(http2.ErrCodeFrameSize, "frame larger than SETTINGS_MAX_FRAME_SIZE")
	case c.hbOpen && (typ != http2.FrameContinuation || id != c.hb.id):
		return connErr(http2.ErrCodeProtocol, "expected CONTINUATION of stream's header block")
	case !c.hbOpen && typ == http2.FrameContinuation:
		return connErr(http2.ErrCodeProtocol, "unexpected CONTINUATION")
	case id == 0 && (typ == http2.FrameData || typ == http2.FrameHeaders):
		return connErr(http2.ErrCodeProtocol, typ.String()+" on stream 0")
	}
	c.r.Discard(frameHeaderLen)
	bp := bufpool.Get(int(n))
	defer bufpool.Put(bp)
	p := (*bp)[:n]
	if _, err := io.ReadFull(c.r, p); err != nil {
		return err
	}
	c.lastRead.Store(time.Now().UnixNano())
	switch typ {
	case http2.FrameData, http2.FrameHeaders, http2.FrameContinuation:
	default:
		return c.onControlFrame(typ, flags, id, p)
	}
	if typ != http2.FrameContinuation && flags.Has(http2.FlagDataPadded) { // PADDED is 0x8 on both
		if len(p) == 0 || int(p[0]) >= len(p) {
			return connErr(http2.ErrCodeProtocol, "padding longer than the frame")
		}
		p = p[1 : len(p)-int(p[0])]
	}
	switch typ {
	case http2.FrameData:
		return c.onData(id, int64(n), p, flags.Has(http2.FlagDataEndStream))
	case http2.FrameHeaders:
		if flags.Has(http2.FlagHeadersPriority) {
			if len(p) < 5 {
				return connErr(http2.ErrCodeFrameSize, "HEADERS priority fields cut short")
			}
			if binary.BigEndian.Uint32(p)&(1<<31-1) == id { // depends on itself (RFC 9113 §5.3.1)
				if id%2 == 0 {
					return connErr(http2.ErrCodeProtocol, "HEADERS on an even stream id")
				}
				c.streamError(id, http2.ErrCodeProtocol)
				return nil
			}
			p = p[5:]
		}
		c.hb.start(id, flags.Has(http2.FlagHeadersEndStream))
	}
	end := flags.Has(http2.FlagHeadersEndHeaders)
	c.hbOpen = !end
	return c.onHeaderFragment(p, end)
}

// onControlFrame handles a frame other than DATA, HEADERS and
// CONTINUATION, checking its stream and length as RFC 9113 §6 asks;
// p is valid only during the call.
func (c *Conn) onControlFrame(typ http2.FrameType, flags http2.Flags, id uint32, p []byte) error {
	switch typ {
	case http2.FrameSettings:
		switch {
		case flags.Has(http2.FlagSettingsAck) && len(p) > 0:
			return connErr(http2.ErrCodeFrameSize, "SETTINGS acknowledgement with a payload")
		case id != 0:
			return connErr(http2.ErrCodeProtocol, "SETTINGS on a stream")
		case len(p)%6 != 0:
			return connErr(http2.ErrCodeFrameSize, "SETTINGS length not a multiple of 6")
		case flags.Has(http2.FlagSettingsAck):
			return nil
		}
		return c.onSettings(p)
	case http2.FramePing:
		switch {
		case len(p) != 8:
			return connErr(http2.ErrCodeFrameSize, "PING length")
		case id != 0:
			return connErr(http2.ErrCodeProtocol, "PING on a stream")
		}
		return c.onPing(flags.Has(http2.FlagPingAck), [8]byte(p))
	case http2.FrameWindowUpdate:
		if len(p) != 4 {
			return connErr(http2.ErrCodeFrameSize, "WINDOW_UPDATE length")
		}
		inc := binary.BigEndian.Uint32(p) & (1<<31 - 1)
		switch {
		case inc > 0:
			return c.onWindowUpdate(id, int64(inc))
		case id == 0:
			return connErr(http2.ErrCodeProtocol, "WINDOW_UPDATE of 0 on the connection")
		case id%2 == 0:
			// A stream the client cannot open (RFC 9113 §5.1.1).
			return connErr(http2.ErrCodeProtocol, "WINDOW_UPDATE of 0 on an even stream id")
		}
		c.streamError(id, http2.ErrCodeProtocol)
		return nil
	case http2.FrameRSTStream:
		switch {
		case len(p) != 4:
			return connErr(http2.ErrCodeFrameSize, "RST_STREAM length")
		case id == 0:
			return connErr(http2.ErrCodeProtocol, "RST_STREAM on stream 0")
		}
		return c.onRSTStream(id, http2.ErrCode(binary.BigEndian.Uint32(p)))
	case http2.FrameGoAway:
		switch {
		case id != 0:
			return connErr(http2.ErrCodeProtocol, "GOAWAY on a stream")
		case len(p) < 8:
			return connErr(http2.ErrCodeFrameSize, "GOAWAY length")
		}
		return c.onGoAway(http2.ErrCode(binary.BigEndian.Uint32(p[4:])), p[8:])
	case http2.FramePriority:
		switch {
		case id == 0:
			return connErr(http2.ErrCodeProtocol, "PRIORITY on stream 0")
		case len(p) != 5:
			return connErr(http2.ErrCodeFrameSize, "PRIORITY length")
		}
		return nil // ignored
	case http2.FramePushPromise:
		return connErr(http2.ErrCodeProtocol, "PUSH_PROMISE from a client")
	}
	return nil // unknown frame types are ignored (RFC 9113 §4.1)
}
