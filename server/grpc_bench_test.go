package server_test

import (
	"strings"
	"testing"

	greetv1 "github.com/ospreyrpc/osprey/internal/gen/pb/greet/v1"
)

// BenchmarkGRPCServerUnary measures the server alone: unary SayHello
// calls with 1 KB messages from a client of pre-encoded frames that
// allocates nothing, so allocs/op are the server's.
func BenchmarkGRPCServerUnary(b *testing.B) {
	addr := serveFixedGreeter(b)
	c := dialRaw(b, addr, "/greet.v1.Greeter/SayHello", &greetv1.HelloRequest{Name: strings.Repeat("x", 1024)})
	if err := c.call(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := c.call(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGRPCServerUnaryParallel is BenchmarkGRPCServerUnary from
// many goroutines (-cpu and SetParallelism set how many), each over a
// connection of its own.
func BenchmarkGRPCServerUnaryParallel(b *testing.B) {
	addr := serveFixedGreeter(b)
	req := &greetv1.HelloRequest{Name: strings.Repeat("x", 1024)}
	b.ReportAllocs()
	b.SetParallelism(50)
	b.RunParallel(func(pb *testing.PB) {
		c := dialRaw(b, addr, "/greet.v1.Greeter/SayHello", req)
		for pb.Next() {
			if err := c.call(); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkGRPCServerPingPong measures one message each way on a
// BidiHello stream, 1 KB each.
func BenchmarkGRPCServerPingPong(b *testing.B) {
	addr := serveFixedGreeter(b)
	c := dialRaw(b, addr, "/greet.v1.Greeter/BidiHello", &greetv1.HelloRequest{Name: strings.Repeat("x", 1024)})
	if err := c.openStream(); err != nil {
		b.Fatal(err)
	}
	if err := c.pingPong(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := c.pingPong(); err != nil {
			b.Fatal(err)
		}
	}
}
