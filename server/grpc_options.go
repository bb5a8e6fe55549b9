package server

import (
	"compress/gzip"
	"fmt"
	"math"
	"strings"

	"github.com/ospreyrpc/osprey/protocol/grpc"
)

// Defaults of the gRPC options.
const (
	// DefaultGRPCMaxRecvMsgSize bounds a gRPC request message, after
	// decompression: 4 MiB, as grpc-go.
	DefaultGRPCMaxRecvMsgSize = grpc.DefaultMaxReceiveMessageSize
	// DefaultGRPCMaxSendMsgSize bounds a gRPC response message, before
	// compression: math.MaxInt32, as grpc-go.
	DefaultGRPCMaxSendMsgSize = math.MaxInt32
)

// grpcOptions are the options of the gRPC layer.
type grpcOptions struct {
	maxRecv, maxSend int
	extra            []grpc.Compressor // WithCompressors
	sendCompression  string            // WithSendCompression; "" none

	// Made by finish.
	compressors map[string]grpc.Compressor
	accept      string // grpc-accept-encoding: the compressors' names
}

func defaultGRPCOptions() grpcOptions {
	return grpcOptions{maxRecv: DefaultGRPCMaxRecvMsgSize, maxSend: DefaultGRPCMaxSendMsgSize}
}

// finish builds the compressor set once every option is applied, and
// checks the send compression names one of them.
func (o *grpcOptions) finish() error {
	gz, _ := grpc.NewGzip(gzip.DefaultCompression)
	o.compressors = map[string]grpc.Compressor{grpc.Gzip: gz}
	names := []string{grpc.Gzip}
	for _, c := range o.extra {
		if _, ok := o.compressors[c.Name()]; !ok {
			names = append(names, c.Name())
		}
		o.compressors[c.Name()] = c
	}
	o.accept = strings.Join(names, ",")
	if n := o.sendCompression; n != "" && n != "identity" && o.compressors[n] == nil {
		return fmt.Errorf("server: WithSendCompression(%q): no such compressor (have %s)", n, o.accept)
	}
	return nil
}

// WithCompressors adds message encodings for gRPC (docs/spec/grpc.md
// §10.8): requests compressed with them are read, and responses may be
// compressed with them (WithSendCompression, grpc.SetSendCompressor).
// gzip (grpc.NewGzip at the default level) is always there; a compressor
// named "gzip" replaces it. Names must be unique, and tokens other than
// "identity". Responses advertise every name in grpc-accept-encoding.
func WithCompressors(cs ...grpc.Compressor) Option {
	return optionFunc(func(o *options) error {
		seen := map[string]bool{}
		for _, c := range cs {
			if c == nil {
				return fmt.Errorf("server: WithCompressors: nil compressor")
			}
			n := c.Name()
			if n == "" || n == "identity" || strings.ContainsAny(n, ", \t") || seen[n] {
				return fmt.Errorf("server: WithCompressors: bad or repeated name %q", n)
			}
			seen[n] = true
		}
		o.grpc.extra = cs
		return o.once("WithCompressors")
	})
}

// WithSendCompression makes the server compress gRPC response messages
// with the encoding name, one of its compressors (WithCompressors; "gzip"
// is built in), for the calls whose client lists it in
// grpc-accept-encoding; others get them uncompressed. A handler overrides
// it for its call with grpc.SetSendCompressor. Default: responses are not
// compressed.
func WithSendCompression(name string) Option {
	return optionFunc(func(o *options) error {
		if name == "" {
			return fmt.Errorf("server: WithSendCompression(\"\")")
		}
		o.grpc.sendCompression = name
		return o.once("WithSendCompression")
	})
}

// WithGRPCMaxRecvMsgSize sets the largest gRPC request message the server
// accepts, in bytes, after decompression; a larger one ends its call with
// ResourceExhausted. Default DefaultGRPCMaxRecvMsgSize (4 MiB); n must be
// between 1 KiB and 1 GiB. Thrift messages have WithMaxMessageSize.
func WithGRPCMaxRecvMsgSize(n int) Option {
	return optionFunc(func(o *options) error {
		if n < 1<<10 || n > 1<<30 {
			return fmt.Errorf("server: WithGRPCMaxRecvMsgSize(%d): want 1 KiB to 1 GiB", n)
		}
		o.grpc.maxRecv = n
		return o.once("WithGRPCMaxRecvMsgSize")
	})
}

// WithGRPCMaxSendMsgSize sets the largest gRPC response message the server
// sends, in bytes, before compression; a handler's larger one ends its call
// with ResourceExhausted (and Send of a streaming call returns that error).
// Default DefaultGRPCMaxSendMsgSize (math.MaxInt32); n must be at least 1.
func WithGRPCMaxSendMsgSize(n int) Option {
	return optionFunc(func(o *options) error {
		if n < 1 || n > math.MaxInt32 {
			return fmt.Errorf("server: WithGRPCMaxSendMsgSize(%d): want 1 to MaxInt32", n)
		}
		o.grpc.maxSend = n
		return o.once("WithGRPCMaxSendMsgSize")
	})
}
