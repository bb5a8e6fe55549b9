package client

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync/atomic"
	"time"

	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/internal/thriftio"
	"github.com/ospreyrpc/osprey/internal/ttmeta"
	"github.com/ospreyrpc/osprey/loadbalance"
	"github.com/ospreyrpc/osprey/metainfo"
	"github.com/ospreyrpc/osprey/protocol/thrift"
	"github.com/ospreyrpc/osprey/protocol/ttheader"
	"github.com/ospreyrpc/osprey/rpcinfo"
	"github.com/ospreyrpc/osprey/status"
)

// attempt is one attempt of a call: what the transports need of it. Each
// transport checks that args and result are of the kinds it can send
// (thrift.Struct for Thrift, protobuf messages for gRPC).
type attempt struct {
	ri     *rpcinfo.Info
	args   any
	result any
	// abort, if not nil, is closed when another attempt of the same call
	// (a backup request) has replied first: the transport gives up on this
	// one as it would on a cancelled context, returning errAborted.
	abort chan struct{}
	// picked, if not nil, is told the node the attempt goes to.
	picked *atomic.Pointer[loadbalance.Node]
}

// closed reports whether ch (an attempt's abort channel, or nil) is
// closed.
func closed(ch chan struct{}) bool {
	if ch == nil {
		return false
	}
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// stopped returns the error of an attempt whose wait ended early: the
// context's, or else errAborted.
func stopped(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return contextError(ctx, err)
	}
	return errAborted
}

// errAborted ends an attempt that lost to another attempt of its call.
var errAborted = status.New(codes.Canceled, "client: attempt abandoned: another attempt of the call replied first")

// prepare checks a call once before its first attempt.
func (t *target) prepare(ctx context.Context, ri *rpcinfo.Info) error {
	if err := ctx.Err(); err != nil {
		return contextError(ctx, err)
	}
	if !ri.Start.Before(ri.Deadline) {
		return status.New(codes.DeadlineExceeded, "client: deadline passed before the call was sent").WithNotSent()
	}
	if err := t.takeMetadata(ctx, ri); err != nil {
		return status.Wrap(codes.InvalidArgument, fmt.Errorf("client: %s: %w", ri.Method, err)).WithNotSent()
	}
	return nil
}

// takeMetadata makes ri's metadata the context's, which middleware may have
// added to, and checks its size.
func (t *target) takeMetadata(ctx context.Context, ri *rpcinfo.Info) error {
	if md := metainfo.FromContext(ctx); md != &ri.Metadata {
		ri.Metadata = md.ForCall()
	}
	return ri.Metadata.Check(t.opts.maxMetadataSize)
}

// send makes one attempt: it picks an instance, preferring one not in
// avoid (the instances earlier attempts of the call went to), and sends
// the attempt on its transport. It returns the node it picked, if any.
func (t *target) send(ctx context.Context, a attempt, avoid []*loadbalance.Node) (*loadbalance.Node, error) {
	ri := a.ri
	node, err := t.pickAvoiding(ctx, ri, avoid)
	if err != nil {
		return nil, err
	}
	ri.Instance = node.Instance
	if a.picked != nil {
		a.picked.Store(node)
	}
	node.Start()
	err = node.Transport.(transport).call(ctx, t, a)
	now := ri.End // set by the transport when the reply came
	if now.IsZero() {
		now = time.Now()
	}
	node.End(now.Sub(ri.Start), isFailure(err))
	if err != nil && !now.Before(ri.Deadline) && status.IsRemote(err) && !status.IsBusiness(err) {
		// The callee got the deadline too (TTHeader), never earlier than
		// ours, and gave up on it: what the caller sees is its deadline.
		if d, ok := ctx.Deadline(); ok && !now.Before(d) {
			return node, contextError(ctx, context.DeadlineExceeded)
		}
		return node, status.Wrap(codes.DeadlineExceeded, fmt.Errorf("client: %s: call timed out: %w", ri.Method, err))
	}
	return node, err
}

// isFailure reports whether an attempt's error counts against the
// instance and the method's breaker: the instance could not be reached,
// broke the connection or timed out (Unavailable, DeadlineExceeded,
// Internal, from this side), or said it is unavailable, overloaded or too
// slow. Business errors, errors the handler returned (a Thrift
// application exception: remote Internal), the caller's cancellation and
// an attempt abandoned for a backup do not count.
func isFailure(err error) bool {
	if err == nil {
		return false
	}
	code := status.Code(err)
	if status.IsRemote(err) {
		return !status.IsBusiness(err) && (code == codes.Unavailable || code == codes.ResourceExhausted || code == codes.DeadlineExceeded)
	}
	return code == codes.Unavailable || code == codes.DeadlineExceeded || code == codes.Internal
}

// pickAvoiding picks a node for an attempt, trying again (a few times)
// when the picker returns one in avoid.
func (t *target) pickAvoiding(ctx context.Context, ri *rpcinfo.Info, avoid []*loadbalance.Node) (*loadbalance.Node, error) {
	node, err := t.pick(ctx, ri)
	for try := 0; err == nil && try < 3 && slices.Contains(avoid, node); try++ {
		node, err = t.pick(ctx, ri)
	}
	return node, err
}

