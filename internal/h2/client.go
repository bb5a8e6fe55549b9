package h2

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"sync/atomic"
	"time"

	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"
)

// Defaults of ClientConfig (docs/spec/grpc.md §15).
const (
	DefaultClientWindowSize     = 1 << 20
	DefaultClientConnWindowSize = 4 << 20
	DefaultPeerMaxStreams       = 100 // assumed until the server's SETTINGS say
)

// ClientConfig holds a client connection's limits. Build it from
// DefaultClientConfig; a zero field is invalid unless its doc says so.
type ClientConfig struct {
	// InitialWindowSize is each stream's receive window. At least 65535.
	// Default 1 MiB.
	InitialWindowSize uint32
	// InitialConnWindowSize is the connection's receive window: the most
	// it buffers for all its streams together. At least 65535. Default 4 MiB.
	InitialConnWindowSize uint32
	// MaxFrameSize is the largest frame payload the server may send,
	// 16 KiB to 16 MiB-1. Default 16 KiB.
	MaxFrameSize uint32
	// MaxHeaderListSize bounds a response's header list and its trailers
	// (RFC 9113 §6.5.2 sizes), advertised in SETTINGS; a larger one resets
	// the stream. Default 64 KiB.
	MaxHeaderListSize uint32
	// KeepaliveTime, if positive, is how long the connection may go
	// without receiving a frame before the client sends a PING. Default 0:
	// no keepalive PINGs (servers, grpc-go's and Osprey's, punish PINGs
	// more often than every 5 minutes).
	KeepaliveTime time.Duration
	// KeepaliveTimeout is how long the client waits for any frame after a
	// keepalive PING before it closes the connection. Default 20 s.
	KeepaliveTimeout time.Duration
	// WriteTimeout bounds every socket write, and how long a stream's
	// write waits for the server to open its flow-control window.
	// Default 10 s.
	WriteTimeout time.Duration
}

// DefaultClientConfig returns the default limits, documented on each field.
func DefaultClientConfig() ClientConfig {
	return ClientConfig{
		InitialWindowSize:     DefaultClientWindowSize,
		InitialConnWindowSize: DefaultClientConnWindowSize,
		MaxFrameSize:          DefaultMaxFrameSize,
		MaxHeaderListSize:     DefaultMaxHeaderListSize,
		KeepaliveTimeout:      DefaultKeepaliveTimeout,
		WriteTimeout:          DefaultWriteTimeout,
	}
}

// Validate returns an error naming the first field out of range.
func (c ClientConfig) Validate() error {
	switch {
	case c.InitialWindowSize < defaultWindow || c.InitialWindowSize > maxWindow:
		return fmt.Errorf("h2: InitialWindowSize %d not in [65535, 2^31-1]", c.InitialWindowSize)
	case c.InitialConnWindowSize < defaultWindow || c.InitialConnWindowSize > maxWindow:
		return fmt.Errorf("h2: InitialConnWindowSize %d not in [65535, 2^31-1]", c.InitialConnWindowSize)
	case c.MaxFrameSize < minFrameSize || c.MaxFrameSize > maxFrameSize:
		return fmt.Errorf("h2: MaxFrameSize %d not in [2^14, 2^24-1]", c.MaxFrameSize)
	case c.MaxHeaderListSize == 0:
		return errors.New("h2: MaxHeaderListSize must be positive")
	case c.KeepaliveTime < 0 || c.KeepaliveTimeout <= 0:
		return errors.New("h2: KeepaliveTime must not be negative, KeepaliveTimeout must be positive")
	case c.WriteTimeout <= 0:
		return errors.New("h2: WriteTimeout must be positive")
	}
	return nil
}

// Errors of ClientConn.Open that leave the request unsent: the caller may
// send it on another connection.
var (
	// ErrFull: the connection has as many streams open as the server's
	// SETTINGS_MAX_CONCURRENT_STREAMS allows.
	ErrFull = errors.New("h2: connection has the most concurrent streams the server allows")
	// ErrGoingAway: the connection takes no new streams (GOAWAY received
	// or sent, stream ids used up); the caller opens a new connection.
	ErrGoingAway = errors.New("h2: connection is going away")
)

