package h2

import (
	"errors"
	"fmt"
	"time"
)

// Defaults of Config (docs/spec/grpc.md §10.2).
const (
	DefaultMaxConcurrentStreams  = 1000
	DefaultInitialWindowSize     = 256 << 10
	DefaultInitialConnWindowSize = 1 << 20
	DefaultMaxFrameSize          = 16 << 10
	DefaultMaxHeaderListSize     = 64 << 10
	DefaultKeepaliveTime         = 2 * time.Hour
	DefaultKeepaliveTimeout      = 20 * time.Second
	DefaultPingMinTime           = 5 * time.Minute
	DefaultWriteTimeout          = 10 * time.Second
	DefaultHandshakeTimeout      = 10 * time.Second
)

// Protocol limits (RFC 9113 §6.5.2, §6.9.1).
const (
	maxWindow       = 1<<31 - 1
	minFrameSize    = 1 << 14
	maxFrameSize    = 1<<24 - 1
	defaultWindow   = 65535
	maxPingStrikes  = 2             // bad pings forgiven before ENHANCE_YOUR_CALM, as grpc-go
	noStreamPingGap = 2 * time.Hour // min gap between pings on a conn with no streams, as grpc-go
	maxPending      = 256 << 10     // queued bytes past which frame writers wait for the flusher
	readBufferSize  = 4 << 10       // small: idle connections are many
)

// Config holds a server connection's limits. Build it from DefaultConfig;
// a zero field is invalid, not a default.
type Config struct {
	// MaxConcurrentStreams is the number of streams the peer may have
	// open, advertised in SETTINGS; a stream counts until its handler has
	// returned. Beyond it a new stream gets RST_STREAM(REFUSED_STREAM).
	// Default 1000.
	MaxConcurrentStreams uint32
	// InitialWindowSize is each stream's receive window: the most the
	// connection buffers for a stream whose handler does not read. At
	// least 65535. Default 256 KiB.
	InitialWindowSize uint32
	// InitialConnWindowSize is the connection's receive window: the most
	// it buffers for all its streams together. At least 65535. Default 1 MiB.
	InitialConnWindowSize uint32
	// MaxFrameSize is the largest frame payload the peer may send, 16 KiB
	// to 16 MiB-1. Default 16 KiB.
	MaxFrameSize uint32
	// MaxHeaderListSize bounds a request's header list (RFC 9113 §6.5.2
	// sizes: name + value + 32 per field), advertised in SETTINGS. A
	// larger header list gets a 431 response; a header block far larger
	// closes the connection. Default 64 KiB.
	MaxHeaderListSize uint32
	// KeepaliveTime is how long the connection may go without receiving a
	// frame before the server sends a PING. Default 2 h.
	KeepaliveTime time.Duration
	// KeepaliveTimeout is how long the server waits for any frame after a
	// keepalive PING before it closes the connection. Default 20 s.
	KeepaliveTimeout time.Duration
	// PingPolicy is what the server allows of the peer's PINGs.
	PingPolicy PingPolicy
	// WriteTimeout bounds every socket write, and how long a stream's
	// Write waits for the peer to open its flow-control window. Default 10 s.
	WriteTimeout time.Duration
	// HandshakeTimeout bounds the wait for the client preface and its
	// first SETTINGS frame. Default 10 s.
	HandshakeTimeout time.Duration
}

// PingPolicy is the enforcement policy against PING floods, as grpc-go's
// keepalive.EnforcementPolicy: a PING sooner than MinTime after the
// previous one (or, with no stream open and PermitWithoutStream false, any
// second PING within 2 h) is a strike, unless the server has sent HEADERS
// or DATA since; after 2 strikes the next one gets GOAWAY(ENHANCE_YOUR_CALM)
// and the connection closes.
type PingPolicy struct {
	// MinTime is the shortest allowed gap between PINGs. Default 5 min.
	MinTime time.Duration
	// PermitWithoutStream allows PINGs every MinTime with no stream open.
	// Default false.
	PermitWithoutStream bool
}

// DefaultConfig returns the default limits, documented on each field.
func DefaultConfig() Config {
	return Config{
		MaxConcurrentStreams:  DefaultMaxConcurrentStreams,
		InitialWindowSize:     DefaultInitialWindowSize,
		InitialConnWindowSize: DefaultInitialConnWindowSize,
		MaxFrameSize:          DefaultMaxFrameSize,
		MaxHeaderListSize:     DefaultMaxHeaderListSize,
		KeepaliveTime:         DefaultKeepaliveTime,
		KeepaliveTimeout:      DefaultKeepaliveTimeout,
		PingPolicy:            PingPolicy{MinTime: DefaultPingMinTime},
		WriteTimeout:          DefaultWriteTimeout,
		HandshakeTimeout:      DefaultHandshakeTimeout,
	}
}

// Validate returns an error naming the first field out of range.
func (c Config) Validate() error {
	switch {
	case c.MaxConcurrentStreams == 0:
		return errors.New("h2: MaxConcurrentStreams must be positive")
	case c.InitialWindowSize < defaultWindow || c.InitialWindowSize > maxWindow:
		return fmt.Errorf("h2: InitialWindowSize %d not in [65535, 2^31-1]", c.InitialWindowSize)
	case c.InitialConnWindowSize < defaultWindow || c.InitialConnWindowSize > maxWindow:
		return fmt.Errorf("h2: InitialConnWindowSize %d not in [65535, 2^31-1]", c.InitialConnWindowSize)
	case c.MaxFrameSize < minFrameSize || c.MaxFrameSize > maxFrameSize:
		return fmt.Errorf("h2: MaxFrameSize %d not in [2^14, 2^24-1]", c.MaxFrameSize)
	case c.MaxHeaderListSize == 0:
		return errors.New("h2: MaxHeaderListSize must be positive")
	case c.KeepaliveTime <= 0 || c.KeepaliveTimeout <= 0:
		return errors.New("h2: KeepaliveTime and KeepaliveTimeout must be positive")
	case c.PingPolicy.MinTime < 0:
		return errors.New("h2: PingPolicy.MinTime must not be negative")
	case c.WriteTimeout <= 0 || c.HandshakeTimeout <= 0:
		return errors.New("h2: WriteTimeout and HandshakeTimeout must be positive")
	}
	return nil
}
