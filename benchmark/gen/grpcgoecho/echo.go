// Package grpcgoecho is the grpc-go service code for the benchmark's
// protobuf echo (../pb/echo.proto), written by hand in the shape
// protoc-gen-go-grpc gives it (no protoc-gen-go-grpc binary is at hand): the
// service description for grpc-go's server, and a client of it. The
// messages are package pb's.
package grpcgoecho

import (
	"context"

	"google.golang.org/grpc"

	"github.com/ospreyrpc/osprey/benchmark/gen/pb"
)

// Full method names of the service echo.Echo.
const (
	EchoMethod       = "/echo.Echo/Echo"
	EchoStreamMethod = "/echo.Echo/EchoStream"
)

// EchoServer is what serves echo.Echo.
type EchoServer interface {
	// Echo answers one request.
	Echo(context.Context, *pb.Request) (*pb.Response, error)
	// EchoStream answers a stream of requests.
	EchoStream(grpc.BidiStreamingServer[pb.Request, pb.Response]) error
}

// RegisterEchoServer registers srv with s.
func RegisterEchoServer(s grpc.ServiceRegistrar, srv EchoServer) {
	s.RegisterService(&serviceDesc, srv)
}

var serviceDesc = grpc.ServiceDesc{
	ServiceName: "echo.Echo",
	HandlerType: (*EchoServer)(nil),
	Methods: []grpc.MethodDesc{{
		MethodName: "Echo",
		Handler:    echoHandler,
	}},
	Streams: []grpc.StreamDesc{{
		StreamName:    "EchoStream",
		Handler:       echoStreamHandler,
		ServerStreams: true,
		ClientStreams: true,
	}},
	Metadata: "echo.proto",
}

func echoHandler(srv any, ctx context.Context, dec func(any) error, interceptor grpc.UnaryServerInterceptor) (any, error) {
	in := new(pb.Request)
	if err := dec(in); err != nil {
		return nil, err
	}
	if interceptor == nil {
		return srv.(EchoServer).Echo(ctx, in)
	}
	info := &grpc.UnaryServerInfo{Server: srv, FullMethod: EchoMethod}
	handler := func(ctx context.Context, req any) (any, error) {
		return srv.(EchoServer).Echo(ctx, req.(*pb.Request))
	}
	return interceptor(ctx, in, info, handler)
}

func echoStreamHandler(srv any, stream grpc.ServerStream) error {
	return srv.(EchoServer).EchoStream(&grpc.GenericServerStream[pb.Request, pb.Response]{ServerStream: stream})
}

// EchoClient calls echo.Echo.
type EchoClient struct {
	cc grpc.ClientConnInterface
}

// NewEchoClient returns a client calling over cc.
func NewEchoClient(cc grpc.ClientConnInterface) EchoClient {
	return EchoClient{cc}
}

// Echo makes one unary call.
func (c EchoClient) Echo(ctx context.Context, in *pb.Request, opts ...grpc.CallOption) (*pb.Response, error) {
	out := new(pb.Response)
	if err := c.cc.Invoke(ctx, EchoMethod, in, out, opts...); err != nil {
		return nil, err
	}
	return out, nil
}

// EchoStream opens a bidirectional stream.
func (c EchoClient) EchoStream(ctx context.Context, opts ...grpc.CallOption) (grpc.BidiStreamingClient[pb.Request, pb.Response], error) {
	s, err := c.cc.NewStream(ctx, &serviceDesc.Streams[0], EchoStreamMethod, opts...)
	if err != nil {
		return nil, err
	}
	return &grpc.GenericClientStream[pb.Request, pb.Response]{ClientStream: s}, nil
}
