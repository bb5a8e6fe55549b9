package client

import (
	"crypto/tls"
	"fmt"
	"slices"
	"time"

	"github.com/ospreyrpc/osprey/endpoint"
	"github.com/ospreyrpc/osprey/protocol/grpc"
)

// Defaults of the gRPC transport (docs/spec/grpc.md §15).
const (
	// DefaultGRPCMaxMessageSize is the largest response message a gRPC
	// call accepts unless WithMaxMessageSize says otherwise: 4 MiB, as
	// grpc-go.
	DefaultGRPCMaxMessageSize = grpc.DefaultMaxReceiveMessageSize
	// DefaultKeepaliveTimeout is how long a keepalive PING waits for an
	// answer when WithKeepalive gives none.
	DefaultKeepaliveTimeout = 20 * time.Second
)

// WithGRPC makes the client call over gRPC (HTTP/2) instead of Thrift.
// A client whose service.Desc has Protobuf set (generated from .proto)
// uses gRPC without it; WithGRPC is for hand-written descriptions. It
// cannot be combined with WithThrift, WithTTHeader or WithMultiplex.
// Arguments and results must be protobuf messages: grpc.Marshaler and
// grpc.Unmarshaler values (Osprey's generated fast paths) or any
// proto.Message. Default: Thrift unless the description says protobuf.
func WithGRPC() Option {
	return optionFunc(func(o *options) error {
		o.grpc = true
		return o.once("WithGRPC")
	})
}

// WithTLS makes gRPC connections use TLS with cfg, offering ALPN "h2"
// (added to cfg.NextProtos if missing, on a clone), and sends ":scheme
// https". Default: h2c (HTTP/2 over plain TCP with prior knowledge).
func WithTLS(cfg *tls.Config) Option {
	return optionFunc(func(o *options) error {
		if cfg == nil {
			return fmt.Errorf("client: WithTLS(nil)")
		}
		cfg = cfg.Clone()
		if !slices.Contains(cfg.NextProtos, "h2") {
			cfg.NextProtos = append(cfg.NextProtos, "h2")
		}
		o.tls = cfg
		return o.once("WithTLS")
	})
}

// WithStreamMiddleware adds middleware around every streaming call
// (Client.Stream). The first given (across all WithStreamMiddleware
// options, in order) is the outermost. The innermost endpoint opens the
// stream and sets call.Stream; middleware that wraps the stream replaces
// call.Stream after next returns.
func WithStreamMiddleware(mws ...endpoint.StreamMiddleware) Option {
	return optionFunc(func(o *options) error {
		for _, mw := range mws {
			if mw == nil {
				return fmt.Errorf("client: WithStreamMiddleware: nil middleware")
			}
		}
		o.streamMW = append(o.streamMW, mws...)
		return nil
	})
}

// WithCompressors gives the gRPC client message encodings it may decode
// in responses (advertised in grpc-accept-encoding) and may send with
// (WithSendCompression, grpc.WithSendCompressor), beside gzip, which is
// built in (grpc.NewGzip at the default level); one named "gzip" replaces
// it. Requests go uncompressed unless asked. Names must differ.
func WithCompressors(cs ...grpc.Compressor) Option {
	return optionFunc(func(o *options) error {
		for _, c := range cs {
			if c == nil || c.Name() == "" || c.Name() == "identity" {
				return fmt.Errorf("client: WithCompressors: nil compressor or reserved name")
			}
			if o.set["compressor "+c.Name()] {
				return fmt.Errorf("client: WithCompressors: %q given twice", c.Name())
			}
			o.set["compressor "+c.Name()] = true
			if i := slices.IndexFunc(o.compressors, func(d grpc.Compressor) bool { return d.Name() == c.Name() }); i >= 0 {
				o.compressors[i] = c // replaces the built-in one
				continue
			}
			o.compressors = append(o.compressors, c)
		}
		return nil
	})
}

// WithSendCompression compresses every gRPC request message with the
// compressor named name: "gzip" or one WithCompressors gives; a call's
// grpc.WithSendCompressor overrides it. Default: uncompressed.
func WithSendCompression(name string) Option {
	return optionFunc(func(o *options) error {
		o.sendCompression = name
		return o.once("WithSendCompression")
	})
}

// WithKeepalive makes gRPC connections send a PING after d without
// receiving a frame, and close when no frame arrives within timeout after
// it (0: DefaultKeepaliveTimeout). Servers punish frequent PINGs: grpc-go
// and Osprey allow one per 5 minutes by default. Default off.
func WithKeepalive(d, timeout time.Duration) Option {
	return optionFunc(func(o *options) error {
		if d <= 0 || timeout < 0 {
			return fmt.Errorf("client: WithKeepalive(%v, %v): want a positive interval", d, timeout)
		}
		if timeout == 0 {
			timeout = DefaultKeepaliveTimeout
		}
		o.keepalive, o.keepaliveWait = d, timeout
		return o.once("WithKeepalive")
	})
}

// grpcMaxMessageSize is the response message limit of gRPC calls.
func (o *options) grpcMaxMessageSize() int {
	if o.set["WithMaxMessageSize"] {
		return o.maxMessageSize
	}
	return DefaultGRPCMaxMessageSize
}
