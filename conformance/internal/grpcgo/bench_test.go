package grpcgo_test

import (
	"context"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	grpcgo "google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/ospreyrpc/osprey/client"
	"github.com/ospreyrpc/osprey/server"
	"github.com/ospreyrpc/osprey/service"
)

// benchConcurrency is how many calls are in flight at once.
const benchConcurrency = 100

// runConcurrent makes b.N calls from benchConcurrency goroutines.
func runConcurrent(b *testing.B, call func() error) {
	b.Helper()
	var wg sync.WaitGroup
	next := make(chan struct{}, benchConcurrency)
	b.ReportAllocs()
	b.ResetTimer()
	go func() {
		for range b.N {
			next <- struct{}{}
		}
		close(next)
	}()
	for range benchConcurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range next {
				if err := call(); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// BenchmarkUnaryC100 compares unary calls with a 1 KB message, 100 in
// flight, over loopback: grpc-go's client and server, Osprey's client with
// grpc-go's server, grpc-go's client with Osprey's server, and Osprey's
// both sides. Allocations are both sides'.
func BenchmarkUnaryC100(b *testing.B) {
	msg := strings.Repeat("x", 1024)
	b.Run("grpc-go", func(b *testing.B) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			b.Fatal(err)
		}
		s := grpcgo.NewServer()
		s.RegisterService(&benchDescGo, struct{}{})
		go s.Serve(ln)
		defer s.Stop()
		cc, err := grpcgo.NewClient(ln.Addr().String(), grpcgo.WithTransportCredentials(insecure.NewCredentials()))
		if err != nil {
			b.Fatal(err)
		}
		defer cc.Close()
		req := wrapperspb.String(msg)
		runConcurrent(b, func() error {
			var res wrapperspb.StringValue
			return cc.Invoke(context.Background(), "/bench.Echo/Echo", req, &res)
		})
	})
	b.Run("osprey-client-grpc-go-server", func(b *testing.B) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			b.Fatal(err)
		}
		s := grpcgo.NewServer()
		s.RegisterService(&benchDescGo, struct{}{})
		go s.Serve(ln)
		defer s.Stop()
		desc := &service.Desc{Name: "bench.Echo", Protobuf: true, Methods: []service.Method{{Name: "Echo"}}}
		c, err := client.New(ln.Addr().String(), desc)
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		req := wrapperspb.String(msg)
		runConcurrent(b, func() error {
			var res wrapperspb.StringValue
			return c.Call(context.Background(), &desc.Methods[0], service.Call{Args: req, Result: &res})
		})
	})
	b.Run("grpc-go-client-osprey-server", func(b *testing.B) {
		s, err := server.New()
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Register(&echoDesc, struct{}{}); err != nil {
			b.Fatal(err)
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			b.Fatal(err)
		}
		go s.Serve(ln)
		defer func() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			s.Stop(ctx)
		}()
		cc, err := grpcgo.NewClient(ln.Addr().String(), grpcgo.WithTransportCredentials(insecure.NewCredentials()))
		if err != nil {
			b.Fatal(err)
		}
		defer cc.Close()
		req := wrapperspb.String(msg)
		runConcurrent(b, func() error {
			var res wrapperspb.StringValue
			return cc.Invoke(context.Background(), "/"+echoDesc.Name+"/"+echoDesc.Methods[0].Name, req, &res)
		})
	})
	b.Run("osprey", func(b *testing.B) {
		s, err := server.New()
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Register(&echoDesc, struct{}{}); err != nil {
			b.Fatal(err)
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			b.Fatal(err)
		}
		go s.Serve(ln)
		defer func() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			s.Stop(ctx)
		}()
		c, err := client.New(ln.Addr().String(), &echoDesc, client.WithGRPC())
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		req := &raw{[]byte(msg)}
		runConcurrent(b, func() error {
			var res raw
			return c.Call(context.Background(), &echoDesc.Methods[0], service.Call{Args: req, Result: &res})
		})
	})
}

// benchDescGo is a grpc-go service "bench.Echo" whose Echo returns the
// request, as echoDesc's does on Osprey's server.
var benchDescGo = grpcgo.ServiceDesc{
	ServiceName: "bench.Echo",
	HandlerType: (*any)(nil),
	Methods: []grpcgo.MethodDesc{{MethodName: "Echo", Handler: func(_ any, ctx context.Context, dec func(any) error, _ grpcgo.UnaryServerInterceptor) (any, error) {
		var req wrapperspb.StringValue
		if err := dec(&req); err != nil {
			return nil, err
		}
		return &req, nil
	}}},
}
