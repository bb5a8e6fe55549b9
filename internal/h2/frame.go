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
// frame buffer. The client's reader (client_read.go) parses and checks
// frames with the same functions.

const frameHeaderLen = 9

// parseFrameHeader returns the fields of the 9-byte frame header hdr
// (RFC 9113 §4.1), or a connection error if the payload is longer than
// maxSize, the receiver's SETTINGS_MAX_FRAME_SIZE.
func parseFrameHeader(hdr []byte, maxSize uint32) (n int, typ http2.FrameType, flags http2.Flags, id uint32, err error) {
	n = int(hdr[0])<<16 | int(hdr[1])<<8 | int(hdr[2])
	typ, flags = http2.FrameType(hdr[3]), http2.Flags(hdr[4])
	id = binary.BigEndian.Uint32(hdr[5:9]) & (1<<31 - 1)
	if n > int(maxSize) {
		err = connErr(http2.ErrCodeFrameSize, "frame larger than SETTINGS_MAX_FRAME_SIZE")
	}
	return n, typ, flags, id, err
}

// unpad strips the padding of a DATA or HEADERS payload (PADDED is 0x8
// on both).
func unpad(flags http2.Flags, p []byte) ([]byte, error) {
	if !flags.Has(http2.FlagDataPadded) {
		return p, nil
	}
	if len(p) == 0 || int(p[0]) >= len(p) {
		return nil, connErr(http2.ErrCodeProtocol, "padding longer than the frame")
	}
	return p[1 : len(p)-int(p[0])], nil
}

// checkControlFrame returns the connection error of a PING, RST_STREAM,
// GOAWAY or WINDOW_UPDATE frame whose payload length n or stream id is
// not what RFC 9113 §6 allows; nil otherwise, and for other types.
func checkControlFrame(typ http2.FrameType, id uint32, n int) error {
	switch typ {
	case http2.FramePing:
		switch {
		case n != 8:
			return connErr(http2.ErrCodeFrameSize, "PING length")
		case id != 0:
			return connErr(http2.ErrCodeProtocol, "PING on a stream")
		}
	case http2.FrameRSTStream:
		switch {
		case n != 4:
			return connErr(http2.ErrCodeFrameSize, "RST_STREAM length")
		case id == 0:
			return connErr(http2.ErrCodeProtocol, "RST_STREAM on stream 0")
		}
	case http2.FrameGoAway:
		switch {
		case id != 0:
			return connErr(http2.ErrCodeProtocol, "GOAWAY on a stream")
		case n < 8:
			return connErr(http2.ErrCodeFrameSize, "GOAWAY length")
		}
	case http2.FrameWindowUpdate:
		if n != 4 {
			return connErr(http2.ErrCodeFrameSize, "WINDOW_UPDATE length")
		}
	}
	return nil
}

// readFrame reads and handles the frame whose header hdr the reader
// holds. A connection error is returned; a stream error is answered with
// RST_STREAM.
func (c *Conn) readFrame(hdr []byte) error {
	n, typ, flags, id, err := parseFrameHeader(hdr, c.cfg.MaxFrameSize)
	switch {
	case err != nil:
		return err
	case c.hbOpen && (typ != http2.FrameContinuation || id != c.hb.id):
		return connErr(http2.ErrCodeProtocol, "expected CONTINUATION of stream's header block")
	case !c.hbOpen && typ == http2.FrameContinuation:
		return connErr(http2.ErrCodeProtocol, "unexpected CONTINUATION")
	case id == 0 && (typ == http2.FrameData || typ == http2.FrameHeaders):
		return connErr(http2.ErrCodeProtocol, typ.String()+" on stream 0")
	}
	c.r.Discard(frameHeaderLen)
	bp := bufpool.Get(n)
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
	if typ != http2.FrameContinuation {
		if p, err = unpad(flags, p); err != nil {
			return err
		}
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
	if err := checkControlFrame(typ, id, len(p)); err != nil {
		return err
	}
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
		return c.onPing(flags.Has(http2.FlagPingAck), [8]byte(p))
	case http2.FrameWindowUpdate:
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
		return c.onRSTStream(id, http2.ErrCode(binary.BigEndian.Uint32(p)))
	case http2.FrameGoAway:
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
