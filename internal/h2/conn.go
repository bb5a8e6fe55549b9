package h2

import (
	"context"
	"errors"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/net/http2"
)

// Handler serves the streams of a connection.
type Handler interface {
	// ServeStream serves one stream, on a goroutine of its own. When it
	// returns, a stream it has not ended is ended: with an empty DATA
	// frame with END_STREAM if it sent headers, with
	// RST_STREAM(INTERNAL_ERROR) if not. The Stream must not be used after.
	ServeStream(st *Stream)
}

// HandlerFunc is a Handler as a function.
type HandlerFunc func(st *Stream)

// ServeStream calls f(st).
func (f HandlerFunc) ServeStream(st *Stream) { f(st) }

// StreamAllocator is a Handler that keeps state of its own with each
// stream in the stream's allocation: NewStream returns a new value holding
// a zero Stream, and a pointer to that Stream; the stream's Owner method
// returns the value. Like the Stream, the value is not reused.
type StreamAllocator interface {
	Handler
	NewStream() (owner any, st *Stream)
}

// Conn is the server side of one HTTP/2 connection.
type Conn struct {
	nc     net.Conn
	cfg    Config
	h      Handler
	sa     StreamAllocator // h, if it is one
	r      *connReader     // starts with the client preface
	hb     *headerBlock    // owned by the read loop
	hbOpen bool            // a header block awaits CONTINUATION; the read loop's

	lastRead atomic.Int64 // UnixNano of the last frame read
	ka       *time.Timer  // runs keepalive
	pingAt   int64        // UnixNano of the outstanding keepalive PING, 0 if none; keepalive's
	handlers sync.WaitGroup
	wake     chan struct{} // signals a running flusher
	flushing atomic.Bool   // a flusher is running (write.go)
	flushFn  func()        // c.flush, made once: go c.flush() would allocate each time
	awaitFn  func()        // c.await, made once for the same reason
	startFn  func()        // c.startHandler, likewise
	done     func(error)   // Start's
	linger   *time.Timer   // the running flusher's; made by the first
	lingerFn func()        // c.endLinger, the linger timer's
	lingered atomic.Bool   // the linger timer fired (write.go)

	sendQueue                 // mu, and the frames queued under it (write.go)
	flushDone   bool          // the last flusher has closed the socket
	flushed     chan struct{} // closed once flushDone; made by end if it must wait
	err         error         // why it closed
	pendingP    *[]byte       // pending's pool holder; nil while pending is nil
	henc        encoder
	hblock      []byte // header block scratch
	streams     streamSet
	toStart     *Stream         // streams whose handler goroutines have yet to take them, linked by nextStart
	freeReady   []chan struct{} // readers' channels of ended streams, for reuse
	freeArr     [4]chan struct{}
	maxSeen     uint32 // highest stream id the peer opened
	goingAway   bool   // GOAWAY sent: streams above lastID are refused
	lastID      uint32
	drained     chan struct{} // made by GracefulClose; closed once drainedShut
	drainedShut bool          // the connection has closed, or is going away with no streams left
	peerGone    bool          // the peer sent GOAWAY

	connFlow // flow control (flow.go)

	// ping enforcement (ping.go)
	lastPing     time.Time
	pingStrikes  int
	resetStrikes bool
}

// NewConn returns a server connection over nc. r, if not nil, is where
// the connection's bytes are read from, starting with the client preface:
// a reader holding bytes that protocol detection has already read,
// followed by nc. Reads go through a 4 KiB buffer from a pool, which the
// connection gives back while it waits for a frame (connreader.go). It returns an error if cfg is not valid.
func NewConn(nc net.Conn, r io.Reader, cfg Config, h Handler) (*Conn, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if r == nil {
		r = nc
	}
	c := &Conn{
		nc: nc, r: &connReader{r: r}, cfg: cfg, h: h,
		wake:     make(chan struct{}, 1),
		connFlow: newConnFlow(cfg.InitialConnWindowSize),
	}
	c.space.L = &c.mu
	c.flushFn = c.flush
	c.lingerFn = c.endLinger
	c.awaitFn = c.await
	c.startFn = c.startHandler
	c.sa, _ = h.(StreamAllocator)
	c.freeReady = c.freeArr[:0]
	c.hb = newHeaderBlock(cfg.MaxHeaderListSize)
	c.henc = newEncoder()
	return c, nil
}

// Serve runs the connection until it closes and every handler has
// returned. It returns nil when the peer closed cleanly or Close or
// GracefulClose closed it, a *ConnError after a connection error, or the
// I/O error that ended it.
func (c *Conn) Serve() error {
	done := make(chan error, 1)
	c.Start(func(err error) { done <- err })
	return <-done
}