// RefusedError is the error of a stream the server did not process: it
// was above a GOAWAY's last stream id, or got RST_STREAM(REFUSED_STREAM),
// or the connection closed before its headers were sent. It is safe to
// send again.
type RefusedError struct{ Reason string }

// Error describes the refusal.
func (e *RefusedError) Error() string { return "h2: stream not processed: " + e.Reason }

// ClientConn is the client side of one HTTP/2 connection
// (docs/spec/grpc.md §15): h2c with prior knowledge or TLS with ALPN h2,
// chosen by the net.Conn given to NewClientConn. Its methods are safe for
// concurrent use.
type ClientConn struct {
	nc      net.Conn
	cfg     ClientConfig
	br      *bufio.Reader
	big     []byte // payloads larger than br's buffer
	hdec    *hpack.Decoder
	hstate  headerState // the header block being decoded; the reader's
	flushed chan struct{}
	readEnd chan struct{}
	wake    chan struct{}
	done    chan struct{} // closed when the connection fails
	active  atomic.Int32  // open streams, for pools
	gone    atomic.Bool   // no new streams: going away or closed
	maxHint atomic.Uint32 // peerMax, read without the lock

	lastRead atomic.Int64 // UnixNano of the last frame read

	sendQueue // mu, and the frames queued under it (write.go)
	err       error
	waking    bool // the flusher has been signalled and not yet run
	henc      *hpack.Encoder
	hbuf      pendingBuf
	streams   map[uint32]*ClientStream
	nextID    uint32
	goAway    bool   // no new streams
	goAwayID  uint32 // last stream id of the server's GOAWAY
	peerMax   uint32
	connFlow  // flow control (flow.go)
}

// NewClientConn starts a client connection over nc: it sends the
// preface, SETTINGS (push disabled, the windows, frame and header list
// limits) and the connection WINDOW_UPDATE, and starts the reader and
// flusher goroutines. It does not wait for the server's SETTINGS: streams
// may be opened at once. For TLS, nc is a *tls.Conn whose handshake
// negotiated "h2".
func NewClientConn(nc net.Conn, cfg ClientConfig) (*ClientConn, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	c := &ClientConn{
		nc: nc, cfg: cfg,
		br:       bufio.NewReaderSize(nc, int(cfg.MaxFrameSize)+frameHeaderLen),
		flushed:  make(chan struct{}),
		readEnd:  make(chan struct{}),
		wake:     make(chan struct{}, 1),
		done:     make(chan struct{}),
		streams:  map[uint32]*ClientStream{},
		nextID:   1,
		peerMax:  DefaultPeerMaxStreams,
		connFlow: newConnFlow(cfg.InitialConnWindowSize),
	}
	c.space.L = &c.mu
	c.maxHint.Store(DefaultPeerMaxStreams)
	c.hdec = hpack.NewDecoder(defaultTableSize, c.hstate.emit)
	c.hdec.SetMaxStringLength(int(cfg.MaxHeaderListSize))
	c.hstate.max = cfg.MaxHeaderListSize
	c.hbuf = pendingBuf{new([]byte)}
	c.henc = hpack.NewEncoder(c.hbuf)
	c.lastRead.Store(time.Now().UnixNano())

	c.pending = append(c.pending, http2.ClientPreface...)
	c.pending = appendSettings(c.pending,
		http2.Setting{ID: http2.SettingEnablePush, Val: 0},
		http2.Setting{ID: http2.SettingInitialWindowSize, Val: cfg.InitialWindowSize},
		http2.Setting{ID: http2.SettingMaxFrameSize, Val: cfg.MaxFrameSize},
		http2.Setting{ID: http2.SettingMaxHeaderListSize, Val: cfg.MaxHeaderListSize},
	)
	if d := cfg.InitialConnWindowSize - defaultWindow; d > 0 {
		c.pending = appendWindowUpdate(c.pending, 0, d)
	}
	go c.flush()
	go c.readLoop()
	if cfg.KeepaliveTime > 0 {
		go c.keepalive()
	}
	c.signal()
	return c, nil
}

