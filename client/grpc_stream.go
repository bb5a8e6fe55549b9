package client

import (
	"context"
	"io"
	"sync"
	"time"

	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"

	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/endpoint"
	"github.com/ospreyrpc/osprey/internal/h2"
	"github.com/ospreyrpc/osprey/loadbalance"
	"github.com/ospreyrpc/osprey/protocol/grpc"
	"github.com/ospreyrpc/osprey/rpcinfo"
	"github.com/ospreyrpc/osprey/status"
)

// openStream is the innermost stream endpoint: it picks an instance and
// opens the call's HTTP/2 stream on it.
func (t *target) openStream(ctx context.Context, call *endpoint.StreamCall) error {
	ri := rpcinfo.FromContext(ctx)
	if ri == nil {
		return status.New(codes.Internal, "client: stream context carries no rpcinfo").WithNotSent()
	}
	if err := t.takeMetadata(ctx, ri); err != nil {
		return status.Wrap(codes.InvalidArgument, err).WithNotSent()
	}
	if err := ctx.Err(); err != nil {
		return contextError(ctx, err)
	}
	deadline := ri.Deadline
	if deadline.IsZero() {
		ri.Deadline = ri.Start.Add(t.opts.callTimeout) // bounds the wait for instances and the dial
	}
	dialBy := ri.Deadline
	// A stream that could not be opened on an instance (a refused dial, a
	// refused stream) was certainly not sent: it is opened on another
	// one, a few times, as long as the dial deadline allows.
	var tried [maxStreamOpens]*loadbalance.Node
	var cs *grpcClientStream
	for n := 0; ; n++ {
		ri.Deadline = dialBy // the pick waits for the resolver until then
		node, err := t.pickAvoiding(ctx, ri, tried[:n])
		ri.Deadline = deadline
		if err != nil {
			return err
		}
		p, ok := node.Transport.(*grpcPool)
		if !ok {
			return status.New(codes.Unimplemented, "client: streaming calls need the gRPC transport").WithNotSent()
		}
		ri.Instance = node.Instance
		node.Start()
		cs, err = p.openStream(ctx, ri, dialBy)
		if err == nil {
			cs.node = node
			break
		}
		node.End(time.Since(ri.Start), isFailure(err))
		if n+1 == maxStreamOpens || !status.IsNotSent(err) || ctx.Err() != nil || !time.Now().Before(dialBy) {
			return err
		}
		tried[n] = node
	}
	call.Stream = cs
	return nil
}

// maxStreamOpens bounds the instances a stream is tried on before it is
// opened.
const maxStreamOpens = 3

// openStream opens a streaming call's HTTP/2 stream: headers only.
func (p *grpcPool) openStream(ctx context.Context, ri *rpcinfo.Info, dialBy time.Time) (*grpcClientStream, error) {
	comp, err := p.sendCompressor(ctx)
	if err != nil {
		return nil, err
	}
	var fa [16]hpack.HeaderField
	fields, err := p.requestFields(fa[:0], ctx, ri, compName(comp))
	if err != nil {
		return nil, err
	}
	req := h2.Request{Fields: fields, Stop: ctx.Done()}
	if !ri.Deadline.IsZero() {
		req.Fields, req.Raw, req.RawSize = p.appendTimeout(req.Fields, nil, time.Until(ri.Deadline))
	}
	s, cc, err := p.open(ctx, &req, dialBy)
	if err != nil {
		return nil, err
	}
	ri.LocalAddr, ri.RemoteAddr = cc.LocalAddr(), cc.RemoteAddr()
	cs := &grpcClientStream{p: p, s: s, ctx: ctx, ri: ri, comp: comp, md: grpc.ResponseMDFromContext(ctx)}
	ri.Transport = cs // grpc.MessageFlags through the stream's context
	cs.mr.MaxSize = p.t.opts.grpcMaxMessageSize()
	cs.stop = context.AfterFunc(ctx, func() {
		s.Reset(http2.ErrCodeCancel)
		p.streamEnded()
	})
	return cs, nil
}

// grpcClientStream is a streaming call's endpoint.Stream on the client.
type grpcClientStream struct {
	p    *grpcPool
	s    *h2.ClientStream
	ctx  context.Context
	ri   *rpcinfo.Info
	node *loadbalance.Node
	comp grpc.Compressor
	md   *grpc.ResponseMD
	stop func() bool // stops the reset on ctx's end

	// Send's
	sendBuf  []byte
	sendDone bool
	plain    bool // SetMessageCompression(false)

	// Recv's
	lastComp bool // the last response message had the compressed flag
	rs       respState
	mr       grpc.MessageReader
	fed      int // bytes of the stream's data fed to mr, not yet consumed

	mu       sync.Mutex
	finished bool
	final    error // Recv's result once finished
}

