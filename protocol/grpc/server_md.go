package grpc

import (
	"context"
	"strings"

	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/rpcinfo"
	"github.com/ospreyrpc/osprey/status"
)

// ServerTransport is the server's side of one gRPC call, as the functions
// of this file reach it (spec §7.4): the server's gRPC layer implements it
// and keeps it in the call's rpcinfo.Info.Transport, so finding it costs no
// context value and no allocation of its own. Handlers call the functions,
// not these methods. Its methods are safe for concurrent use.
type ServerTransport interface {
	// Incoming returns a new MD with the request's custom metadata.
	Incoming() MD
	// SetHeader merges md into the response headers, sent with the first
	// response message, at SendHeader, or with the status.
	SetHeader(md MD) error
	// SendHeader merges md into the response headers and sends them now.
	SendHeader(md MD) error
	// SetTrailer merges md into the trailers sent with the status.
	SetTrailer(md MD) error
	// SetSendCompressor picks the encoding of the response messages.
	SetSendCompressor(name string) error
}

// serverTransport returns the ServerTransport of the gRPC server call ctx
// belongs to.
func serverTransport(ctx context.Context) (ServerTransport, error) {
	if ri := rpcinfo.FromContext(ctx); ri != nil && ri.Role == rpcinfo.Server {
		if t, ok := ri.Transport.(ServerTransport); ok {
			return t, nil
		}
	}
	return nil, status.New(codes.Internal, "grpc: context is not that of a gRPC server call")
}

// IncomingFromContext returns the custom metadata of the request of the
// gRPC server call ctx belongs to (spec §7.4): every header field except
// the reserved ones (IsReservedHeader), keys in lower case as HTTP/2
// carries them, the values of "-bin" keys decoded from base64. The MD is
// new at every call: the caller may change and keep it. ok is false
// outside a gRPC server call.
func IncomingFromContext(ctx context.Context) (md MD, ok bool) {
	t, err := serverTransport(ctx)
	if err != nil {
		return nil, false
	}
	return t.Incoming(), true
}

// SetHeader adds md to the response headers of the gRPC server call ctx
// belongs to; they are sent with the first response message, at
// SendHeader, or, for a call that sends no message, with its status. It
// fails once the headers have been sent, and for metadata CheckMD refuses.
func SetHeader(ctx context.Context, md MD) error {
	t, err := serverTransport(ctx)
	if err != nil {
		return err
	}
	return t.SetHeader(md)
}

// SendHeader adds md to the response headers of the gRPC server call ctx
// belongs to and sends them at once. It fails if they have been sent
// already, and for metadata CheckMD refuses.
func SendHeader(ctx context.Context, md MD) error {
	t, err := serverTransport(ctx)
	if err != nil {
		return err
	}
	return t.SendHeader(md)
}

// SetTrailer adds md to the trailers of the gRPC server call ctx belongs
// to, sent with its status (also in a trailers-only response). It may be
// called any number of times before the handler returns; it fails for
// metadata CheckMD refuses.
func SetTrailer(ctx context.Context, md MD) error {
	t, err := serverTransport(ctx)
	if err != nil {
		return err
	}
	return t.SetTrailer(md)
}

// SetSendCompressor makes the gRPC server call ctx belongs to compress
// its response messages with the encoding name (spec §10.8), one of the
// server's compressors, or send them uncompressed for "identity". It
// overrides the server's default (server.WithSendCompression). It fails
// for an encoding the server lacks or the client did not list in its
// grpc-accept-encoding, and once the response headers have been sent.
func SetSendCompressor(ctx context.Context, name string) error {
	t, err := serverTransport(ctx)
	if err != nil {
		return err
	}
	return t.SetSendCompressor(name)
}

// AddReceived adds a received header field to md (allocating it if nil)
// as metadata and returns md (spec §7): reserved fields (IsReservedHeader)
// are left out, and the value of a "-bin" key is stored decoded; one that
// is not base64 is left out too.
func AddReceived(md MD, name, value string) MD {
	if IsReservedHeader(name) {
		return md
	}
	if IsBinaryKey(name) {
		b, err := DecodeBinaryHeader(value)
		if err != nil {
			return md
		}
		value = string(b)
	}
	if md == nil {
		md = MD{}
	}
	md[name] = append(md[name], value)
	return md
}

// CheckMD returns an InvalidArgument error if md cannot be sent as custom
// metadata (spec §7.1): a key that is not ValidKey (which requires lower
// case), a reserved key (IsReservedHeader), or a value of a key without
// "-bin" that is not ValidValue. Values of "-bin" keys may be any bytes.
func CheckMD(md MD) error {
	for k, vs := range md {
		if !ValidKey(k) || IsReservedHeader(k) {
			return status.Errorf(codes.InvalidArgument, "grpc: metadata key %q is not allowed (lower case 0-9 a-z - _ . and not reserved)", k)
		}
		if IsBinaryKey(k) {
			continue
		}
		for _, v := range vs {
			if !ValidValue(v) {
				return status.Errorf(codes.InvalidArgument, "grpc: value of metadata key %q is not printable ASCII; use a -bin key", k)
			}
		}
	}
	return nil
}

// AcceptsEncoding reports whether a grpc-accept-encoding value, a comma
// separated list, names the encoding name (spec §10.8).
func AcceptsEncoding(accept, name string) bool {
	for accept != "" {
		var e string
		e, accept, _ = strings.Cut(accept, ",")
		if strings.TrimSpace(e) == name {
			return true
		}
	}
	return false
}
