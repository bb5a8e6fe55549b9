package server

import (
	"context"
	"io"
	"time"

	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/endpoint"
	"github.com/ospreyrpc/osprey/internal/h2"
	"github.com/ospreyrpc/osprey/protocol/grpc"
	"github.com/ospreyrpc/osprey/rpcinfo"
	"github.com/ospreyrpc/osprey/service"
	"github.com/ospreyrpc/osprey/status"
)

// serveGRPCStream serves a streaming gRPC call of m on st: the handler
// runs over a Stream whose messages are the request stream's and the
// response's (docs/spec/grpc.md).
func (c *conn) serveGRPCStream(st *h2.Stream, m *method, call service.Call) {
	start := time.Now()
	ctx, ri, h, err := c.grpcCallInfo(st, m, call, start)
	if err != nil {
		writeGRPCStatus(st, status.Convert(err), nil)
		return
	}
	defer h.Close()
	ss := newGRPCServerStream(st)
	ss.ctx = ctx
	err = m.sep(ctx, &endpoint.StreamCall{Stream: ss})
	if err != nil {
		se := status.Convert(err)
		if !ss.headerSent {
			writeGRPCStatus(st, se, ri.Backward())
			return
		}
		st.WriteTrailer(statusFields(se, ri.Backward()))
		return
	}
	if !ss.headerSent {
		writeGRPCStatus(st, status.New(codes.OK, ""), ri.Backward())
		return
	}
	st.WriteTrailer(statusFields(status.New(codes.OK, ""), ri.Backward()))
	ri.End = time.Now()
}

// grpcCallInfo reads a gRPC call's deadline and metadata from its request
// headers and starts its rpcinfo, whose context the handler gets.
func (c *conn) grpcCallInfo(st *h2.Stream, m *method, call service.Call, start time.Time) (context.Context, *rpcinfo.Info, *rpcinfo.Holder, error) {
	var deadline time.Time
	if v := st.Get("grpc-timeout"); v != "" {
		d, err := grpc.DecodeTimeout(v)
		if err != nil {
			return nil, nil, nil, status.Errorf(codes.Internal, "grpc: bad grpc-timeout %q: %v", v, err)
		}
		deadline = start.Add(d)
	}
	h := call.Info
	if h == nil {
		h = new(rpcinfo.Holder)
	}
	ctx, ri := h.InitDeadline(st.Context(), deadline)
	ri.Role, ri.Service, ri.Method = rpcinfo.Server, m.service, m.name
	ri.Protocol, ri.LocalAddr, ri.RemoteAddr = "grpc", c.local, c.remote
	ri.Start, ri.Attempt, ri.Deadline = start, 1, deadline
	ri.Metadata = incomingGRPCMetadata(st.Header())
	ri.EnableBackward()
	return ctx, ri, h, nil
}

func newGRPCServerStream(st *h2.Stream) *grpcServerStream {
	return &grpcServerStream{st: st, ctx: st.Context(), buf: make([]byte, 16<<10)}
}

// grpcServerStream is a streaming call's endpoint.Stream on the server;
// a unary call reads its one request through it too.
type grpcServerStream struct {
	st         *h2.Stream
	ctx        context.Context
	mr         grpc.MessageReader
	buf        []byte
	eof        bool
	headerSent bool
	read       int // request bytes read, framing included
}

func (s *grpcServerStream) Context() context.Context { return s.ctx }

// Send sends one response message, m a grpc.Marshaler or proto.Message
// (grpc.AppendBody); the first also sends the response headers.
func (s *grpcServerStream) Send(m any) error {
	payload, err := grpc.AppendBody(nil, m)
	if err != nil {
		return status.Wrap(codes.Internal, err)
	}
	if !s.headerSent {
		if err := s.st.WriteHeader(responseHeaders); err != nil {
			return status.Wrap(codes.Unavailable, err)
		}
		s.headerSent = true
	}
	if _, err := s.st.Write(grpc.AppendMessage(make([]byte, 0, grpc.MessageHeaderLen+len(payload)), false, payload)); err != nil {
		return status.Wrap(codes.Unavailable, err)
	}
	return nil
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
			if compressed {
				if msg, err = grpc.Decompress(s.st.Get("grpc-encoding"), msg, 0); err != nil {
					return err
				}
			}
			if err := grpc.UnmarshalBody(msg, m); err != nil {
				return status.Errorf(codes.Internal, "grpc: cannot decode a request message: %v", err)
			}
			return nil
		}
		if s.eof {
			if err := s.mr.Close(); err != nil {
				return err
			}
			return io.EOF
		}
		n, err := s.st.Read(s.buf)
		s.read += n
		if n > 0 {
			s.mr.Feed(s.buf[:n]) // consumed by Next before the next Read
		}
		if err == io.EOF {
			s.eof = true
		} else if err != nil {
			return status.Wrap(codes.Canceled, err)
		}
	}
}

// CloseSend does nothing on a server: the handler's return ends the
// response.
func (s *grpcServerStream) CloseSend() error { return nil }
