package client

import (
	"fmt"
	"time"

	"github.com/ospreyrpc/osprey/endpoint"
	"github.com/ospreyrpc/osprey/protocol/thrift"
)

// Defaults for the client options.
const (
	DefaultCallTimeout    = 10 * time.Second
	DefaultConnectTimeout = 2 * time.Second
	DefaultMaxIdleConns   = 1024
	DefaultIdleTimeout    = time.Minute
	DefaultMaxMessageSize = 16 << 20
)

// An Option configures a Client. Giving New the same option twice is an
// error, except WithMiddleware, which adds.
type Option interface {
	apply(*options) error
}

type optionFunc func(*options) error

func (f optionFunc) apply(o *options) error { return f(o) }

type options struct {
	set            map[string]bool
	encoding       thrift.Encoding
	framing        thrift.Framing
	middleware     []endpoint.Middleware
	callTimeout    time.Duration
	connectTimeout time.Duration
	maxIdle        int
	idleTimeout    time.Duration
	maxMessageSize int
}

func defaultOptions() options {
	return options{
		set:            map[string]bool{},
		encoding:       thrift.Binary,
		framing:        thrift.Framed,
		callTimeout:    DefaultCallTimeout,
		connectTimeout: DefaultConnectTimeout,
		maxIdle:        DefaultMaxIdleConns,
		idleTimeout:    DefaultIdleTimeout,
		maxMessageSize: DefaultMaxMessageSize,
	}
}

func (o *options) once(name string) error {
	if o.set[name] {
		return fmt.Errorf("client: %s given twice", name)
	}
	o.set[name] = true
	return nil
}

// WithThrift selects the Thrift encoding (thrift.Binary or thrift.Compact)
// and framing (thrift.Framed or thrift.Buffered). Default binary, framed:
// what Apache Thrift servers and Kitex expect most often.
func WithThrift(enc thrift.Encoding, framing thrift.Framing) Option {
	return optionFunc(func(o *options) error {
		if enc != thrift.Binary && enc != thrift.Compact {
			return fmt.Errorf("client: WithThrift: unknown encoding %v", enc)
		}
		if framing != thrift.Framed && framing != thrift.Buffered {
			return fmt.Errorf("client: WithThrift: unknown framing %v", framing)
		}
		o.encoding, o.framing = enc, framing
		return o.once("WithThrift")
	})
}

// WithMiddleware adds middleware around every call. The first middleware
// given (across all WithMiddleware options, in order) is the outermost.
func WithMiddleware(mws ...endpoint.Middleware) Option {
	return optionFunc(func(o *options) error {
		for _, mw := range mws {
			if mw == nil {
				return fmt.Errorf("client: WithMiddleware: nil middleware")
			}
		}
		o.middleware = append(o.middleware, mws...)
		return nil
	})
}

// WithCallTimeout bounds every call: its deadline is the earlier of the
// context's deadline and now plus d. Default DefaultCallTimeout (10
// seconds); d must be positive.
func WithCallTimeout(d time.Duration) Option {
	return optionFunc(func(o *options) error {
		if d <= 0 {
			return fmt.Errorf("client: WithCallTimeout(%v): must be positive", d)
		}
		o.callTimeout = d
		return o.once("WithCallTimeout")
	})
}

// WithConnectTimeout bounds dialing a new connection; the call's deadline
// bounds it too. Default DefaultConnectTimeout (2 seconds); d must be
// positive.
func WithConnectTimeout(d time.Duration) Option {
	return optionFunc(func(o *options) error {
		if d <= 0 {
			return fmt.Errorf("client: WithConnectTimeout(%v): must be positive", d)
		}
		o.connectTimeout = d
		return o.once("WithConnectTimeout")
	})
}

// WithMaxIdleConns sets how many idle connections the pool keeps per
// address; a connection given back beyond that is closed. The pool never
// holds more idle connections than were once in use at the same time, so a
// high limit costs nothing at low concurrency. Default DefaultMaxIdleConns
// (1024); n must be at least 1.
func WithMaxIdleConns(n int) Option {
	return optionFunc(func(o *options) error {
		if n < 1 {
			return fmt.Errorf("client: WithMaxIdleConns(%d): must be at least 1", n)
		}
		o.maxIdle = n
		return o.once("WithMaxIdleConns")
	})
}

// WithIdleTimeout sets how long a pooled connection may sit idle before it
// is closed. Keep it below the server's idle timeout (Osprey's default is 2
// minutes). Default DefaultIdleTimeout (1 minute); d must be positive.
func WithIdleTimeout(d time.Duration) Option {
	return optionFunc(func(o *options) error {
		if d <= 0 {
			return fmt.Errorf("client: WithIdleTimeout(%v): must be positive", d)
		}
		o.idleTimeout = d
		return o.once("WithIdleTimeout")
	})
}

// WithMaxMessageSize sets the largest reply, in bytes, the client reads. A
// larger one fails the call with ResourceExhausted and closes the
// connection. Default DefaultMaxMessageSize (16 MiB); n must be between 1
// KiB and 1 GiB.
func WithMaxMessageSize(n int) Option {
	return optionFunc(func(o *options) error {
		if n < 1<<10 || n > 1<<30 {
			return fmt.Errorf("client: WithMaxMessageSize(%d): want 1 KiB to 1 GiB", n)
		}
		o.maxMessageSize = n
		return o.once("WithMaxMessageSize")
	})
}
