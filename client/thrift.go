package client

import (
	"context"
	"fmt"
	"time"

	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/internal/bufpool"
	"github.com/ospreyrpc/osprey/internal/thriftio"
	"github.com/ospreyrpc/osprey/protocol/thrift"
	"github.com/ospreyrpc/osprey/rpcinfo"
	"github.com/ospreyrpc/osprey/status"
)

// aLongTimeAgo is a deadline that has passed, to interrupt blocked I/O.
var aLongTimeAgo = time.Unix(1, 0)

// send is the innermost endpoint: one Thrift round trip on a pooled
// connection.
func (c *Client) send(ctx context.Context, args, result any) error {
	ri := rpcinfo.FromContext(ctx)
	if ri == nil {
		return status.New(codes.Internal, "client: call context carries no rpcinfo")
	}
	req, ok := args.(thrift.Struct)
	if !ok {
		return status.Errorf(codes.Internal, "client: %s arguments %T are not a thrift.Struct", ri.Method, args)
	}
	if err := ctx.Err(); err != nil {
		return contextError(ctx, err)
	}
	if !ri.Start.Before(ri.Deadline) {
		return status.New(codes.DeadlineExceeded, "client: deadline passed before the call was sent")
	}
	cc, err := c.pool.get(ctx, ri.Start, ri.Deadline)
	if err != nil {
		if ctx.Err() != nil {
			return contextError(ctx, ctx.Err())
		}
		return status.Wrap(codes.Unavailable, fmt.Errorf("client: connect to %s: %w", c.pool.addr, err))
	}
	ri.LocalAddr, ri.RemoteAddr = cc.local, cc.remote
	ri.SeqID = cc.nextSeq()
	if err := cc.nc.SetDeadline(ri.Deadline); err != nil {
		cc.close()
		return status.Wrap(codes.Unavailable, err)
	}
	var stop func() bool
	if ctx.Done() != nil {
		stop = context.AfterFunc(ctx, func() { cc.nc.SetDeadline(aLongTimeAgo) })
	}
	err = c.roundTrip(cc, ri, req, result)
	if stop != nil && !stop() {
		// Cancellation raced with the end of the call and may still move
		// the deadline: the connection cannot be trusted.
		cc.close()
		if err == nil {
			return nil
		}
		return contextError(ctx, ctx.Err())
	}
	// roundTrip returns a *transportError itself, never wrapped.
	if te, ok := err.(*transportError); ok {
		cc.close()
		if ctx.Err() != nil {
			return contextError(ctx, ctx.Err())
		}
		// The connection's deadline can fire just before the context's own
		// timer does; report the context's deadline all the same.
		if d, ok := ctx.Deadline(); ok && te.status.Code() == codes.DeadlineExceeded && !time.Now().Before(d) {
			return contextError(ctx, context.DeadlineExceeded)
		}
		return te.status
	}
	c.pool.put(cc, ri.End)
	return err
}

// transportError is a failure after which the connection is unusable.
type transportError struct{ status *status.Error }

func (e *transportError) Error() string { return e.status.Error() }

func broken(code codes.Code, format string, args ...any) error {
	return &transportError{status.Errorf(code, format, args...)}
}

// roundTrip writes the request and, unless the call is oneway, reads and
// decodes the reply. A *transportError means the connection must close;
// any other error is the call's result with the connection still good.
func (c *Client) roundTrip(cc *conn, ri *rpcinfo.Info, req thrift.Struct, result any) error {
	typ := thrift.MessageCall
	if ri.Oneway {
		typ = thrift.MessageOneway
	}
	p, err := thriftio.Encode(&cc.codec, c.opts.framing, ri.Method, typ, ri.SeqID, req)
	if err != nil {
		// Nothing was written: the connection stays good.
		ri.End = time.Now()
		return status.Errorf(codes.Internal, "client: encode request for %s: %w", ri.Method, err)
	}
	if cc.rc != nil && !ri.Oneway {
		var n int
		n, err = cc.rd.Buf.Exchange(cc.rc, *p)
		if err == nil && n < len(*p) {
			_, err = cc.nc.Write((*p)[n:])
		}
	} else {
		_, err = cc.nc.Write(*p)
	}
	ri.BytesOut = len(*p)
	bufpool.Put(p)
	if err != nil {
		return broken(ioCode(err), "client: send %s to %s: %w", ri.Method, c.pool.addr, err)
	}
	if ri.Oneway {
		ri.End = time.Now()
		return nil
	}
	defer func() { ri.End = time.Now() }()
	msg, n, err := cc.rd.Next()
	if err != nil {
		return broken(ioCode(err), "client: read reply to %s from %s: %w", ri.Method, c.pool.addr, err)
	}
	defer cc.rd.Done(n)
	ri.BytesIn = n
	name, mtype, seq, err := cc.codec.ReadMessageBegin(msg)
	switch {
	case err != nil:
		return broken(codes.Internal, "client: malformed reply to %s: %w", ri.Method, err)
	case string(name) != ri.Method:
		return broken(codes.Internal, "client: reply names method %q, want %q", name, ri.Method)
	case seq != ri.SeqID:
		return broken(codes.Internal, "client: reply to %s has sequence id %d, want %d", ri.Method, seq, ri.SeqID)
	}
	switch mtype {
	case thrift.MessageException:
		var exc thrift.ApplicationException
		if err := cc.codec.ReadBody(&exc); err != nil {
			return broken(codes.Internal, "client: malformed exception in reply to %s: %w", ri.Method, err)
		}
		return exc.Status()
	case thrift.MessageReply:
		res, ok := result.(thrift.Result)
		if !ok {
			return broken(codes.Internal, "client: %s result %T is not a thrift.Result", ri.Method, result)
		}
		if err := cc.codec.ReadBody(res); err != nil {
			return broken(codes.Internal, "client: cannot decode reply to %s: %w", ri.Method, err)
		}
		if exc := res.ThriftException(); exc != nil {
			return exc
		}
		return nil
	}
	return broken(codes.Internal, "client: reply to %s has message type %v", ri.Method, mtype)
}
