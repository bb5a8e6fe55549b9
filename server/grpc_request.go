package server

import (
	"strings"
	"time"

	"golang.org/x/net/http2/hpack"

	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/protocol/grpc"
	"github.com/ospreyrpc/osprey/status"
)

// grpcRequest is what a gRPC request's header fields say
// (docs/spec/grpc.md §3.1), read in one pass. Its strings are the fields'
// own; it allocates nothing. The HTTP/2 layer bounds the header list
// (64 KiB by default), which bounds what it holds.
type grpcRequest struct {
	method, path, contentType string
	timeout                   time.Duration // with hasTimeout
	hasTimeout                bool
	encoding                  string // grpc-encoding
	accept                    string // grpc-accept-encoding
}

// isGRPC reports whether the request is a gRPC call at all: a POST with a
// content type of application/grpc or application/grpc+suffix.
func (r *grpcRequest) isGRPC() bool {
	return r.method == "POST" && strings.HasPrefix(r.contentType, "application/grpc")
}

// parseGRPCRequest reads the fields the gRPC layer needs, the first of
// each name; custom metadata is read when asked for (incomingMD,
// incomingGRPCMetadata). A grpc-timeout that does not parse is an
// Internal error, as grpc-go answers.
func parseGRPCRequest(fields []hpack.HeaderField) (grpcRequest, error) {
	var r grpcRequest
	var timeout string
	seen := 0
	set := func(dst *string, bit int, v string) {
		if seen&bit == 0 {
			*dst, seen = v, seen|bit
		}
	}
	for _, f := range fields {
		switch f.Name {
		case ":method":
			set(&r.method, 1, f.Value)
		case ":path":
			set(&r.path, 2, f.Value)
		case "content-type":
			set(&r.contentType, 4, f.Value)
		case "grpc-timeout":
			set(&timeout, 8, f.Value)
		case "grpc-encoding":
			set(&r.encoding, 16, f.Value)
		case "grpc-accept-encoding":
			set(&r.accept, 32, f.Value)
		}
	}
	if seen&8 != 0 {
		d, err := grpc.DecodeTimeout(timeout)
		if err != nil {
			return r, status.Errorf(codes.Internal, "grpc: bad grpc-timeout %q: %v", timeout, err)
		}
		r.timeout, r.hasTimeout = d, true
	}
	return r, nil
}

// incomingMD returns the custom metadata of a request's header fields.
func incomingMD(fields []hpack.HeaderField) grpc.MD {
	md := grpc.MD{}
	for _, f := range fields {
		md = grpc.AddReceived(md, f.Name, f.Value)
	}
	return md
}