// Done is closed when the connection has failed or closed; Err says why.
func (c *ClientConn) Done() <-chan struct{} { return c.done }

// Err returns why the connection closed, or nil while it is open.
func (c *ClientConn) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// Available reports whether Open may succeed now: the connection is open,
// not going away and below the server's stream limit. It is a hint: Open
// says for sure.
func (c *ClientConn) Available() bool {
	return !c.gone.Load() && uint32(c.active.Load()) < c.maxHint.Load()
}

// GoingAway reports whether the connection takes no new streams: it
// received or sent GOAWAY, used up its stream ids, or closed.
func (c *ClientConn) GoingAway() bool { return c.gone.Load() }

// Active returns how many streams are open.
func (c *ClientConn) Active() int { return int(c.active.Load()) }

// LocalAddr and RemoteAddr are the socket's.
func (c *ClientConn) LocalAddr() net.Addr { return c.nc.LocalAddr() }

// RemoteAddr returns the server's address.
func (c *ClientConn) RemoteAddr() net.Addr { return c.nc.RemoteAddr() }

// Close closes the connection at once: every open stream fails with
// ErrClosed (those whose headers were not sent yet with a *RefusedError).
// It waits for the reader and flusher goroutines to end.
func (c *ClientConn) Close() error {
	c.fail(ErrClosed)
	c.nc.Close()
	<-c.readEnd
	<-c.flushed
	return nil
}

// Drain makes the connection take no new streams and close once the open
// ones have finished (at once if none is open). It sends GOAWAY(0,
// NO_ERROR) as it closes.
func (c *ClientConn) Drain() {
	c.mu.Lock()
	c.goAway = true
	c.gone.Store(true)
	idle := len(c.streams) == 0
	c.mu.Unlock()
	if idle {
		c.closeGracefully()
	}
}

// closeGracefully sends GOAWAY(NO_ERROR) and closes.
func (c *ClientConn) closeGracefully() {
	c.mu.Lock()
	if !c.closed {
		c.pending = appendGoAway(c.pending, 0, http2.ErrCodeNo, nil)
	}
	c.mu.Unlock()
	c.fail(ErrClosed)
}

// fail closes the connection for err, once: open streams fail, waiting
// writers wake, and the flusher writes what is queued and closes the socket.
func (c *ClientConn) fail(err error) {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return
	}
	c.closed = true
	c.gone.Store(true)
	if err == nil {
		err = ErrClosed
	}
	c.err = err
	for id, s := range c.streams {
		if s.reset == nil {
			s.reset = err
		}
		delete(c.streams, id)
		c.active.Add(-1)
		wakeClient(s)
	}
	c.space.Broadcast()
	c.sendGrewLocked()
	c.mu.Unlock()
	close(c.done)
	c.signal()
}

// goAwayErr sends GOAWAY for a connection error and closes the connection.
func (c *ClientConn) goAwayErr(e *ConnError) {
	c.mu.Lock()
	if !c.closed {
		c.pending = appendGoAway(c.pending, 0, e.Code, []byte(e.Reason))
	}
	c.mu.Unlock()
	c.fail(e)
}

// removeLocked forgets s, returning the connection window its unread
// bytes hold (the reader keeps them), and closes a draining connection that has become idle.
func (c *ClientConn) removeLocked(s *ClientStream) (closeNow bool) {
	if c.streams[s.id] != s {
		return false
	}
	delete(c.streams, s.id)
	c.active.Add(-1)
	if n := len(s.buf) - s.off; n > 0 {
		// The reader may still read them, but they no longer count.
		c.connConsumedLocked(int64(n))
	}
	return c.goAway && len(c.streams) == 0 && !c.closed
}
