package h2

import (
	"errors"
	"io"
	"sync"
	"time"

	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"
)

var errResponseHeaderTooLarge = errors.New("h2: response header list larger than MaxHeaderListSize")

// ClientStream is one request stream of a ClientConn (docs/spec/grpc.md
// §15.2). Its writes (Write, CloseSend) belong to one goroutine at a time,
// and so do its reads (Data, Consume); Reset and Release may be called
// from either.
type ClientStream struct {
	c     *ClientConn
	id    uint32
	ready chan struct{} // signals the reader: headers, data, end or reset

	// Under c.mu.
	hdrArr       [8]hpack.HeaderField
	hdrs         []hpack.HeaderField // storage of header and trailer
	header       []hpack.HeaderField
	trailer      []hpack.HeaderField
	gotHeader    bool
	trailersOnly bool
	buf          []byte // received, not yet consumed
	off          int
	streamFlow   // windows (flow.go)
	remoteDone   bool
	localDone    bool
	reset        error // why the stream failed: *ResetError, *RefusedError, the conn's error
}

var streamPool = sync.Pool{New: func() any {
	s := &ClientStream{ready: make(chan struct{}, 1)}
	s.hdrs = s.hdrArr[:0]
	return s
}}

// Request is what ClientConn.Open sends.
type Request struct {
	// Fields are the request's header fields, pseudo-header fields first,
	// encoded with the connection's HPACK encoder (indexed).
	Fields []hpack.HeaderField
	// Raw is appended to the header block as it is: literal fields the
	// caller encoded with AppendLiteral; RawSize is their RFC 9113 size.
	Raw     []byte
	RawSize uint32
	// Data is sent as DATA after the headers, in the same write when the
	// flow-control windows allow.
	Data []byte
	// End ends the request: END_STREAM on the last frame sent.
	End bool
	// Stop, if not nil, ends a wait for flow-control window when closed.
	Stop <-chan struct{}
}

// Open opens a stream and sends req. It returns ErrFull or ErrGoingAway
// (nothing sent) when the connection cannot take a stream now,
// ErrClosed when it is closed, and a *RefusedError if the header list is
// larger than the server accepts. Once the headers are queued, errors are
// those of Write, and the stream is returned with them; Release it.
func (c *ClientConn) Open(req *Request) (*ClientStream, error) {
	c.mu.Lock()
	switch {
	case c.closed:
		c.mu.Unlock()
		return nil, ErrClosed
	case c.goAway:
		c.mu.Unlock()
		return nil, ErrGoingAway
	case uint32(len(c.streams)) >= c.peerMax:
		c.mu.Unlock()
		return nil, ErrFull
	}
	if !c.waitSpaceLocked(c.signalLocked) {
		c.mu.Unlock()
		return nil, ErrClosed
	}
	s := streamPool.Get().(*ClientStream)
	s.c = c
	s.id = c.nextID
	if err := c.writeHeadersLocked(s.id, req.Fields, req.Raw, req.RawSize, req.End && len(req.Data) == 0); err != nil {
		c.mu.Unlock()
		s.release()
		return nil, &RefusedError{Reason: err.Error()}
	}
	c.nextID += 2
	if c.nextID > maxWindow { // stream ids used up
		c.goAway = true
		c.gone.Store(true)
	}
	s.recvWindow = int64(c.cfg.InitialWindowSize)
	s.sendWindow = c.peerWindow
	s.localDone = req.End && len(req.Data) == 0
	c.streams[s.id] = s
	c.active.Add(1)
	var err error
	if len(req.Data) > 0 {
		err = s.writeLocked(req.Data, req.End, req.Stop)
	}
	c.signalLocked()
	c.mu.Unlock()
	return s, err
}

// ID returns the stream's identifier.
func (s *ClientStream) ID() uint32 { return s.id }

// Ready is signalled when headers, data, the end or a reset arrive; after
// a signal, look with Header, Data or Err.
func (s *ClientStream) Ready() <-chan struct{} { return s.ready }

