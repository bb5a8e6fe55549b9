package server

import (
	"context"
	"io"
	"sync"
	"time"

	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/endpoint"
	"github.com/ospreyrpc/osprey/internal/bufpool"
	"github.com/ospreyrpc/osprey/internal/h2"
	"github.com/ospreyrpc/osprey/protocol/grpc"
	"github.com/ospreyrpc/osprey/rpcinfo"
	"github.com/ospreyrpc/osprey/service"
	"github.com/ospreyrpc/osprey/status"
)

// serveGRPCStream serves a streaming gRPC call of m on st: the handler
// runs over a Stream whose messages are the request stream's and the
// response's (docs/spec/grpc.md).
func (c *conn) serveGRPCStream(st *h2.Stream, req *grpcRequest, m *method, call service.Call) {
	start := time.Now()
	ss := c.newGRPCServerStream(st, req)
	if err := ss.checkEncoding(); err != nil {
		ss.finish(status.Convert(err), nil)
		return
	}
	ctx, ri, h := c.grpcCallInfo(ss, m, call, start)
	defer h.Close()
	err := m.sep(ctx, &endpoint.StreamCall{Stream: ss})
	ss.finish(status.Convert(err), ri.Backward())
	ri.End, ri.BytesIn, ri.BytesOut = time.Now(), ss.read, ss.written
}

// grpcCallInfo starts its rpcinfo, whose context the handler gets, with ss
// as the call's grpc.ServerTransport.
func (c *conn) grpcCallInfo(ss *grpcServerStream, m *method, call service.Call, start time.Time) (context.Context, *rpcinfo.Info, *rpcinfo.Holder) {
	var deadline time.Time
	if ss.req.hasTimeout {
		deadline = start.Add(ss.req.timeout)
	}
	h := call.Info
	if h == nil {
		h = new(rpcinfo.Holder)
	}
	ctx, ri := h.InitDeadline(ss.st.Context(), deadline)
	ri.Role, ri.Service, ri.Method = rpcinfo.Server, m.service, m.name
	ri.Protocol, ri.LocalAddr, ri.RemoteAddr = "grpc", c.local, c.remote
	ri.Start, ri.Attempt, ri.Deadline = start, 1, deadline
	ri.Metadata = incomingGRPCMetadata(ss.st.Header())
	ri.Transport = ss
	ri.EnableBackward()
	ss.ctx = ctx
	return ctx, ri, h
}

// newGRPCServerStream starts a call's stream, compressing responses with
// the server's default encoding if the client accepts it.
func (c *conn) newGRPCServerStream(st *h2.Stream, req *grpcRequest) *grpcServerStream {
	o := &c.s.opts.grpc
	x, _ := st.Owner().(*grpcH2Stream) // the stream's allocation holds the call's state
	if x == nil {
		x = new(grpcH2Stream)
	}
	s := &x.ss
	*s = grpcServerStream{st: st, req: *req, o: o, ctx: st.Context()}
	s.mr.MaxSize = o.maxRecv
	if n := o.sendCompression; n != "" && grpc.AcceptsEncoding(req.accept, n) {
		s.sendComp = o.compressors[n] // nil for "identity"
	}
	return s
}

// grpcServerStream is a gRPC call on the server: a streaming call's
// endpoint.Stream, the reader of a unary call's request, and the call's
// grpc.ServerTransport (grpc_call.go).
type grpcServerStream struct {
	st       *h2.Stream
	req      grpcRequest
	o        *grpcOptions
	ctx      context.Context
	mr       grpc.MessageReader
	rbuf     *[]byte // read buffer from the pool while the call reads; nil after
	eof      bool
	read     int             // request bytes read, framing included
	written  int             // response message bytes written, framing included
	recvComp grpc.Compressor // of the request's grpc-encoding; nil for none
	dbuf     []byte          // decompressed request message, reused
	lastComp bool            // the last request message had the compressed flag

	mu         sync.Mutex // guards the response state below
	headerSent bool
	done       bool // status sent
	header     grpc.MD
	trailer    grpc.MD
	sendComp   grpc.Compressor // nil: responses uncompressed
	plain      bool            // SetMessageCompression(false): send uncompressed
}

func (s *grpcServerStream) Context() context.Context { return s.ctx }

// Send sends one response message, m a grpc.Marshaler or proto.Message
// (grpc.AppendBody); the first also sends the response headers.
func (s *grpcServerStream) Send(m any) error {
	n, err := s.sendMsg(m)
	s.written += n
	return err
}

// Recv receives the next request message into m, a grpc.Unmarshaler or
// proto.Message (grpc.UnmarshalBody). It returns io.EOF once the client
// has ended its stream.
func (s *grpcServerStream) Recv(m any) error {
	for {
		msg, compressed, ok, err := s.mr.Next()
		if err != nil {
			return err
		}
		if ok {
			s.lastComp = compressed
			if compressed {
				if msg, err = s.decompress(msg); err != nil {
					return err
				}
			}
			if err := grpc.UnmarshalBody(msg, m); err != nil {
				return status.Errorf(codes.Internal, "grpc: cannot decode a request message: %v", err)
			}
			return nil
		}
		if s.eof {
			s.releaseReadBuf()
			if err := s.mr.Close(); err != nil {
				return err
			}
			return io.EOF
		}
		if s.rbuf == nil {
			s.rbuf = bufpool.Get(readBufSize)
		}
		buf := (*s.rbuf)[:cap(*s.rbuf)]
		n, err := s.st.Read(buf)
		s.read += n
		if n > 0 {
			s.mr.Feed(buf[:n]) // consumed by Next before the next Read
		}
		if err == io.EOF {
			s.eof = true
		} else if err != nil {
			return status.Wrap(codes.Canceled, err)
		}
	}
}

// readBufSize is the size of a call's read buffer: a DATA frame's payload
// at the default SETTINGS_MAX_FRAME_SIZE.
const readBufSize = 16 << 10

// releaseReadBuf returns the read buffer to the pool, once the request
// stream has ended or the call has.
func (s *grpcServerStream) releaseReadBuf() {
	if s.rbuf != nil {
		bufpool.Put(s.rbuf)
		s.rbuf = nil
	}
}

// CloseSend does nothing on a server: the handler's return ends the
// response.
func (s *grpcServerStream) CloseSend() error { return nil }
