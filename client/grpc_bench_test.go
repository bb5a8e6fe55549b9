package client_test

import (
	"context"
	"strings"
	"testing"

	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/ospreyrpc/osprey/service"
)

// BenchmarkGRPCUnary measures unary calls with a 1 KB message against
// Osprey's server over loopback; allocations are both sides'.
func BenchmarkGRPCUnary(b *testing.B) {
	srv, _ := serveGreeterB(b)
	c := dialGreeterB(b, srv.Target)
	m := method(c, "Echo")
	msg := strings.Repeat("x", 1024)
	req := wrapperspb.String(msg)
	ctx := context.Background()
	var res wrapperspb.StringValue
	if err := c.Call(ctx, m, service.Call{Args: req, Result: &res}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := c.Call(ctx, m, service.Call{Args: req, Result: &res}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGRPCUnaryParallel is BenchmarkGRPCUnary from many goroutines
// (-cpu and SetParallelism set how many) over one connection.
func BenchmarkGRPCUnaryParallel(b *testing.B) {
	srv, _ := serveGreeterB(b)
	c := dialGreeterB(b, srv.Target)
	m := method(c, "Echo")
	msg := strings.Repeat("x", 1024)
	ctx := context.Background()
	b.ReportAllocs()
	b.SetParallelism(50)
	b.RunParallel(func(pb *testing.PB) {
		req := wrapperspb.String(msg)
		var res wrapperspb.StringValue
		for pb.Next() {
			if err := c.Call(ctx, m, service.Call{Args: req, Result: &res}); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