// Header returns the response header fields once they have arrived (ok),
// pseudo-header fields first. On a trailers-only response they are the
// trailers too. The slice stays valid until Release.
func (s *ClientStream) Header() (fields []hpack.HeaderField, ok bool, err error) {
	c := s.c
	c.mu.Lock()
	defer c.mu.Unlock()
	if s.gotHeader {
		return s.header, true, nil
	}
	return nil, false, s.reset
}

// Trailer returns the trailer fields, valid once Data has returned
// io.EOF and until Release.
func (s *ClientStream) Trailer() []hpack.HeaderField {
	c := s.c
	c.mu.Lock()
	defer c.mu.Unlock()
	return s.trailer
}

// TrailersOnly reports whether the response was a single HEADERS frame
// with END_STREAM.
func (s *ClientStream) TrailersOnly() bool {
	c := s.c
	c.mu.Lock()
	defer c.mu.Unlock()
	return s.trailersOnly
}

// Data returns the response bytes received and not yet consumed, without
// waiting: a view valid until the next Consume. With none buffered it
// returns io.EOF after the server's END_STREAM, the stream's error after
// a reset, or nil, nil: wait on Ready and look again.
func (s *ClientStream) Data() ([]byte, error) {
	c := s.c
	c.mu.Lock()
	defer c.mu.Unlock()
	if s.off < len(s.buf) {
		return s.buf[s.off:len(s.buf):len(s.buf)], nil
	}
	switch {
	case s.reset != nil:
		return nil, s.reset
	case s.remoteDone:
		return nil, io.EOF
	}
	return nil, nil
}

// Snapshot is a stream's state at one moment, taken under one lock.
type Snapshot struct {
	// Header is nil until the response headers have arrived.
	Header []hpack.HeaderField
	// Trailer is set once Ended.
	Trailer []hpack.HeaderField
	// Data is what Data would return.
	Data []byte
	// TrailersOnly: the response was one HEADERS frame with END_STREAM.
	TrailersOnly bool
	// Ended: the server ended the stream; Data is all there is.
	Ended bool
	// Err is why the stream failed, if it did.
	Err error
}

// Snapshot consumes n bytes (as Consume) and returns the stream's state:
// one lock where Header, Data, Trailer and Consume take one each. Views
// are valid as Data's and Header's are.
func (s *ClientStream) Snapshot(n int) Snapshot {
	c := s.c
	c.mu.Lock()
	defer c.mu.Unlock()
	if n > 0 {
		s.consumeLocked(n)
	}
	snap := Snapshot{TrailersOnly: s.trailersOnly, Ended: s.remoteDone, Err: s.reset}
	if s.gotHeader {
		snap.Header = s.header
	}
	if s.remoteDone {
		snap.Trailer = s.trailer
	}
	if s.off < len(s.buf) {
		snap.Data = s.buf[s.off:len(s.buf):len(s.buf)]
	}
	return snap
}

// Consume marks n bytes of what Data returned as read, returning them to
// the server's windows (WINDOW_UPDATE once a quarter of a window is due).
func (s *ClientStream) Consume(n int) {
	c := s.c
	c.mu.Lock()
	s.consumeLocked(n)
	c.mu.Unlock()
}

func (s *ClientStream) consumeLocked(n int) {
	c := s.c
	s.off += n
	if s.off >= len(s.buf) {
		s.buf, s.off = s.buf[:0], 0
	}
	if c.streams[s.id] == s {
		c.consumedLocked(s, n)
	}
}

// Write sends p as DATA frames within the server's windows, with
// END_STREAM on the last when end is set (an empty p with end sends an
// empty DATA frame with END_STREAM). It waits for WINDOW_UPDATE when the
// windows are shut, for at most WriteTimeout, and until stop is closed.
func (s *ClientStream) Write(p []byte, end bool, stop <-chan struct{}) error {
	c := s.c
	c.mu.Lock()
	err := s.writeLocked(p, end, stop)
	c.signalLocked()
	c.mu.Unlock()
	return err
}

