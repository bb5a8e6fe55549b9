package system

import (
	"context"
	"errors"
	"io"
	"net"
	"sync"
	"sync/atomic"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/ospreyrpc/osprey/benchmark/gen/grpcgoecho"
	"github.com/ospreyrpc/osprey/benchmark/gen/pb"
)

// GRPCConns is the number of ClientConns the grpc-go systems share among
// their callers: 10, kitex-benchmark's default client pool size (its
// grpc-go client picks one of 10 ClientConns round-robin per call), as
// grpc-go was measured for ../shared/PERFORMANCE.md.
const GRPCConns = 10

// GRPCGo is grpc-go with its defaults, set up as kitex-benchmark sets up
// its grpc-go echo: grpc.NewServer() with the service registered, and
// callers sharing GRPCConns ClientConns (insecure credentials, nothing
// else set), taking one round-robin per call.
var GRPCGo = System{
	Name:      "grpcgo",
	Doc:       "grpc-go v1.85.0 defaults: unary calls round-robin over 10 shared ClientConns (kitex-benchmark's pool), protobuf-go messages",
	Serve:     serveGRPCGo,
	NewClient: func(addr string, _ int) (Client, error) { return newGRPCGoClient(addr, false) },
	GRPC:      true,
}

// GRPCGoStream is GRPCGo's server and ClientConns with a bidirectional
// stream per caller, opened once on the next ClientConn round-robin: a
// call is one Send and one Recv on it.
var GRPCGoStream = System{
	Name:      "grpcgo-stream",
	Doc:       "grpc-go v1.85.0 defaults: one long-lived bidirectional stream per caller over 10 shared ClientConns; a call is Send + Recv",
	Serve:     serveGRPCGo,
	NewClient: func(addr string, _ int) (Client, error) { return newGRPCGoClient(addr, true) },
	GRPC:      true,
	Stream:    true,
}

type grpcGoHandler struct{}

func (grpcGoHandler) Echo(_ context.Context, req *pb.Request) (*pb.Response, error) {
	return &pb.Response{Action: req.Action, Msg: req.Msg}, nil
}

func (grpcGoHandler) EchoStream(s grpc.BidiStreamingServer[pb.Request, pb.Response]) error {
	return echoStream(s.Recv, func(action, msg string) error {
		return s.Send(&pb.Response{Action: action, Msg: msg})
	})
}

// echoStream answers every request recv returns with send until the
// client ends the stream.
func echoStream[R interface {
	GetAction() string
	GetMsg() string
}](recv func() (R, error), send func(action, msg string) error) error {
	for {
		req, err := recv()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := send(req.GetAction(), req.GetMsg()); err != nil {
			return err
		}
	}
}

func serveGRPCGo(ln net.Listener) (func(), error) {
	return serveGRPCGoHandler(ln, grpcGoHandler{})
}

// serveGRPCGoHandler serves h on ln; tests pass handlers that misbehave.
func serveGRPCGoHandler(ln net.Listener, h grpcgoecho.EchoServer) (func(), error) {
	s := grpc.NewServer()
	grpcgoecho.RegisterEchoServer(s, h)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = s.Serve(ln)
	}()
	return func() {
		// Stop, not GracefulStop: a stream a caller left open would
		// hold GracefulStop forever.
		s.Stop()
		<-done
	}, nil
}

// newGRPCGoClient returns a client whose callers make unary calls, or,
// if stream is set, calls on a stream each.
func newGRPCGoClient(addr string, stream bool) (Client, error) {
	c := &grpcGoClient{stream: stream}
	for range GRPCConns {
		cc, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
		if err != nil {
			c.Close()
			return nil, err
		}
		c.conns = append(c.conns, cc)
		c.clients = append(c.clients, grpcgoecho.NewEchoClient(cc))
	}
	return c, nil
}

type grpcGoClient struct {
	conns   []*grpc.ClientConn
	clients []grpcgoecho.EchoClient
	next    atomic.Uint64
	stream  bool
	streams streamSet
}

// pick returns the next client round-robin.
func (c *grpcGoClient) pick() grpcgoecho.EchoClient {
	return c.clients[c.next.Add(1)%uint64(len(c.clients))]
}

func (c *grpcGoClient) Caller() (Caller, error) {
	if c.stream {
		return c.streamCaller()
	}
	// One request per caller, reused, as kitex-benchmark pools its requests.
	req := &pb.Request{Action: "echo"}
	return func(msg string) error {
		req.Msg = msg
		ctx, cancel := callContext()
		resp, err := c.pick().Echo(ctx, req)
		cancel()
		if err != nil {
			return err
		}
		return checkReply(resp.Action, resp.Msg, msg)
	}, nil
}

// streamCaller returns a caller that makes its calls on one stream of its
// own.
func (c *grpcGoClient) streamCaller() (Caller, error) {
	s, err := c.pick().EchoStream(c.streams.context())
	if err != nil {
		return nil, err
	}
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

func (c *grpcGoClient) Close() error {
	c.streams.close()
	var errs []error
	for _, cc := range c.conns {
		errs = append(errs, cc.Close())
	}
	return errors.Join(errs...)
}

// streamSet holds what ends a client's long-lived streams, which its
// Close runs.
type streamSet struct {
	mu      sync.Mutex
	closers []func()
}

// context returns the context for one more stream, cancelled by close.
func (s *streamSet) context() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	s.onClose(cancel)
	return ctx
}

// onClose adds f to what close runs.
func (s *streamSet) onClose(f func()) {
	s.mu.Lock()
	s.closers = append(s.closers, f)
	s.mu.Unlock()
}

// close runs what onClose and context added, the last added first.
func (s *streamSet) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := len(s.closers) - 1; i >= 0; i-- {
		s.closers[i]()
	}
	s.closers = nil
}
