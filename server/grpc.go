package server

import (
	"bytes"
	"context"
	"io"
	"strings"

	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"

	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/internal/h2"
	"github.com/ospreyrpc/osprey/protocol/grpc"
	"github.com/ospreyrpc/osprey/service"
	"github.com/ospreyrpc/osprey/status"
)

// h2Preface is the HTTP/2 client connection preface (RFC 9113 §3.4): h2c
// with prior knowledge, as gRPC clients speak it without TLS.
var h2Preface = []byte("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")

// h2Protocol is HTTP/2 on the shared port (docs/spec/grpc.md §10), for
// gRPC. Until the gRPC layer lands, every gRPC call is answered
// UNIMPLEMENTED: no registered method has a gRPC form yet.
type h2Protocol struct{}

func (h2Protocol) match(prefix []byte) (func(*conn), int) {
	n := min(len(prefix), len(h2Preface))
	if !bytes.Equal(prefix[:n], h2Preface[:n]) {
		return nil, 0
	}
	if n < len(h2Preface) {
		return nil, len(h2Preface)
	}
	return serveH2, 0
}

// serveH2 serves an HTTP/2 connection. The HTTP/2 layer keeps its own
// timeouts (keepalive), so the sweeper leaves the connection alone; Stop
// closes it gracefully with a GOAWAY. It returns once the connection first
// waits for bytes: from then on the HTTP/2 layer reads on goroutines of
// its own, and ends the connection (c.end) when it closes.
func serveH2(c *conn) {
	read := bytes.Clone(c.rd.Buf.Buffered()) // what detection read
	c.rd.Buf.Release(true)
	hc, err := h2.NewConn(c.nc, io.MultiReader(bytes.NewReader(read), c.nc), h2.DefaultConfig(), h2Handler{c})
	if err != nil {
		c.s.opts.logger.Error("osprey: HTTP/2 connection", "remote", c.remote, "err", err)
		return
	}
	if !c.state.CompareAndSwap(stateIdle, stateOwn) && !c.state.CompareAndSwap(stateReading, stateOwn) {
		return // closed by Stop or the sweeper
	}
	c.h2.Store(hc)
	if c.s.draining.Load() {
		go hc.GracefulClose(context.Background())
	}
	c.detached = true // hc.Start returns while the connection is open
	hc.Start(func(err error) {
		if err != nil {
			c.s.opts.logger.Debug("osprey: HTTP/2 connection ended", "remote", c.remote, "err", err)
		}
		c.end()
	})
}

// h2Handler serves a connection's HTTP/2 streams, each allocated with
// its gRPC call state.
type h2Handler struct{ c *conn }

func (h h2Handler) ServeStream(st *h2.Stream) { h.c.serveH2Stream(st) }

// grpcH2Stream is an HTTP/2 stream and the state of the gRPC call on it,
// in one allocation.
type grpcH2Stream struct {
	st h2.Stream
	ss grpcServerStream
}

func (h2Handler) NewStream() (any, *h2.Stream) {
	x := new(grpcH2Stream)
	return x, &x.st
}

// serveH2Stream answers one HTTP/2 request. A panic ends the stream with
// RST_STREAM(INTERNAL_ERROR), logged; the connection goes on.
func (c *conn) serveH2Stream(st *h2.Stream) {
	s := c.s
	defer func() {
		if r := recover(); r != nil {
			s.panicked(st.Context(), r)
			st.Reset(http2.ErrCodeInternal)
		}
	}()
	req, err := parseGRPCRequest(st.Header())
	if !req.isGRPC() {
		st.WriteTrailer([]hpack.HeaderField{{Name: ":status", Value: "415"}})
		return
	}
	if err != nil {
		writeGRPCStatus(st, s.opts.grpc.accept, status.Convert(err))
		return
	}
	svc, method := s.splitGRPCPath(req.path)
	var msg string
	if _, ok := s.methods.services[svc]; !ok {
		msg = "unknown service " + svc
	} else if m, err := s.methods.lookup(svc, method); err != nil {
		msg = "unknown method " + method + " of service " + svc
	} else if call := m.desc.NewCall(); m.desc.Kind != service.Unary || grpc.Body(call.Args) && grpc.Body(call.Result) {
		adm, ok := c.admitGRPC(st, m)
		if !ok {
			return
		}
		defer adm.release() // a stream counts while open
		if m.desc.Kind != service.Unary {
			c.serveGRPCStream(st, &req, m, call)
		} else {
			c.serveGRPCUnary(st, &req, m, call)
		}
		return
	} else {
		msg = "method " + method + " of service " + svc + " cannot be called over gRPC yet"
	}
	writeGRPCStatus(st, s.opts.grpc.accept, status.New(codes.Unimplemented, msg))
}

// admitGRPC asks the limiters to admit a call of m on st, before any of
// its request is read, and answers a refused call trailers-only with
// RESOURCE_EXHAUSTED (docs/spec/grpc.md §11).
func (c *conn) admitGRPC(st *h2.Stream, m *method) (admission, bool) {
	adm, refused := c.s.admit(m, c.remote)
	if refused != "" {
		writeGRPCStatus(st, c.s.opts.grpc.accept, status.New(codes.ResourceExhausted, refused))
		return adm, false
	}
	return adm, true
}

// splitGRPCPath splits "/package.Service/Method" into a registered
// service's name (the full name, or else the name without the package, as
// Thrift IDL spells services) and the method.
func (s *Server) splitGRPCPath(path string) (service, method string) {
	path = strings.TrimPrefix(path, "/")
	full, method, _ := strings.Cut(path, "/")
	if _, ok := s.methods.services[full]; ok {
		return full, method
	}
	if i := strings.LastIndexByte(full, '.'); i >= 0 {
		return full[i+1:], method
	}
	return full, method
}
