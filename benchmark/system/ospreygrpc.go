package system

import (
	"context"
	"net"

	"github.com/ospreyrpc/osprey/client"
	"github.com/ospreyrpc/osprey/server"

	"github.com/ospreyrpc/osprey/benchmark/gen/pb"
)

// OspreyGRPC is Osprey over gRPC with its defaults: the code osprey gen
// writes for gen/pb/echo.proto, a server with echo.Echo registered (it
// detects HTTP/2 by itself), and callers sharing one generated client,
// which calls a protobuf service over gRPC.
var OspreyGRPC = System{
	Name:        "osprey-grpc",
	Doc:         "Osprey gRPC: osprey gen code, one shared client (gRPC over h2c, the client's defaults), unary calls",
	Serve:       serveOspreyGRPC,
	ServeOsprey: serveOspreyGRPCWith,
	NewClient:   func(addr string, _ int) (Client, error) { return newOspreyGRPCClient(addr, false) },
	DialOsprey: func(target string, _ int, opts ...client.Option) (Client, error) {
		return newOspreyGRPCClient(target, false, opts...)
	},
	GRPC: true,
}

// OspreyGRPCStream is OspreyGRPC's server and client with a bidirectional
// stream per caller: a call is one Send and one Recv on it.
var OspreyGRPCStream = System{
	Name:        "osprey-grpc-stream",
	Doc:         "Osprey gRPC: one long-lived bidirectional stream per caller over one shared client; a call is Send + Recv",
	Serve:       serveOspreyGRPC,
	ServeOsprey: serveOspreyGRPCWith,
	NewClient:   func(addr string, _ int) (Client, error) { return newOspreyGRPCClient(addr, true) },
	DialOsprey: func(target string, _ int, opts ...client.Option) (Client, error) {
		return newOspreyGRPCClient(target, true, opts...)
	},
	GRPC:   true,
	Stream: true,
}

// GRPCGoClientOsprey is grpc-go's client, set up as in GRPCGo, against
// Osprey's gRPC server: a diagnostic, like the split systems, that tells
// Osprey's server's share of a difference to grpcgo.
var GRPCGoClientOsprey = System{
	Name:        "grpcgoclient-osprey",
	Doc:         "diagnostic: grpc-go client (as grpcgo: 10 shared ClientConns), Osprey gRPC server",
	Serve:       serveOspreyGRPC,
	ServeOsprey: serveOspreyGRPCWith,
	NewClient:   func(addr string, _ int) (Client, error) { return newGRPCGoClient(addr, false) },
	GRPC:        true,
}

type ospreyGRPCHandler struct{}

func (ospreyGRPCHandler) Echo(_ context.Context, req *pb.Request) (*pb.Response, error) {
	return &pb.Response{Action: req.Action, Msg: req.Msg}, nil
}

func (ospreyGRPCHandler) EchoStream(_ context.Context, s pb.Echo_EchoStreamServer) error {
	return echoStream(s.Recv, func(action, msg string) error {
		return s.Send(&pb.Response{Action: action, Msg: msg})
	})
}

func serveOspreyGRPC(ln net.Listener) (func(), error) {
	return serveOspreyGRPCHandler(ln, ospreyGRPCHandler{})
}

func serveOspreyGRPCWith(ln net.Listener, opts ...server.Option) (func(), error) {
	return serveOspreyGRPCHandler(ln, ospreyGRPCHandler{}, opts...)
}

// serveOspreyGRPCHandler serves h on ln with opts; tests pass handlers
// that misbehave.
func serveOspreyGRPCHandler(ln net.Listener, h pb.Echo, opts ...server.Option) (func(), error) {
	s, err := server.New(opts...)
	if err != nil {
		return nil, err
	}
	if err := pb.RegisterEcho(s, h); err != nil {
		return nil, err
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.Serve(ln)
	}()
	return func() {
		// A stream a caller left open would hold a graceful stop; the
		// clients close theirs first.
		s.Stop(context.Background())
		<-done
	}, nil
}

// newOspreyGRPCClient returns one client for every caller, whose callers
// make unary calls, or, if stream is set, calls on a stream each.
func newOspreyGRPCClient(addr string, stream bool, opts ...client.Option) (Client, error) {
	c, err := pb.NewEchoClient(addr, opts...)
	if err != nil {
		return nil, err
	}
	return &ospreyGRPCClient{c: c, stream: stream}, nil
}

type ospreyGRPCClient struct {
	c       *pb.EchoClient
	stream  bool
	streams streamSet
}

func (c *ospreyGRPCClient) Caller() (Caller, error) {
	if c.stream {
		return c.streamCaller()
	}
	// One request per caller, reused, as kitex-benchmark pools its requests.
	req := &pb.Request{Action: "echo"}
	return func(msg string) error {
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
func (c *ospreyGRPCClient) streamCaller() (Caller, error) {
	s, err := c.c.EchoStream(c.streams.context())
	if err != nil {
		return nil, err
	}
	// Ending the stream of requests ends the server's handler (its Recv
	// returns io.EOF) before the context's cancellation resets the stream.
	c.streams.onClose(func() { s.CloseSend() })
	req := &pb.Request{Action: "echo"}
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

func (c *ospreyGRPCClient) Close() error {
	c.streams.close()
	return c.c.Close()
}
