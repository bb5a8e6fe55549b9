package client

import (
	"compress/gzip"
	"crypto/tls"
	"fmt"
	"slices"
	"time"

	"github.com/ospreyrpc/osprey/discovery"
	"github.com/ospreyrpc/osprey/endpoint"
	"github.com/ospreyrpc/osprey/loadbalance"
	"github.com/ospreyrpc/osprey/metainfo"
	"github.com/ospreyrpc/osprey/protocol/grpc"
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
	set             map[string]bool
	callerName      string
	calleeName      string
	resolver        discovery.Resolver
	builders        map[string]discovery.Builder
	balancer        loadbalance.Balancer
	ttheader        bool
	muxConns        int // 0: ping-pong pools
	maxMetadataSize int
	encoding        thrift.Encoding
	framing         thrift.Framing
	middleware      []endpoint.Middleware
	callTimeout     time.Duration
	connectTimeout  time.Duration
	maxIdle         int
	idleTimeout     time.Duration
	maxMessageSize  int
	policy          Policy            // policy.go
	methodPolicies  map[string]Policy // nil when none
	warmConns       int               // WithWarmUp; 0: off

	// gRPC (grpc_options.go)
	grpc            bool
	tls             *tls.Config
	streamMW        []endpoint.StreamMiddleware
	compressors     []grpc.Compressor
	sendCompression string
	keepalive       time.Duration
	keepaliveWait   time.Duration
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

		builders:        map[string]discovery.Builder{},
		balancer:        loadbalance.WeightedRoundRobin(),
		maxMetadataSize: metainfo.DefaultMaxSize,
		compressors:     []grpc.Compressor{defaultGzip},
	}
}

// defaultGzip is the gRPC client's built-in compressor.
var defaultGzip = func() grpc.Compressor {
	c, err := grpc.NewGzip(gzip.DefaultCompression)
	if err != nil {
		panic(err) // the default level is valid
	}
	return c
}()

// validate checks the options together, after each has been applied.
func (o *options) validate() error {
	if o.sendCompression != "" && !slices.ContainsFunc(o.compressors, func(c grpc.Compressor) bool { return c.Name() == o.sendCompression }) {
		return fmt.Errorf("client: WithSendCompression(%q): no such compressor given to WithCompressors", o.sendCompression)
	}
	if o.grpc && (o.ttheader || o.muxConns > 0 || o.set["WithThrift"]) {
		return fmt.Errorf("client: WithGRPC (or a protobuf service) cannot be combined with WithTTHeader, WithMultiplex or WithThrift")
	}
	if o.muxConns > 0 && !o.ttheader {
		if o.set["WithThrift"] && o.framing == thrift.Buffered {
			return fmt.Errorf("client: WithMultiplex needs TTHeader framing, and WithThrift asked for buffered")
		}
		o.ttheader = true // replies are matched by the TTHeader's sequence id
	}
	return nil
}

// protocolName is what rpcinfo.Info.Protocol says for calls made with o.
func (o *options) protocolName() string {
	if o.grpc {
		return "grpc"
	}
	form := o.framing.String()
	if o.ttheader {
		form = "ttheader"
		if o.framing == thrift.Framed {
			form = "ttheader-framed"
		}
	}
	return "thrift/" + o.encoding.String() + "/" + form
}

// dialBy is when a dial started at now must be done: the connect timeout
// later, or the call's deadline if that is earlier.
func (o *options) dialBy(now, deadline time.Time) time.Time {
	if d := now.Add(o.connectTimeout); d.Before(deadline) {
		return d
	}
	return deadline
}

// readFraming is how replies are cut from the connection: TTHeader
// messages carry a framed length.
func (o *options) readFraming() thrift.Framing {
	if o.ttheader {
		return thrift.Framed
	}
	return o.framing
}

// WithTTHeader wraps every request in a TTHeader (docs/spec/ttheader.md),
// which carries the caller's and callee's names, the call's deadline and
// its metadata, as Kitex expects. The payload is framed inside the header
// (Kitex's TTHeader-framed) unless WithThrift chose buffered. Default off:
// plain Thrift, which carries no metadata or deadline.
func WithTTHeader() Option {
	return optionFunc(func(o *options) error {
		o.ttheader = true
		return o.once("WithTTHeader")
	})
}

// WithMultiplex sends concurrent calls over conns connections per instance
// instead of one connection per call in flight: requests and replies are
// matched by sequence id, and the writes of concurrent callers are
// coalesced. It implies WithTTHeader. Default off (ping-pong pools); conns
// must be between 1 and 64.
func WithMultiplex(conns int) Option {
	return optionFunc(func(o *options) error {
		if conns < 1 || conns > 64 {
			return fmt.Errorf("client: WithMultiplex(%d): want 1 to 64 connections", conns)
		}
		o.muxConns = conns
		return o.once("WithMultiplex")
	})
}

// WithCallerName names the service that makes the calls, for the callee's
// rpcinfo (CallerService) where the protocol carries it. Default: in a
// server handler, the handler's service; otherwise none.
func WithCallerName(name string) Option {
	return optionFunc(func(o *options) error {
		o.callerName = name
		return o.once("WithCallerName")
	})
}

// WithCalleeName names the service called as it is deployed (rpcinfo's
// CalleeService), which protocols such as TTHeader carry. Default none.
func WithCalleeName(name string) Option {
	return optionFunc(func(o *options) error {
		o.calleeName = name
		return o.once("WithCalleeName")
	})
}

// WithResolver finds the target's instances with r instead of reading them
// from the target string, which then only names the target. Default: the
// target string says.
func WithResolver(r discovery.Resolver) Option {
	return optionFunc(func(o *options) error {
		if r == nil {
			return fmt.Errorf("client: WithResolver(nil)")
		}
		o.resolver = r
		return o.once("WithResolver")
	})
}

// WithResolverBuilder lets targets of b's scheme ("scheme://...") be
// resolved by b. It may be given once per scheme.
func WithResolverBuilder(b discovery.Builder) Option {
	return optionFunc(func(o *options) error {
		if b == nil || b.Scheme() == "" {
			return fmt.Errorf("client: WithResolverBuilder: nil builder or empty scheme")
		}
		if o.builders[b.Scheme()] != nil {
			return fmt.Errorf("client: WithResolverBuilder: scheme %q given twice", b.Scheme())
		}
		o.builders[b.Scheme()] = b
		return nil
	})
}

// WithBalancer sets how each attempt picks an instance. Default
// loadbalance.WeightedRoundRobin().
func WithBalancer(b loadbalance.Balancer) Option {
	return optionFunc(func(o *options) error {
		if b == nil {
			return fmt.Errorf("client: WithBalancer(nil)")
		}
		o.balancer = b
		return o.once("WithBalancer")
	})
}

// WithMaxMetadataSize bounds the total size of the metadata keys and values
// one call sends; a call over it fails with InvalidArgument before it is
// sent. Default metainfo.DefaultMaxSize (64 KiB); n must be positive.
func WithMaxMetadataSize(n int) Option {
	return optionFunc(func(o *options) error {
		if n <= 0 {
			return fmt.Errorf("client: WithMaxMetadataSize(%d): must be positive", n)
		}
		o.maxMetadataSize = n
		return o.once("WithMaxMetadataSize")
	})
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
