package h2

import (
	"runtime"
	"sync"
	"time"

	"github.com/ospreyrpc/osprey/internal/bufpool"

	"golang.org/x/net/http2/hpack"
)

// Frames are appended to c.pending under c.mu by whoever makes them; a
// flusher goroutine takes the whole of pending and writes it with one
// Write. Before each write it yields once, so that goroutines already
// runnable (a handler writing its headers, data and trailers; other
// streams) queue their frames into the same write. The flusher runs only
// while the connection writes: signal starts one if none runs, and it
// returns once nothing has been queued for flusherLinger, so an idle
// connection keeps no goroutine but its reader, while a busy one (a
// stream's ping-pong) keeps its flusher and its grown stack.

// flusherLinger is how long a flusher waits for more frames before it
// returns.
const flusherLinger = 2 * time.Millisecond

// signal wakes the flusher, starting one if none runs. It may be called
// with c.mu held.
func (c *Conn) signal() {
	if c.flushing.CompareAndSwap(false, true) {
		go c.flushFn()
		return
	}
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// flush is a flusher goroutine: it writes what is queued, then waits for
// more, returning after flusherLinger without any. After the connection
// fails it writes what is queued (a GOAWAY, say) within WriteTimeout,
// closes the socket, sets c.flushDone (closing c.flushed, if end made
// it), and leaves c.flushing set, so no
// flusher starts after it.
func (c *Conn) flush() {
	if c.linger == nil {
		c.linger = time.AfterFunc(flusherLinger, c.lingerFn)
	} else {
		c.linger.Reset(flusherLinger)
	}
	var buf []byte
	var bufP *[]byte // buf's pool holder
	for {
		runtime.Gosched()
		c.mu.Lock()
		buf, c.pending = c.pending, buf[:0]
		bufP, c.pendingP = c.pendingP, bufP
		closed := c.closed
		c.space.Broadcast()
		c.mu.Unlock()
		if len(buf) > 0 {
			c.nc.SetWriteDeadline(time.Now().Add(c.cfg.WriteTimeout))
			_, err := c.nc.Write(buf)
			if err != nil {
				c.fail(err)
				closed = true
			}
		}
		if closed {
			c.linger.Stop()
			c.nc.Close()
			c.mu.Lock()
			c.flushDone = true
			if c.flushed != nil {
				close(c.flushed)
			}
			c.mu.Unlock()
			return
		}
		if cap(buf) > 4*maxPending {
			buf, bufP = nil, nil // let a burst's buffer go
		}
		// Nothing queued meanwhile: the connection holds no write buffer
		// until it writes again.
		c.mu.Lock()
		if len(c.pending) == 0 {
			releasePending(&c.pending, &c.pendingP)
			releasePending(&buf, &bufP)
		}
		c.mu.Unlock()
		if c.wait() {
			return
		}
	}
}

// wait waits for the flusher's next signal and reports whether the
// flusher should return instead: nothing was queued for flusherLinger.
// The linger timer wakes it like a signal, having set c.lingered; a
// timer with a channel would cost an idle connection its channel too.
func (c *Conn) wait() (done bool) {
	<-c.wake
	if c.lingered.Swap(false) {
		c.mu.Lock()
		if len(c.pending) == 0 && !c.closed {
			c.flushing.Store(false) // under c.mu: a frame queued from now starts a flusher
			c.mu.Unlock()
			return true
		}
		c.mu.Unlock()
	}
	c.linger.Reset(flusherLinger)
	return false
}

// endLinger is the flusher's linger timer's function: it wakes the flusher
// to see whether anything was queued. A wake-up left over by a timer that
// fired late only makes a flusher look once more.
func (c *Conn) endLinger() {
	c.lingered.Store(true)
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// pendingLocked returns c.pending with room for n more bytes, for frames
// to be appended to it: a buffer from the pool if it has none, and one
// twice as large, from the pool too, if it has not the room (a buffer
// append grew would not go back to the pool, whose sizes are powers of
// two, and the next burst would allocate again).
func (c *Conn) pendingLocked(n int) []byte {
	switch {
	case c.pendingP == nil:
		c.pendingP = bufpool.Get(max(4<<10, n))
		c.pending = *c.pendingP
	case cap(c.pending)-len(c.pending) < n:
		p := bufpool.Get(len(c.pending) + n)
		*p = append(*p, c.pending...)
		releasePending(&c.pending, &c.pendingP)
		c.pendingP, c.pending = p, *p
	}
	return c.pending
}

// controlRoom is room enough for a control frame but GOAWAY's.
const controlRoom = 32

// releasePending returns an empty pending buffer to the pool.
func releasePending(b *[]byte, p **[]byte) {
	if *p != nil {
		**p = (*b)[:0] // the buffer it has grown to, if it has
		bufpool.Put(*p)
	}
	*b, *p = nil, nil
}

// sendQueue is a connection's lock and the frames queued under it for
// its flusher to write, the same on both sides: Conn and ClientConn
// embed it.
type sendQueue struct {
	mu      sync.Mutex
	space   sync.Cond // pending has room, or the conn closed
	closed  bool
	pending []byte
}

// waitSpaceLocked waits, with mu held, until pending has room. It calls
// wake, if not nil, before each wait, for a flusher that may not have
// been told of the frames queued so far. It returns false if the
// connection closed.
func (q *sendQueue) waitSpaceLocked(wake func()) bool {
	for len(q.pending) > maxPending && !q.closed {
		if wake != nil {
			wake()
		}
		q.space.Wait()
	}
	return !q.closed
}

// writeHeadersLocked encodes fields and queues them as HEADERS and, past
// the peer's frame size, CONTINUATION frames.
func (c *Conn) writeHeadersLocked(id uint32, fields []hpack.HeaderField, end bool) error {
	var size uint32
	for _, f := range fields {
		size += f.Size()
	}
	if size > c.peerHdrList {
		return errHeaderListTooLarge
	}
	b := c.henc.begin(c.hblock[:0])
	for _, f := range fields {
		b = c.henc.appendField(b, f)
	}
	c.pending = appendHeaderBlock(c.pendingLocked(len(b)+frameHeaderLen*(1+len(b)/int(c.peerFrame))), id, b, int(c.peerFrame), end)
	if cap(b) > 1<<20 {
		b = nil
	}
	c.hblock = b
	c.resetStrikes = true
	return nil
}

// writeDataLocked queues a DATA frame (RFC 9113 §6.1).
func (c *Conn) writeDataLocked(id uint32, end bool, p []byte) {
	c.pending = appendData(c.pendingLocked(frameHeaderLen+len(p)), id, end, p)
}
