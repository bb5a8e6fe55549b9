package server

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/ospreyrpc/osprey/discovery"
	"github.com/ospreyrpc/osprey/endpoint"
	"github.com/ospreyrpc/osprey/limit"
	"github.com/ospreyrpc/osprey/protocol/ttheader"
	"github.com/ospreyrpc/osprey/registry"
)

// Defaults for the server options.
const (
	DefaultMaxMessageSize = 16 << 20
	DefaultIdleTimeout    = 2 * time.Minute
	DefaultWriteTimeout   = 30 * time.Second
	// DefaultReadTimeout bounds reading one request once its first byte
	// has arrived.
	DefaultReadTimeout = 5 * time.Second
	// DefaultMaxConcurrentPerConn bounds the requests of one multiplexed
	// connection that run at once.
	DefaultMaxConcurrentPerConn = 1000
)

// An Option configures a Server. Giving New the same option twice is an
// error, except WithMiddleware, which adds.
type Option interface {
	apply(*options) error
}

type optionFunc func(*options) error

func (f optionFunc) apply(o *options) error { return f(o) }

type options struct {
	set        map[string]bool
	middleware []endpoint.Middleware
	// streamMiddleware wraps streaming methods.
	streamMiddleware []endpoint.StreamMiddleware
	maxMessageSize   int
	idleTimeout      time.Duration
	writeTimeout     time.Duration
	readTimeout      time.Duration
	logger           *slog.Logger
	// maxConcurrentPerConn bounds concurrent requests per multiplexed
	// connection.
	maxConcurrentPerConn int
	ttheaderLimits       ttheader.Limits
	grpc                 grpcOptions

	// WithRegistry, WithDeregisterWait
	registry       registry.Registry
	regService     string
	regInstance    *discovery.Instance // nil: the listener's address
	deregisterWait time.Duration

	// WithLimits, WithMethodLimits
	limits       limit.Policy
	methodLimits map[methodKey]limit.Policy
}

func defaultOptions() options {
	return options{
		set:            map[string]bool{},
		maxMessageSize: DefaultMaxMessageSize,
		idleTimeout:    DefaultIdleTimeout,
		writeTimeout:   DefaultWriteTimeout,
		readTimeout:    DefaultReadTimeout,
		logger:         slog.Default(),

		maxConcurrentPerConn: DefaultMaxConcurrentPerConn,
		ttheaderLimits:       ttheader.DefaultLimits(),
		grpc:                 defaultGRPCOptions(),
	}
}

// once marks option name as given, failing the second time.
func (o *options) once(name string) error {
	if o.set[name] {
		return fmt.Errorf("server: %s given twice", name)
	}
	o.set[name] = true
	return nil
}

// WithMiddleware adds middleware around every handler. The first middleware
// given (across all WithMiddleware options, in order) is the outermost.
func WithMiddleware(mws ...endpoint.Middleware) Option {
	return optionFunc(func(o *options) error {
		for _, mw := range mws {
			if mw == nil {
				return fmt.Errorf("server: WithMiddleware: nil middleware")
			}
		}
		o.middleware = append(o.middleware, mws...)
		return nil
	})
}

// WithStreamMiddleware adds middleware around every streaming handler, in
// the order WithMiddleware keeps for unary ones.
func WithStreamMiddleware(mws ...endpoint.StreamMiddleware) Option {
	return optionFunc(func(o *options) error {
		for _, mw := range mws {
			if mw == nil {
				return fmt.Errorf("server: WithStreamMiddleware: nil middleware")
			}
		}
		o.streamMiddleware = append(o.streamMiddleware, mws...)
		return nil
	})
}

// WithMaxMessageSize sets the largest message, in bytes, the server reads
// (frame header excluded). A connection that sends a larger one is closed
// and the event logged. Default DefaultMaxMessageSize (16 MiB); n must be
// between 1 KiB and 1 GiB.
func WithMaxMessageSize(n int) Option {
	return optionFunc(func(o *options) error {
		if n < 1<<10 || n > 1<<30 {
			return fmt.Errorf("server: WithMaxMessageSize(%d): want 1 KiB to 1 GiB", n)
		}
		o.maxMessageSize = n
		return o.once("WithMaxMessageSize")
	})
}

// WithIdleTimeout sets how long a connection may go without completing a
// request before the server closes it. Time spent in a handler does not
// count. Default DefaultIdleTimeout (2 minutes); d must be positive.
func WithIdleTimeout(d time.Duration) Option {
	return optionFunc(func(o *options) error {
		if d <= 0 {
			return fmt.Errorf("server: WithIdleTimeout(%v): must be positive", d)
		}
		o.idleTimeout = d
		return o.once("WithIdleTimeout")
	})
}

// WithWriteTimeout sets how long writing one reply may take before the
// server gives up on the connection and closes it, as when a client stops
// reading. Default DefaultWriteTimeout (30 seconds); d must be positive.
func WithWriteTimeout(d time.Duration) Option {
	return optionFunc(func(o *options) error {
		if d <= 0 {
			return fmt.Errorf("server: WithWriteTimeout(%v): must be positive", d)
		}
		o.writeTimeout = d
		return o.once("WithWriteTimeout")
	})
}

// WithReadTimeout sets how long the server waits for the rest of a request
// once its first bytes have arrived, and for enough bytes of a new
// connection to tell its protocol; a connection slower than that is closed.
// Waiting for a request to start is bounded by the idle timeout instead.
// Default DefaultReadTimeout (5 seconds); d must be positive.
func WithReadTimeout(d time.Duration) Option {
	return optionFunc(func(o *options) error {
		if d <= 0 {
			return fmt.Errorf("server: WithReadTimeout(%v): must be positive", d)
		}
		o.readTimeout = d
		return o.once("WithReadTimeout")
	})
}

// WithMaxConcurrentPerConn bounds how many requests of one multiplexed
// connection run at once; further requests wait unread, which pushes back
// on the client. Setting 1 turns concurrent serving off: every connection
// is served one request after another. Default DefaultMaxConcurrentPerConn
// (1000); n must be at least 1.
func WithMaxConcurrentPerConn(n int) Option {
	return optionFunc(func(o *options) error {
		if n < 1 {
			return fmt.Errorf("server: WithMaxConcurrentPerConn(%d): must be at least 1", n)
		}
		o.maxConcurrentPerConn = n
		return o.once("WithMaxConcurrentPerConn")
	})
}

// WithLogger sets where the server logs connection errors, malformed input
// and handler panics. Default slog.Default().
func WithLogger(l *slog.Logger) Option {
	return optionFunc(func(o *options) error {
		if l == nil {
			return fmt.Errorf("server: WithLogger(nil)")
		}
		o.logger = l
		return o.once("WithLogger")
	})
}