// codecs is the scratch one goroutine needs to encode a request or decode
// a reply.
type codecs struct {
	codec   thrift.Codec
	hdr     ttheader.Header
	scratch ttmeta.Scratch
}

func newCodecs(enc thrift.Encoding) *codecs {
	c := new(codecs)
	c.codec.Init(enc)
	return c
}

// encodeRequest builds the request message of an attempt with sequence id
// seq, in the client's framing, into a buffer from bufpool.
func (t *target) encodeRequest(cs *codecs, a *attempt, seq int32, now time.Time) (*[]byte, error) {
	req, ok := a.args.(thrift.Struct)
	if !ok {
		return nil, status.Errorf(codes.Internal, "client: %s arguments %T are not a thrift.Struct", a.ri.Method, a.args).WithNotSent()
	}
	typ := thrift.MessageCall
	if a.ri.Oneway {
		typ = thrift.MessageOneway
	}
	if !t.opts.ttheader {
		p, err := thriftio.Encode(&cs.codec, t.opts.framing, a.ri.Method, typ, seq, req)
		if err != nil {
			return nil, encodeError(a.ri.Method, err)
		}
		return p, nil
	}
	h := &cs.hdr
	h.Reset()
	h.SeqID = seq
	if t.opts.encoding == thrift.Compact {
		h.Protocol = ttheader.ProtocolCompact
	}
	ttmeta.Request(h, &cs.scratch, a.ri, now)
	if t.opts.muxConns > 0 {
		h.AddStr(ttmeta.MuxKey, "1")
	}
	p, err := thriftio.EncodeTTHeader(&cs.codec, h, t.opts.framing == thrift.Framed, a.ri.Method, typ, seq, req)
	if err != nil {
		return nil, encodeError(a.ri.Method, err)
	}
	return p, nil
}

// encodeError is the error of a request that could not be encoded: nothing
// was written, and the connection stays good.
func encodeError(method string, err error) error {
	code := codes.Internal // the request itself is invalid, such as a nil required field
	if !errors.Is(err, thrift.ErrMissingField) {
		code = codes.InvalidArgument // metadata the header cannot carry
	}
	return status.Wrap(code, fmt.Errorf("client: encode request for %s: %w", method, err)).WithNotSent()
}

// decodeReply decodes the reply message msg (framed: without its length)
// of an attempt into its result. A *transportError means the connection
// can no longer be trusted; any other error is the call's result. reset
// says the server is closing the connection (TTHeader's crrst): the call
// is done, but the connection must not be used again.
func (t *target) decodeReply(cs *codecs, a *attempt, msg []byte, seq int32) (reset bool, err error) {
	ri := a.ri
	var biz error
	if t.opts.ttheader {
		payload, err := ttheader.Decode(&cs.hdr, msg, ttheader.DefaultLimits())
		if err != nil {
			return reset, broken(codes.Internal, "client: malformed TTHeader in reply to %s: %w", ri.Method, err)
		}
		if t.opts.framing == thrift.Framed {
			payload, _ = ttheader.Unframe(payload)
		}
		msg = payload
		biz, reset = ttmeta.ReadReply(&cs.hdr, &ri.Metadata)
	}
	name, mtype, rseq, err := cs.codec.ReadMessageBegin(msg)
	switch {
	case err != nil:
		return reset, broken(codes.Internal, "client: malformed reply to %s: %w", ri.Method, err)
	case string(name) != ri.Method:
		return reset, broken(codes.Internal, "client: reply names method %q, want %q", name, ri.Method)
	case rseq != seq:
		return reset, broken(codes.Internal, "client: reply to %s has sequence id %d, want %d", ri.Method, rseq, seq)
	}
	switch mtype {
	case thrift.MessageException:
		var exc thrift.ApplicationException
		if err := cs.codec.ReadBody(&exc); err != nil {
			return reset, broken(codes.Internal, "client: malformed exception in reply to %s: %w", ri.Method, err)
		}
		return reset, exc.Status()
	case thrift.MessageReply:
		res, ok := a.result.(thrift.Result)
		if !ok {
			return reset, broken(codes.Internal, "client: %s result %T is not a thrift.Result", ri.Method, a.result)
		}
		if err := cs.codec.ReadBody(res); err != nil {
			return reset, broken(codes.Internal, "client: cannot decode reply to %s: %w", ri.Method, err)
		}
		if biz != nil {
			return reset, biz
		}
		if exc := res.ThriftException(); exc != nil {
			return reset, exc
		}
		return reset, nil
	}
	return reset, broken(codes.Internal, "client: reply to %s has message type %v", ri.Method, mtype)
}

// transportError is a failure after which the connection is unusable.
type transportError struct{ status *status.Error }

func (e *transportError) Error() string { return e.status.Error() }

func broken(code codes.Code, format string, args ...any) error {
	return &transportError{status.Errorf(code, format, args...)}
}
