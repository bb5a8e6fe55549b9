package system

import (
	"context"
	"net"
	"sync"

	"github.com/cloudwego/kitex/client"
	"github.com/cloudwego/kitex/pkg/remote"
	"github.com/cloudwego/kitex/server"
	"github.com/cloudwego/kitex/transport"

	kitexpb "github.com/ospreyrpc/osprey/benchmark/gen/kitexpb/echo"
	kitexpbecho "github.com/ospreyrpc/osprey/benchmark/gen/kitexpb/echo/echo"
)

// KitexGRPC is Kitex's gRPC transport, set up as kitex-benchmark's
// grpc/kitex: code from the kitex tool's protobuf support (its built-in
// prutal codec), a server with Kitex's defaults (which detects HTTP/2 by
// itself), and callers sharing one client with
// WithTransportProtocol(transport.GRPC) and Go's net dialer
// (remote.NewDefaultDialer, as kitex-benchmark passes), over Kitex's own
// pool of HTTP/2 connections.
var KitexGRPC = System{
	Name:      "kitex-grpc",
	Doc:       "CloudWeGo Kitex v0.16.3 gRPC as kitex-benchmark sets it up: prutal protobuf code, transport.GRPC client with net dialer, server defaults",
	Serve:     serveKitexGRPC,
	NewClient: func(addr string, _ int) (Client, error) { return newKitexGRPCClient(addr, false) },
	GRPC:      true,
}

// KitexGRPCStream is KitexGRPC's server and client with a bidirectional
// stream per caller: a call is one Send and one Recv on it.
var KitexGRPCStream = System{
	Name:      "kitex-grpc-stream",
	Doc:       "CloudWeGo Kitex v0.16.3 gRPC: one long-lived bidirectional stream per caller; a call is Send + Recv",
	Serve:     serveKitexGRPC,
	NewClient: func(addr string, _ int) (Client, error) { return newKitexGRPCClient(addr, true) },
	GRPC:      true,
	Stream:    true,
}

type kitexGRPCHandler struct{}

func (*kitexGRPCHandler) Echo(_ context.Context, req *kitexpb.Request) (*kitexpb.Response, error) {
	return &kitexpb.Response{Action: req.Action, Msg: req.Msg}, nil
}

func (*kitexGRPCHandler) EchoStream(s kitexpb.Echo_EchoStreamServer) error {
	return echoStream(s.Recv, func(action, msg string) error {
		return s.Send(&kitexpb.Response{Action: action, Msg: msg})
	})
}

func serveKitexGRPC(ln net.Listener) (func(), error) {
	return serveKitexGRPCHandler(ln, &kitexGRPCHandler{})
}

// serveKitexGRPCHandler serves h on ln; tests pass handlers that misbehave.
func serveKitexGRPCHandler(ln net.Listener, h kitexpb.Echo) (func(), error) {
	return runKitex(ln, func(opts ...server.Option) server.Server { return kitexpbecho.NewServer(h, opts...) })
}

// newKitexGRPCClient returns one Kitex gRPC client for every caller, whose
// callers make unary calls, or, if stream is set, calls on a stream each.
func newKitexGRPCClient(addr string, stream bool) (Client, error) {
	c, err := kitexpbecho.NewClient("test.echo.kitex",
		client.WithHostPorts(addr),
		client.WithDialer(remote.NewDefaultDialer()),
		client.WithTransportProtocol(transport.GRPC),
	)
	if err != nil {
		return nil, err
	}
	return &kitexGRPCClient{
		c:      c,
		stream: stream,
		reqs:   sync.Pool{New: func() any { return &kitexpb.Request{} }},
	}, nil
}

type kitexGRPCClient struct {
	c       kitexpbecho.Client
	stream  bool
	streams streamSet
	reqs    sync.Pool // of *kitexpb.Request, as kitex-benchmark pools them
}

func (c *kitexGRPCClient) Caller() (Caller, error) {
	if c.stream {
		return c.streamCaller()
	}
	return func(msg string) error {
		req := c.reqs.Get().(*kitexpb.Request)
		defer c.reqs.Put(req)
		req.Action = "echo"
		req.Msg = msg
		ctx, cancel := callContext()
		resp, err := c.c.Echo(ctx, req)
		cancel()
		if err != nil {
			return err
		}
		return checkReply(resp.Action, resp.Msg, msg)
	}, nil
}

// streamCaller returns a caller that makes its calls on one stream of its
// own.
func (c *kitexGRPCClient) streamCaller() (Caller, error) {
	s, err := c.c.EchoStream(c.streams.context())
	if err != nil {
		return nil, err
	}
	// Closing the stream ends the server's with io.EOF (only cancelling
	// its context leaves the server's handler waiting); the Recv then
	// waits for the server's end of the stream, without which a process
	// exiting right after Close cuts the stream short and the server logs
	// an error for each.
	c.streams.onClose(func() {
		s.Close()
		s.Recv()
	})
	req := &kitexpb.Request{Action: "echo"}
	return func(msg string) error {
		req.Msg = msg
		if err := s.Send(req); err != nil {
			return err
		}
		resp, err := s.Recv()
		if err != nil {
			return err
		}
		return checkReply(resp.Action, resp.Msg, msg)
	}, nil
}

// Close cancels the streams; the client the kitex tool generates has no
// Close (see kitexClient.Close).
func (c *kitexGRPCClient) Close() error {
	c.streams.close()
	return nil
}