// writeLocked is Write with c.mu held; it may release c.mu while it waits.
func (s *ClientStream) writeLocked(p []byte, end bool, stop <-chan struct{}) error {
	c := s.c
	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for {
		if err := s.writableLocked(); err != nil {
			return err
		}
		if len(p) == 0 && !end {
			return nil
		}
		n := min(int64(len(p)), s.sendWindow, c.sendConn, int64(c.peerFrame))
		if n <= 0 && len(p) > 0 {
			ready := c.sendReadyLocked()
			c.signalLocked()
			c.mu.Unlock()
			if timer == nil {
				timer = time.NewTimer(c.cfg.WriteTimeout)
			}
			var err error
			select {
			case <-ready:
			case <-stop:
				err = errStopped
			case <-timer.C:
				err = errWindowTimeout
			}
			c.mu.Lock()
			if err != nil {
				return err
			}
			continue
		}
		if !c.waitSpaceLocked(c.signalLocked) {
			return ErrClosed
		}
		if err := s.writableLocked(); err != nil {
			return err
		}
		n = min(n, s.sendWindow, c.sendConn)
		if n <= 0 && len(p) > 0 {
			continue
		}
		last := end && n == int64(len(p))
		c.pending = appendData(c.pending, s.id, last, p[:n])
		s.sendWindow -= n
		c.sendConn -= n
		p = p[n:]
		if last {
			s.localDone = true
			if s.remoteDone && c.removeLocked(s) {
				go c.closeGracefully()
			}
			return nil
		}
	}
}

var errStopped = errors.New("h2: write stopped")

// writableLocked returns why the stream cannot be written now, if so.
func (s *ClientStream) writableLocked() error { return writable(s.reset, s.c.closed, s.localDone) }

// CloseSend ends the request with an empty DATA frame with END_STREAM,
// unless it has ended.
func (s *ClientStream) CloseSend() error {
	c := s.c
	c.mu.Lock()
	defer c.mu.Unlock()
	if s.localDone || s.reset != nil {
		return nil
	}
	err := s.writeLocked(nil, true, nil)
	c.signalLocked()
	return err
}

// Err returns why the stream failed, or nil.
func (s *ClientStream) Err() error {
	c := s.c
	c.mu.Lock()
	defer c.mu.Unlock()
	return s.reset
}

// Reset ends the stream with RST_STREAM(code) unless it has closed; its
// reads and writes then fail with a *ResetError.
func (s *ClientStream) Reset(code http2.ErrCode) {
	c := s.c
	c.mu.Lock()
	c.resetLocked(s, code)
	c.mu.Unlock()
}

// resetLocked sends RST_STREAM for s unless it is closed already, and
// forgets it.
func (c *ClientConn) resetLocked(s *ClientStream, code http2.ErrCode) {
	if c.streams[s.id] != s {
		return
	}
	if s.reset == nil {
		s.reset = &ResetError{Code: code}
	}
	if !c.closed {
		c.pending = appendRSTStream(c.pending, s.id, code)
		c.signalLocked()
	}
	if c.removeLocked(s) {
		go c.closeGracefully()
	}
	c.sendGrewLocked()
	wakeClient(s)
}

// Release ends the caller's use of the stream: one still open is reset
// with RST_STREAM(CANCEL), and its memory may be reused for another
// stream. Nothing of the stream (fields, views) may be used after.
func (s *ClientStream) Release() {
	c := s.c
	c.mu.Lock()
	c.resetLocked(s, http2.ErrCodeCancel)
	c.mu.Unlock()
	s.release()
}

func (s *ClientStream) release() {
	clear(s.hdrArr[:])
	if cap(s.buf) > 64<<10 {
		s.buf = nil
	}
	*s = ClientStream{ready: s.ready, hdrs: s.hdrArr[:0], buf: s.buf[:0]}
	select {
	case <-s.ready:
	default:
	}
	streamPool.Put(s)
}

// wakeClient signals s's reader.
func wakeClient(s *ClientStream) {
	select {
	case s.ready <- struct{}{}:
	default:
	}
}
