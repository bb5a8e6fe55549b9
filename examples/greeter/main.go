package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"time"

	"github.com/ospreyrpc/osprey/examples/greeter/gen/greeterpb"
	"github.com/ospreyrpc/osprey/health"
	"github.com/ospreyrpc/osprey/metainfo"
	"github.com/ospreyrpc/osprey/protocol/grpc"
	"github.com/ospreyrpc/osprey/reflection"
	"github.com/ospreyrpc/osprey/server"
)

// greeter implements the Greeter service.
type greeter struct {
	greeterpb.UnimplementedGreeter
}

func (greeter) SayHello(ctx context.Context, req *greeterpb.HelloRequest) (*greeterpb.HelloReply, error) {
	// Metadata from the caller: gRPC headers, and metainfo values that
	// would cross a Thrift hop just the same.
	md, _ := grpc.IncomingFromContext(ctx)
	tenant, _ := metainfo.Persistent(ctx, "TENANT")
	if err := grpc.SetTrailer(ctx, grpc.Pairs("x-greeted", req.Name)); err != nil {
		return nil, err
	}
	return &greeterpb.HelloReply{Message: fmt.Sprintf("hello, %s (x-client %s, tenant %s)", req.Name, md.Get("x-client"), tenant)}, nil
}

func (greeter) Chat(ctx context.Context, stream greeterpb.Greeter_ChatServer) error {
	for {
		req, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return nil // the client is done: end the call with OK
		}
		if err != nil {
			return err
		}
		if err := stream.Send(&greeterpb.HelloReply{Message: "hello, " + req.Name}); err != nil {
			return err
		}
	}
}

func main() {
	if err := run(os.Stdout); err != nil {
		log.Fatal(err)
	}
}

func run(out io.Writer) error {
	s, err := server.New()
	if err != nil {
		return err
	}
	hs := health.New()
	for _, register := range []func() error{
		func() error { return greeterpb.RegisterGreeter(s, greeter{}) },
		func() error { return health.Register(s, hs) },
		func() error { return reflection.Register(s) },
	} {
		if err := register(); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	go s.Serve(ln)
	defer s.Stop(context.Background())
	fmt.Fprintln(out, "server listening on", ln.Addr())

	// A client of a .proto service speaks gRPC by itself.
	c, err := greeterpb.NewGreeterClient(ln.Addr().String())
	if err != nil {
		return err
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	var resp grpc.ResponseMD
	uctx := grpc.AppendToOutgoingContext(ctx, "x-client", "example")
	uctx = metainfo.WithPersistent(uctx, "TENANT", "acme")
	uctx = grpc.WithResponseMD(uctx, &resp)
	reply, err := c.SayHello(uctx, &greeterpb.HelloRequest{Name: "osprey"})
	if err != nil {
		return err
	}
	fmt.Fprintln(out, "unary:   ", reply.Message)
	fmt.Fprintln(out, "trailer: ", "x-greeted =", resp.Trailer.Get("x-greeted"))

	stream, err := c.Chat(ctx)
	if err != nil {
		return err
	}
	for _, name := range []string{"ada", "grace"} {
		if err := stream.Send(&greeterpb.HelloRequest{Name: name}); err != nil {
			return err
		}
		r, err := stream.Recv()
		if err != nil {
			return err
		}
		fmt.Fprintln(out, "stream:  ", r.Message)
	}
	if err := stream.CloseSend(); err != nil {
		return err
	}
	if _, err := stream.Recv(); !errors.Is(err, io.EOF) {
		return fmt.Errorf("stream ended with %v, want io.EOF", err)
	}
	fmt.Fprintln(out, "stream:   ended with OK")
	return nil
}
