package rpcinfo

import (
	"context"
	"net"
	"sync/atomic"
	"time"

	"github.com/ospreyrpc/osprey/discovery"
	"github.com/ospreyrpc/osprey/metainfo"
)

// Role says which side of a call an Info describes.
type Role uint8

const (
	// Client is the calling side.
	Client Role = iota + 1
	// Server is the called side.
	Server
)

// String returns "client" or "server".
func (r Role) String() string {
	switch r {
	case Client:
		return "client"
	case Server:
		return "server"
	}
	return "unknown"
}

// Info describes one call. See the package documentation for when each
// field is final.
type Info struct {
	// Role is the side this Info belongs to.
	Role Role
	// Service is the service name as the IDL spells it, such as "Echo".
	Service string
	// Method is the method name as the IDL spells it, such as "echo".
	Method string
	// Oneway is true for a call that has no reply.
	Oneway bool
	// Protocol names the wire format, such as "thrift/binary/framed" or
	// "thrift/compact/buffered".
	Protocol string
	// SeqID is the sequence id the call carries on the wire.
	SeqID int32
	// LocalAddr and RemoteAddr are the two ends of the connection that
	// carried the call, as seen from this side.
	LocalAddr, RemoteAddr net.Addr
	// Deadline is when the call times out; zero means none is known. On a
	// client it is the earlier of the context's deadline and the call
	// timeout.
	Deadline time.Time
	// Start is when the framework began the call on this side; End is when
	// it finished: the reply read (client) or written (server).
	Start, End time.Time
	// BytesIn and BytesOut count the bytes of this call received and sent on
	// this side, framing included.
	BytesIn, BytesOut int
	// CallerService is the name of the calling service, and CallerMethod
	// the method of it that made the call, when known: a client's
	// WithCallerName option and the handler it calls from; on a server,
	// what the protocol carried (TTHeader does).
	CallerService, CallerMethod string
	// LogID names the request chain this call belongs to, for logs: a
	// server reads it from the protocol (TTHeader key 2), and a client call
	// made from a handler carries the handler's on. A client middleware may
	// set it before the call is sent to start a chain.
	LogID string
	// CalleeService is the name of the called service as deployed (the
	// client's target service name), when known; Service is its IDL name.
	CalleeService string
	// Instance is the instance the attempt was sent to (client side); nil
	// before one is picked.
	Instance *discovery.Instance
	// Attempt numbers the attempts of one logical call, from 1; retries and
	// backup requests each get their own Info.
	Attempt int
	// Metadata is the call's metadata: what the client sends, or what the
	// server received (see package metainfo). Context lookups of package
	// metainfo find it.
	Metadata metainfo.Metadata
	// Transport is the protocol layer's own state for the call, which the
	// functions of that protocol's package find through the call's context
	// without a context value of their own: on a gRPC server it is the
	// call's grpc.ServerTransport, used by grpc.SetHeader and the rest. The
	// framework sets it; nil when the protocol keeps none. Users leave it
	// alone.
	Transport any
	// backward is where a server handler's backward values go; see
	// EnableBackward.
	backward atomic.Pointer[metainfo.Sink]
}

// EnableBackward lets the server handler of the call send backward metadata
// (metainfo.SendBackward), collected in the Info; Backward returns it.
func (i *Info) EnableBackward() { i.Metadata.SendTo(&i.backward) }

// Backward returns the backward metadata the handler sent.
func (i *Info) Backward() []metainfo.Pair { return i.backward.Load().Pairs() }

// Caller returns the address of the calling side.
func (i *Info) Caller() net.Addr {
	if i.Role == Server {
		return i.RemoteAddr
	}
	return i.LocalAddr
}

// Callee returns the address of the called side.
func (i *Info) Callee() net.Addr {
	if i.Role == Server {
		return i.LocalAddr
	}
	return i.RemoteAddr
}

// Duration returns End - Start, or zero if the call has not ended.
func (i *Info) Duration() time.Duration {
	if i.End.IsZero() {
		return 0
	}
	return i.End.Sub(i.Start)
}

type ctxKey struct{}

// infoCtx is a context carrying an Info, allocated as one object. With a
// deadline of its own (InitDeadline) it also ends at that deadline; see
// deadline.go.
type infoCtx struct {
	context.Context
	info Info
	dl   deadline
}

func (c *infoCtx) Value(key any) any {
	switch key {
	case ctxKey{}:
		return &c.info
	case metainfo.ContextKey{}:
		return &c.info.Metadata
	}
	return c.Context.Value(key)
}

// Holder is storage for one call's Info and the context that carries it.
// Frameworks embed it in a larger per-call allocation (with the call's
// request and response) so a call costs one allocation; its zero value is
// ready for Init. A Holder must not be reused for another call.
type Holder struct {
	c infoCtx
}

// Init starts the holder for a call under parent and returns the context
// that carries its Info, and that Info for the caller to fill.
func (h *Holder) Init(parent context.Context) (context.Context, *Info) {
	h.c.Context = parent
	return &h.c, &h.c.info
}

// InitDeadline is Init for a call that must end at deadline, such as a
// server call whose caller sent its deadline: the context reports deadline
// from Deadline, and its Done channel closes then, or when parent ends.
// Nothing is allocated until someone asks for Done. A zero deadline, or one
// later than parent's, leaves parent's in force. Call Close when the call
// ends.
func (h *Holder) InitDeadline(parent context.Context, deadline time.Time) (context.Context, *Info) {
	ctx, info := h.Init(parent)
	if !deadline.IsZero() {
		if pd, ok := parent.Deadline(); !ok || deadline.Before(pd) {
			h.c.dl.at = deadline
		}
	}
	return ctx, info
}

// Close ends the context of a call started with InitDeadline, with
// context.Canceled if it has not ended yet, and stops its timer. It does
// nothing for a call without a deadline of its own.
func (h *Holder) Close() { h.c.close() }

// NewContext returns a child of parent that carries a new, empty Info, and
// that Info for the caller to fill. Both come from a single allocation.
func NewContext(parent context.Context) (context.Context, *Info) {
	return new(Holder).Init(parent)
}

// FromContext returns the Info of the call ctx belongs to, or nil if ctx
// carries none.
func FromContext(ctx context.Context) *Info {
	if c, ok := ctx.(*infoCtx); ok {
		return &c.info
	}
	info, _ := ctx.Value(ctxKey{}).(*Info)
	return info
}