// Start serves the connection as Serve does, but returns as soon as the
// connection first waits for bytes, and calls done, once, with what Serve
// would have returned. Until then it reads on the calling goroutine; from
// then on on goroutines of its own: each wait for bytes with nothing
// buffered starts a fresh one, so that a quiet connection holds a
// goroutine with the smallest stack rather than one grown by the frames it
// has handled (docs/spec/grpc.md §10.9).
func (c *Conn) Start(done func(error)) {
	c.done = done
	c.lastRead.Store(time.Now().UnixNano())
	c.ka = time.AfterFunc(time.Hour, c.keepalive)
	c.ka.Reset(c.cfg.KeepaliveTime) // after c.ka is set, which keepalive reads

	c.mu.Lock()
	settings := []http2.Setting{
		{ID: http2.SettingMaxConcurrentStreams, Val: c.cfg.MaxConcurrentStreams},
		{ID: http2.SettingInitialWindowSize, Val: c.cfg.InitialWindowSize},
		{ID: http2.SettingMaxFrameSize, Val: c.cfg.MaxFrameSize},
		{ID: http2.SettingMaxHeaderListSize, Val: c.cfg.MaxHeaderListSize},
	}
	c.pending = appendSettings(c.pendingLocked(9+6*len(settings)), settings...)
	if d := c.cfg.InitialConnWindowSize - defaultWindow; d > 0 {
		c.pending = appendWindowUpdate(c.pendingLocked(controlRoom), 0, d)
	}
	c.mu.Unlock()
	c.signal()
	c.run(c.handshake())
}

// run reads frames after err, unless err ended the connection, until
// nothing is buffered; then it starts c.await on a fresh goroutine and
// returns. When the connection has failed it ends it (end).
func (c *Conn) run(err error) {
	if err == nil {
		err = c.readFrames()
	}
	if err == errIdle {
		go c.awaitFn()
		return
	}
	c.end(err)
}

// await waits for the connection's next bytes and handles them. It is
// the whole of a fresh goroutine and calls nothing but the read before
// it waits, so the goroutine waits on the smallest stack.
func (c *Conn) await() { c.run(c.r.fill()) }

// end closes the connection for err, waits for the flusher to close the
// socket and for every handler to return, and calls done.
func (c *Conn) end(err error) {
	c.fail(err)
	c.mu.Lock()
	if !c.flushDone {
		c.flushed = make(chan struct{})
		flushed := c.flushed
		c.mu.Unlock()
		<-flushed
	} else {
		c.mu.Unlock()
	}
	c.ka.Stop()
	c.handlers.Wait()
	c.mu.Lock()
	err = c.err
	c.mu.Unlock()
	if errors.Is(err, ErrClosed) || errors.Is(err, io.EOF) {
		err = nil
	}
	c.done(err)
}

// Close closes the connection at once: stream contexts are canceled and
// the socket is closed. Serve returns once the handlers have returned.
func (c *Conn) Close() error {
	c.fail(ErrClosed)
	return c.nc.Close()
}

// GracefulClose sends GOAWAY naming the last stream the peer opened,
// refuses streams opened after it, waits for the streams in flight to
// finish or for ctx to be done, and then closes the connection. It returns
// ctx's error if the streams did not finish in time.
func (c *Conn) GracefulClose(ctx context.Context) error {
	c.mu.Lock()
	if !c.goingAway && !c.closed {
		c.goingAway = true
		c.lastID = c.maxSeen
		c.pending = appendGoAway(c.pendingLocked(controlRoom), c.lastID, http2.ErrCodeNo, nil)
	}
	if c.drained == nil {
		c.drained = make(chan struct{})
	}
	c.checkDrainedLocked()
	drained := c.drained
	c.mu.Unlock()
	c.signal()
	select {
	case <-drained:
	case <-ctx.Done():
		c.Close()
		return ctx.Err()
	}
	c.fail(ErrClosed) // the flusher writes what is queued, then closes
	return nil
}

// fail closes the connection for err, once: contexts are canceled,
// waiting writers are woken, and the flusher writes what is queued
// (a GOAWAY, say) and closes the socket.
func (c *Conn) fail(err error) {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return
	}
	c.closed = true
	if err == nil {
		err = ErrClosed
	}
	c.err = err
	c.space.Broadcast()
	for s := range c.streams.all {
		s.cancel()
	}
	c.checkDrainedLocked()
	c.mu.Unlock()
	c.signal()
}

// goAway sends GOAWAY for a connection error, closes the connection,
// and returns e.
func (c *Conn) goAway(e *ConnError) error {
	c.mu.Lock()
	if !c.closed {
		c.pending = appendGoAway(c.pendingLocked(17+len(e.Reason)), c.maxSeen, e.Code, []byte(e.Reason))
	}
	c.mu.Unlock()
	c.fail(e)
	return e
}

// checkDrainedLocked notes when the connection has closed, or is going
// away with no stream left, closing drained for GracefulClose.
func (c *Conn) checkDrainedLocked() {
	if !c.drainedShut && (c.closed || (c.goingAway || c.peerGone) && c.streams.len() == 0) {
		c.drainedShut = true
	}
	if c.drainedShut && c.drained != nil {
		select {
		case <-c.drained:
		default:
			close(c.drained)
		}
	}
}
