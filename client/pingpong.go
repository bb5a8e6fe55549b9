package client

import (
	"context"
	"fmt"
	"time"

	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/internal/bufpool"
	"github.com/ospreyrpc/osprey/status"
)

// call makes an attempt on a pooled connection: one request, one reply.
func (p *pool) call(ctx context.Context, t *target, a attempt) error {
	ri := a.ri
	cc, err := p.get(ctx, ri.Start, ri.Deadline)
	if err != nil {
		if ctx.Err() != nil {
			return contextError(ctx, ctx.Err())
		}
		return status.Wrap(codes.Unavailable, fmt.Errorf("client: connect to %s: %w", p.addr, err)).WithNotSent()
	}
	ri.LocalAddr, ri.RemoteAddr = cc.local, cc.remote
	seq := cc.nextSeq()
	ri.SeqID = seq
	if err := cc.nc.SetDeadline(ri.Deadline); err != nil {
		cc.close()
		return status.Wrap(codes.Unavailable, err).WithNotSent()
	}
	// A context with a deadline can be cancelled; asking it for Done would
	// make it allocate its channel.
	_, watched := ctx.Deadline()
	if !watched {
		watched = a.abort != nil || ctx.Done() != nil
	}
	if watched {
		p.cw.watch(cc, ctx, a.abort)
	}
	reset, err := p.roundTrip(t, cc, &a, seq)
	if watched && p.cw.unwatch(cc) {
		// The watch moved the deadline: the connection cannot be trusted.
		cc.close()
		if err == nil {
			return nil
		}
		return stopped(ctx)
	}
	// roundTrip returns a *transportError itself, never wrapped.
	if te, ok := err.(*transportError); ok {
		cc.close()
		if ctx.Err() != nil || closed(a.abort) {
			return stopped(ctx)
		}
		// The connection's deadline can fire just before the context's own
		// timer does; report the context's deadline all the same.
		if d, ok := ctx.Deadline(); ok && te.status.Code() == codes.DeadlineExceeded && !time.Now().Before(d) {
			return contextError(ctx, context.DeadlineExceeded)
		}
		return te.status
	}
	if reset {
		cc.close() // the server is closing it
		return err
	}
	p.put(cc, ri.End)
	return err
}

// roundTrip writes the request and, unless the call is oneway, reads and
// decodes the reply. A *transportError means the connection must close;
// any other error is the call's result with the connection still good.
func (p *pool) roundTrip(t *target, cc *conn, a *attempt, seq int32) (reset bool, err error) {
	ri := a.ri
	req, err := t.encodeRequest(cc.cs, a, seq, ri.Start)
	if err != nil {
		return false, err
	}
	if cc.rc != nil && !ri.Oneway {
		var n int
		n, err = cc.rd.Buf.Exchange(cc.rc, *req)
		if err == nil && n < len(*req) {
			_, err = cc.nc.Write((*req)[n:])
		}
	} else {
		_, err = cc.nc.Write(*req)
	}
	ri.BytesOut = len(*req)
	bufpool.Put(req)
	if err != nil {
		return false, broken(ioCode(err), "client: send %s to %s: %w", ri.Method, p.addr, err)
	}
	if ri.Oneway {
		ri.End = time.Now()
		return false, nil
	}
	defer func() { ri.End = time.Now() }()
	msg, n, err := cc.rd.Next()
	if err != nil {
		return false, broken(ioCode(err), "client: read reply to %s from %s: %w", ri.Method, p.addr, err)
	}
	defer cc.rd.Done(n)
	ri.BytesIn = n
	return t.decodeReply(cc.cs, a, msg, seq)
}
