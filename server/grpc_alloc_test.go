//go:build !race

package server_test

import (
	"strings"
	"testing"

	greetv1 "github.com/ospreyrpc/osprey/internal/gen/pb/greet/v1"
)

// TestGRPCServerAllocations pins what the server allocates for one unary
// gRPC call with 1 KB messages, from a client that allocates nothing and
// whose headers the HPACK dynamic table holds (as grpc-go's): the call's
// storage (rpcinfo, request, reply), the request's string, the HTTP/2
// stream with the gRPC call's state, and the stream's handler goroutine. It also pins a BidiHello ping-pong message at the
// two allocations of the generated Recv (the message and its string): the
// framework's share of a stream message is none.
func TestGRPCServerAllocations(t *testing.T) {
	addr := serveFixedGreeter(t)
	req := &greetv1.HelloRequest{Name: strings.Repeat("x", 1024)}
	t.Run("unary", func(t *testing.T) {
		c := dialRaw(t, addr, "/greet.v1.Greeter/SayHello", req)
		allocs := testing.AllocsPerRun(1000, func() {
			if err := c.call(); err != nil {
				t.Fatal(err)
			}
		})
		if want := 5 + 3 + 1024; c.got != want { // prefix, tag and length, message
			t.Fatalf("response of %d bytes, want %d", c.got, want)
		}
		t.Logf("%v allocations per unary call", allocs)
		if allocs > 3 {
			t.Errorf("a unary gRPC call allocates %v times on the server, want at most 3", allocs)
		}
	})
	t.Run("ping-pong", func(t *testing.T) {
		c := dialRaw(t, addr, "/greet.v1.Greeter/BidiHello", req)
		if err := c.openStream(); err != nil {
			t.Fatal(err)
		}
		allocs := testing.AllocsPerRun(1000, func() {
			if err := c.pingPong(); err != nil {
				t.Fatal(err)
			}
		})
		t.Logf("%v allocations per stream message", allocs)
		if allocs > 2 {
			t.Errorf("a ping-pong message allocates %v times on the server, want at most 2 (the handler's Recv)", allocs)
		}
	})
}

// TestGRPCServerAllocationsWithLimits: limits that do not trip, on the
// server and on the method, add nothing to a unary call (the bound of
// TestGRPCServerAllocations).
func TestGRPCServerAllocationsWithLimits(t *testing.T) {
	addr := serveFixedGreeter(t, limitsNotTripping("greet.v1.Greeter", "SayHello")...)
	c := dialRaw(t, addr, "/greet.v1.Greeter/SayHello", &greetv1.HelloRequest{Name: strings.Repeat("x", 1024)})
	allocs := testing.AllocsPerRun(1000, func() {
		if err := c.call(); err != nil {
			t.Fatal(err)
		}
	})
	if want := 5 + 3 + 1024; c.got != want {
		t.Fatalf("response of %d bytes, want %d", c.got, want)
	}
	t.Logf("%v allocations per unary call with limits", allocs)
	if allocs > 3 {
		t.Errorf("a unary gRPC call with limits allocates %v times on the server, want at most 3", allocs)
	}
}
