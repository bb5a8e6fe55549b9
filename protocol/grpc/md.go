package grpc

import (
	"context"
	"strings"
)

// MD is gRPC metadata (spec §7): header names to their values. Keys are
// lower case; the values of a "-bin" key are the raw bytes, which the
// transport sends in base64 (EncodeBinaryHeader) and decodes on receipt.
// An MD is not safe for concurrent writes; the functions here never
// modify an MD they were given.
type MD map[string][]string

// Pairs returns the MD of the key-value pairs kv, keys lowered; a key given
// twice keeps both values in order. It panics when len(kv) is odd.
func Pairs(kv ...string) MD {
	if len(kv)%2 != 0 {
		panic("grpc: Pairs: odd number of arguments")
	}
	md := make(MD, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		md.Append(kv[i], kv[i+1])
	}
	return md
}

// Get returns the values of key k, lowered first; nil when there are none.
func (md MD) Get(k string) []string {
	return md[strings.ToLower(k)]
}

// Set replaces the values of key k, lowered first.
func (md MD) Set(k string, vals ...string) {
	if len(vals) == 0 {
		return
	}
	md[strings.ToLower(k)] = vals
}

// Append adds vals to the values of key k, lowered first.
func (md MD) Append(k string, vals ...string) {
	if len(vals) == 0 {
		return
	}
	k = strings.ToLower(k)
	md[k] = append(md[k], vals...)
}

// Copy returns a deep copy of md.
func (md MD) Copy() MD {
	out := make(MD, len(md))
	for k, v := range md {
		out[k] = append([]string(nil), v...)
	}
	return out
}

// outgoingKey is the context key of a call's outgoing metadata.
type outgoingKey struct{}

// outgoing is the outgoing metadata of a context: md, then pairs added by
// AppendToOutgoingContext (keys lowered), so appending does not copy md.
type outgoing struct {
	md    MD
	added [][]string
}

// NewOutgoingContext returns ctx carrying md as the request metadata of the
// calls made with it, replacing any set before; the client sends it as
// request headers. md must not be modified afterwards. Keys that
// IsReservedHeader names or that fail ValidKey, and non-binary values
// failing ValidValue, make the call fail with codes.Internal before
// anything is sent.
func NewOutgoingContext(ctx context.Context, md MD) context.Context {
	return context.WithValue(ctx, outgoingKey{}, &outgoing{md: md})
}

// AppendToOutgoingContext returns ctx with the key-value pairs kv added to
// its outgoing metadata (keys lowered), keeping what was there. It panics
// when len(kv) is odd.
func AppendToOutgoingContext(ctx context.Context, kv ...string) context.Context {
	if len(kv)%2 != 0 {
		panic("grpc: AppendToOutgoingContext: odd number of arguments")
	}
	o, _ := ctx.Value(outgoingKey{}).(*outgoing)
	n := &outgoing{}
	if o != nil {
		n.md = o.md
		n.added = o.added[:len(o.added):len(o.added)]
	}
	pairs := make([]string, len(kv))
	for i := 0; i < len(kv); i += 2 {
		pairs[i] = strings.ToLower(kv[i])
		pairs[i+1] = kv[i+1]
	}
	n.added = append(n.added, pairs)
	return context.WithValue(ctx, outgoingKey{}, n)
}

// OutgoingFromContext returns a copy of the outgoing metadata of ctx, and
// whether it has any.
func OutgoingFromContext(ctx context.Context) (MD, bool) {
	o, _ := ctx.Value(outgoingKey{}).(*outgoing)
	if o == nil {
		return nil, false
	}
	md := o.md.Copy()
	for _, pairs := range o.added {
		for i := 0; i < len(pairs); i += 2 {
			md[pairs[i]] = append(md[pairs[i]], pairs[i+1])
		}
	}
	return md, true
}

// RangeOutgoing calls f for each outgoing metadata value of ctx, keys as
// they were given to NewOutgoingContext or lowered by
// AppendToOutgoingContext, without copying. It reports whether ctx had
// outgoing metadata. Transports use it; users want OutgoingFromContext.
func RangeOutgoing(ctx context.Context, f func(k, v string)) bool {
	o, _ := ctx.Value(outgoingKey{}).(*outgoing)
	if o == nil {
		return false
	}
	for k, vs := range o.md {
		for _, v := range vs {
			f(k, v)
		}
	}
	for _, pairs := range o.added {
		for i := 0; i < len(pairs); i += 2 {
			f(pairs[i], pairs[i+1])
		}
	}
	return true
}

// ResponseMD receives the response metadata of a call: the response
// headers and the trailers, user metadata only (IsReservedHeader names
// are left out; "-bin" values decoded). Give it to a call with
// WithResponseMD; the client fills it before the call returns (unary) or
// as the stream's headers and trailers arrive (streaming: Header once the
// first response message or the end has been received, Trailer once Recv
// has returned an error or io.EOF).
type ResponseMD struct {
	Header, Trailer MD
	// RecvCompressed reports whether a unary call's response message had
	// the compressed flag (streams: RecvCompressed of the stream's
	// context).
	RecvCompressed bool
}

// responseKey is the context key of a call's *ResponseMD.
type responseKey struct{}

// WithResponseMD returns ctx asking the calls made with it to store their
// response headers and trailers in r. Concurrent calls must not share r.
func WithResponseMD(ctx context.Context, r *ResponseMD) context.Context {
	return context.WithValue(ctx, responseKey{}, r)
}

// ResponseMDFromContext returns the *ResponseMD given to WithResponseMD,
// or nil. Transports use it.
func ResponseMDFromContext(ctx context.Context) *ResponseMD {
	r, _ := ctx.Value(responseKey{}).(*ResponseMD)
	return r
}
