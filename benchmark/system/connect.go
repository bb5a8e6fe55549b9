package system

import (
	"context"
	"net"
	"net/http"

	"connectrpc.com/connect"

	"github.com/ospreyrpc/osprey/benchmark/gen/grpcgoecho"
	"github.com/ospreyrpc/osprey/benchmark/gen/pb"
)

// Connect is connect-go speaking the gRPC protocol over cleartext HTTP/2:
// its handlers on net/http's server with unencrypted HTTP/2 turned on, and
// callers sharing one connect client made with connect.WithGRPC() over an
// http.Transport that speaks unencrypted HTTP/2 (prior knowledge). The
// client does not ask for gzip-compressed responses (connect-go's clients
// do by default, and its handlers then compress even 1 KiB), so that, as
// with every other system, messages go uncompressed.
var Connect = System{
	Name:      "connect",
	Doc:       "connect-go v1.21.1, gRPC protocol (WithGRPC) over h2c on net/http, one shared client and transport, responses uncompressed",
	Serve:     serveConnect,
	NewClient: func(addr string, _ int) (Client, error) { return newConnectClient(addr, false), nil },
	GRPC:      true,
}

// ConnectStream is Connect's server and client with a bidirectional
// stream per caller: a call is one Send and one Receive on it.
var ConnectStream = System{
	Name:      "connect-stream",
	Doc:       "connect-go v1.21.1, gRPC protocol over h2c: one long-lived bidirectional stream per caller; a call is Send + Receive",
	Serve:     serveConnect,
	NewClient: func(addr string, _ int) (Client, error) { return newConnectClient(addr, true), nil },
	GRPC:      true,
	Stream:    true,
}

// h2c returns the protocols of cleartext HTTP/2 with prior knowledge.
func h2c() *http.Protocols {
	var p http.Protocols
	p.SetUnencryptedHTTP2(true)
	return &p
}

func connectEcho(_ context.Context, req *connect.Request[pb.Request]) (*connect.Response[pb.Response], error) {
	return connect.NewResponse(&pb.Response{Action: req.Msg.Action, Msg: req.Msg.Msg}), nil
}

func connectEchoStream(_ context.Context, s *connect.BidiStream[pb.Request, pb.Response]) error {
	return echoStream(s.Receive, func(action, msg string) error {
		return s.Send(&pb.Response{Action: action, Msg: msg})
	})
}

func serveConnect(ln net.Listener) (func(), error) {
	return serveConnectHandlers(ln, connectEcho, connectEchoStream)
}

// serveConnectHandlers serves the unary and the streaming handler on ln;
// tests pass handlers that misbehave.
func serveConnectHandlers(ln net.Listener,
	unary func(context.Context, *connect.Request[pb.Request]) (*connect.Response[pb.Response], error),
	stream func(context.Context, *connect.BidiStream[pb.Request, pb.Response]) error,
) (func(), error) {
	mux := http.NewServeMux()
	mux.Handle(grpcgoecho.EchoMethod, connect.NewUnaryHandler(grpcgoecho.EchoMethod, unary))
	mux.Handle(grpcgoecho.EchoStreamMethod, connect.NewBidiStreamHandler(grpcgoecho.EchoStreamMethod, stream))
	srv := &http.Server{Handler: mux, Protocols: h2c()}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(ln)
	}()
	return func() {
		srv.Close()
		<-done
	}, nil
}

type connectClient struct {
	tr      *http.Transport
	unary   *connect.Client[pb.Request, pb.Response]
	bidi    *connect.Client[pb.Request, pb.Response]
	stream  bool
	streams streamSet
}

// newConnectClient returns a client whose callers make unary calls, or,
// if stream is set, calls on a stream each.
func newConnectClient(addr string, stream bool) *connectClient {
	tr := &http.Transport{Protocols: h2c()}
	hc := &http.Client{Transport: tr}
	opts := []connect.ClientOption{connect.WithGRPC(), connect.WithAcceptCompression("gzip", nil, nil)}
	base := "http://" + addr
	return &connectClient{
		tr:     tr,
		unary:  connect.NewClient[pb.Request, pb.Response](hc, base+grpcgoecho.EchoMethod, opts...),
		bidi:   connect.NewClient[pb.Request, pb.Response](hc, base+grpcgoecho.EchoStreamMethod, opts...),
		stream: stream,
	}
}

func (c *connectClient) Caller() (Caller, error) {
	if c.stream {
		return c.streamCaller(), nil
	}
	req := &pb.Request{Action: "echo"}
	return func(msg string) error {
		req.Msg = msg
		ctx, cancel := callContext()
		resp, err := c.unary.CallUnary(ctx, connect.NewRequest(req))
		cancel()
		if err != nil {
			return err
		}
		return checkReply(resp.Msg.Action, resp.Msg.Msg, msg)
	}, nil
}

// streamCaller returns a caller that makes its calls on one stream of its
// own; connect-go opens the stream with its first Send.
func (c *connectClient) streamCaller() Caller {
	s := c.bidi.CallBidiStream(c.streams.context())
	c.streams.onClose(func() {
		s.CloseRequest()
		s.CloseResponse()
	})
	req := &pb.Request{Action: "echo"}
	return func(msg string) error {
		req.Msg = msg
		if err := s.Send(req); err != nil {
			return err
		}
		resp, err := s.Receive()
		if err != nil {
			return err
		}
		return checkReply(resp.Action, resp.Msg, msg)
	}
}

func (c *connectClient) Close() error {
	c.streams.close()
	c.tr.CloseIdleConnections()
	return nil
}
