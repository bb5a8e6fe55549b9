package system

import (
	"bytes"
	"context"
	"encoding/binary"
	"net"
	"strings"
	"testing"

	"connectrpc.com/connect"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"

	kitexpb "github.com/ospreyrpc/osprey/benchmark/gen/kitexpb/echo"
	"github.com/ospreyrpc/osprey/benchmark/gen/pb"
)

// The gRPC liars lie with lie; their unary handlers also fail calls whose
// context lacks the caller's deadline (grpc-timeout carries it).

type grpcGoLiar struct{ lie lie }

func (h grpcGoLiar) Echo(ctx context.Context, req *pb.Request) (*pb.Response, error) {
	if err := checkDeadline(ctx); err != nil {
		return nil, err
	}
	a, m := h.lie(req.Action, req.Msg)
	return &pb.Response{Action: a, Msg: m}, nil
}

func (h grpcGoLiar) EchoStream(s grpc.BidiStreamingServer[pb.Request, pb.Response]) error {
	return echoStream(s.Recv, func(action, msg string) error {
		a, m := h.lie(action, msg)
		return s.Send(&pb.Response{Action: a, Msg: m})
	})
}

type kitexGRPCLiar struct{ lie lie }

func (h *kitexGRPCLiar) Echo(ctx context.Context, req *kitexpb.Request) (*kitexpb.Response, error) {
	if err := checkDeadline(ctx); err != nil {
		return nil, err
	}
	a, m := h.lie(req.Action, req.Msg)
	return &kitexpb.Response{Action: a, Msg: m}, nil
}

func (h *kitexGRPCLiar) EchoStream(s kitexpb.Echo_EchoStreamServer) error {
	return echoStream(s.Recv, func(action, msg string) error {
		a, m := h.lie(action, msg)
		return s.Send(&kitexpb.Response{Action: a, Msg: m})
	})
}

type ospreyGRPCLiar struct{ lie lie }

func (h ospreyGRPCLiar) Echo(ctx context.Context, req *pb.Request) (*pb.Response, error) {
	if err := checkDeadline(ctx); err != nil {
		return nil, err
	}
	a, m := h.lie(req.Action, req.Msg)
	return &pb.Response{Action: a, Msg: m}, nil
}

func (h ospreyGRPCLiar) EchoStream(_ context.Context, s pb.Echo_EchoStreamServer) error {
	return echoStream(s.Recv, func(action, msg string) error {
		a, m := h.lie(action, msg)
		return s.Send(&pb.Response{Action: a, Msg: m})
	})
}

func serveOspreyGRPCLiar(ln net.Listener, l lie) (func(), error) {
	return serveOspreyGRPCHandler(ln, ospreyGRPCLiar{l})
}

func serveGRPCGoLiar(ln net.Listener, l lie) (func(), error) {
	return serveGRPCGoHandler(ln, grpcGoLiar{l})
}

func serveKitexGRPCLiar(ln net.Listener, l lie) (func(), error) {
	return serveKitexGRPCHandler(ln, &kitexGRPCLiar{l})
}

func serveConnectLiar(ln net.Listener, l lie) (func(), error) {
	return serveConnectHandlers(ln,
		func(ctx context.Context, req *connect.Request[pb.Request]) (*connect.Response[pb.Response], error) {
			if err := checkDeadline(ctx); err != nil {
				return nil, err
			}
			a, m := l(req.Msg.Action, req.Msg.Msg)
			return connect.NewResponse(&pb.Response{Action: a, Msg: m}), nil
		},
		func(_ context.Context, s *connect.BidiStream[pb.Request, pb.Response]) error {
			return echoStream(s.Receive, func(action, msg string) error {
				a, m := l(action, msg)
				return s.Send(&pb.Response{Action: a, Msg: m})
			})
		})
}

// TestGRPCEchoMessage checks GRPCEchoMessage against protobuf-go's
// encoding of the same Request, for messages of several sizes.
func TestGRPCEchoMessage(t *testing.T) {
	for _, n := range []int{0, 1, 127, 128, 1024, 70000} {
		msg := strings.Repeat("x", n)
		got := GRPCEchoMessage(msg)
		body, err := proto.Marshal(&pb.Request{Action: "echo", Msg: msg})
		if err != nil {
			t.Fatal(err)
		}
		want := append([]byte{0, 0, 0, 0, 0}, body...)
		binary.BigEndian.PutUint32(want[1:], uint32(len(body)))
		if !bytes.Equal(got, want) {
			t.Errorf("%d-byte message: got % x..., want % x...", n, got[:min(len(got), 16)], want[:min(len(want), 16)])
		}
	}
}