func (cs *grpcClientStream) Context() context.Context { return cs.ctx }

// SetMessageCompression turns compression of the following request
// messages off or back on (grpc.MessageFlags); Send's goroutine calls it.
func (cs *grpcClientStream) SetMessageCompression(on bool) { cs.plain = !on }

// RecvCompressed reports whether the last response message was compressed
// (grpc.MessageFlags); Recv's goroutine calls it.
func (cs *grpcClientStream) RecvCompressed() bool { return cs.lastComp }

// Send sends one request message m (a protobuf message). It returns io.EOF
// when the server has ended the call (Recv returns its status), and the
// context's error once ctx has ended.
func (cs *grpcClientStream) Send(m any) error {
	if cs.sendDone {
		return status.New(codes.Internal, "client: Send after CloseSend")
	}
	comp := cs.comp
	if cs.plain {
		comp = nil
	}
	buf, err := encodeMessage(cs.sendBuf[:0], m, comp)
	if err != nil {
		return status.Convert(err)
	}
	cs.sendBuf = buf
	if err := cs.s.Write(buf, false, cs.ctx.Done()); err != nil {
		if cs.ctx.Err() != nil {
			return contextError(cs.ctx, cs.ctx.Err())
		}
		return io.EOF
	}
	cs.ri.BytesOut += len(buf)
	if cap(cs.sendBuf) > 64<<10 {
		cs.sendBuf = nil
	}
	return nil
}

// CloseSend ends the request stream.
func (cs *grpcClientStream) CloseSend() error {
	if cs.sendDone {
		return nil
	}
	cs.sendDone = true
	if err := cs.s.CloseSend(); err != nil && cs.ctx.Err() != nil {
		return contextError(cs.ctx, cs.ctx.Err())
	}
	return nil
}

// Recv receives the next response message into m. It returns io.EOF when
// the call ended with OK, and the call's status otherwise; again on every
// later call.
func (cs *grpcClientStream) Recv(m any) error {
	cs.mu.Lock()
	if cs.finished {
		cs.mu.Unlock()
		return cs.final
	}
	cs.mu.Unlock()
	err := cs.recv(m)
	if err != nil {
		cs.finish(err)
		cs.mu.Lock()
		err = cs.final
		cs.mu.Unlock()
	}
	return err
}

func (cs *grpcClientStream) recv(m any) error {
	p, s := cs.p, cs.s
	for {
		if !cs.rs.gotHeader {
			fields, ok, err := s.Header()
			switch {
			case ok:
				if err := p.header(&cs.rs, fields, s.TrailersOnly(), cs.md); err != nil {
					return err
				}
			case err != nil:
				return p.streamError(cs.ctx, err, "receive from")
			}
		}
		if cs.rs.gotHeader {
			if cs.fed > 0 {
				msg, compressed, ok, err := cs.mr.Next()
				if err != nil {
					return err
				}
				if ok {
					cs.lastComp = compressed
					return decodeMessage(&cs.rs, msg, compressed, m, cs.mr.MaxSize)
				}
				s.Consume(cs.fed)
				cs.fed = 0
			}
			data, err := s.Data()
			if len(data) > 0 {
				cs.ri.BytesIn += len(data)
				cs.mr.Feed(data)
				cs.fed = len(data)
				continue
			}
			if err == io.EOF {
				if err := cs.mr.Close(); err != nil {
					return err
				}
				if err := p.trailer(s.Trailer(), s.TrailersOnly(), cs.ri, cs.md); err != nil {
					return err
				}
				return io.EOF
			}
			if err != nil {
				return p.streamError(cs.ctx, err, "receive from")
			}
		}
		select {
		case <-s.Ready():
		case <-cs.ctx.Done():
			return contextError(cs.ctx, cs.ctx.Err())
		}
	}
}

// finish ends the call once with err (io.EOF for OK): the stream is
// reset if still open, and the load balancer learns how long it took and
// whether it failed for the instance's sake.
func (cs *grpcClientStream) finish(err error) {
	cs.mu.Lock()
	if cs.finished {
		cs.mu.Unlock()
		return
	}
	cs.finished, cs.final = true, err
	cs.mu.Unlock()
	cs.stop()
	cs.s.Reset(http2.ErrCodeCancel) // nothing if it has closed
	cs.p.streamEnded()
	cs.ri.End = time.Now()
	if cs.node != nil {
		cs.node.End(cs.ri.End.Sub(cs.ri.Start), isFailure(err))
	}
}
