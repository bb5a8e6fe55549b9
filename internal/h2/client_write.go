package h2

import (
	"runtime"
	"time"

	"golang.org/x/net/http2/hpack"
)

// The client's write path is the server's (write.go): frames are appended
// to c.pending under c.mu by the goroutines that make them, and one
// flusher goroutine writes all of pending with one Write after yielding
// once, so a unary call's HEADERS and DATA, and the frames of concurrent
// calls, share a syscall. The flusher is signalled once per batch.

// signal wakes the flusher.
func (c *ClientConn) signal() {
	c.mu.Lock()
	c.signalLocked()
	c.mu.Unlock()
}

// signalLocked wakes the flusher unless it was woken and has not run yet.
func (c *ClientConn) signalLocked() {
	if c.waking {
		return
	}
	c.waking = true
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// flush is the flusher goroutine. After the connection fails it writes
// what is queued (a GOAWAY, say) within WriteTimeout and closes the socket.
func (c *ClientConn) flush() {
	defer close(c.flushed)
	defer c.nc.Close()
	var buf []byte
	for {
		select {
		case <-c.wake:
		case <-c.done:
		}
		runtime.Gosched()
		c.mu.Lock()
		c.waking = false
		buf, c.pending = c.pending, buf[:0]
		closed := c.closed
		c.space.Broadcast()
		c.mu.Unlock()
		if len(buf) > 0 {
			c.nc.SetWriteDeadline(time.Now().Add(c.cfg.WriteTimeout))
			_, err := c.nc.Write(buf)
			if err != nil {
				c.fail(err)
				return
			}
		}
		if closed {
			return
		}
		if cap(buf) > 4*maxPending {
			buf = nil // let a burst's buffer go
		}
	}
}

// pendingBuf lets the HPACK encoder append to a slice.
type pendingBuf struct{ b *[]byte }

func (p pendingBuf) Write(b []byte) (int, error) { *p.b = append(*p.b, b...); return len(b), nil }

// writeHeadersLocked encodes fields, then appends raw (header block bytes
// the caller encoded, see AppendLiteral), and queues the block as HEADERS
// and, past the peer's frame size, CONTINUATION frames.
func (c *ClientConn) writeHeadersLocked(id uint32, fields []hpack.HeaderField, raw []byte, rawSize uint32, end bool) error {
	size := rawSize
	for i := range fields {
		size += fields[i].Size()
	}
	if size > c.peerHdrList {
		return errHeaderListTooLarge
	}
	*c.hbuf.b = (*c.hbuf.b)[:0]
	for i := range fields {
		c.henc.WriteField(fields[i])
	}
	*c.hbuf.b = append(*c.hbuf.b, raw...)
	c.pending = appendHeaderBlock(c.pending, id, *c.hbuf.b, int(c.peerFrame), end)
	if cap(*c.hbuf.b) > 1<<20 {
		*c.hbuf.b = nil
	}
	return nil
}

// AppendLiteral appends to dst the HPACK encoding of the header field
// name: value as a literal without indexing and with a literal name
// (RFC 7541 §6.2.2), for fields whose values change with every request
// (such as grpc-timeout) and would only churn the dynamic table. name
// must be lower case. It returns dst and the field's RFC 9113 size.
func AppendLiteral(dst []byte, name string, value []byte) ([]byte, uint32) {
	dst = append(dst, 0)
	dst = appendHpackInt(dst, 7, uint64(len(name)))
	dst = append(dst, name...)
	dst = appendHpackInt(dst, 7, uint64(len(value)))
	dst = append(dst, value...)
	return dst, uint32(len(name) + len(value) + 32)
}

// appendHpackInt appends v as an HPACK integer with an n-bit prefix into a
// new byte whose other bits are 0 (RFC 7541 §5.1).
func appendHpackInt(dst []byte, n uint, v uint64) []byte {
	k := uint64(1)<<n - 1
	if v < k {
		return append(dst, byte(v))
	}
	dst = append(dst, byte(k))
	v -= k
	for v >= 128 {
		dst = append(dst, byte(v&0x7f|0x80))
		v >>= 7
	}
	return append(dst, byte(v))
}
