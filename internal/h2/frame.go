package h2

import (
	"encoding/binary"
	"io"
	"time"

	"golang.org/x/net/http2"

	"github.com/ospreyrpc/osprey/internal/bufpool"
)

// The read loop parses the frames every request is made of, HEADERS,
// CONTINUATION and DATA, itself (RFC 9113 §6.1, §6.2, §6.10), as x/net's
// Framer would but without allocating a frame per call: the payload is
// read into a pooled buffer returned once the frame is handled, so an
// idle connection holds no frame buffer. Other frames go to the Framer,
// which reads from the same buffered reader.

// isHot reports whether the read loop parses frames of type t itself.
func isHot(t http2.FrameType) bool {
	return t == http2.FrameData || t == http2.FrameHeaders || t == http2.FrameContinuation
}

// readHotFrame reads and handles a HEADERS, CONTINUATION or DATA frame
// whose header hdr the reader holds. A connection error is returned; a
// stream error is answered with RST_STREAM.
func (c *Conn) readHotFrame(hdr []byte) error {
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
	case id == 0:
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
