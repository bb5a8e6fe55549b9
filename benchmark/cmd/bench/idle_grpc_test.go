package main

import (
	"context"
	"net"
	"strings"
	"testing"

	"github.com/ospreyrpc/osprey/health"
	ospreyserver "github.com/ospreyrpc/osprey/server"

	"github.com/ospreyrpc/osprey/benchmark/system"
)

// dialH2 serves with serve on a fresh listener and returns a connection to
// it whose HTTP/2 handshake is done, and the server's address.
func dialH2(t *testing.T, serve func(net.Listener) (func(), error)) (net.Conn, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	stop, err := serve(ln)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if err := h2Handshake(c); err != nil {
		t.Fatal(err)
	}
	return c, ln.Addr().String()
}

// TestGRPCIdleCall makes the idle measurement's call on each gRPC system.
func TestGRPCIdleCall(t *testing.T) {
	for _, sys := range system.All() {
		if !sys.GRPC || sys.Stream {
			continue
		}
		t.Run(sys.Name, func(t *testing.T) {
			c, addr := dialH2(t, sys.Serve)
			if err := grpcRoundTrip(c, addr, system.GRPCEchoMessage(strings.Repeat("x", 1024))); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestGRPCIdleCallFails checks that the idle call reports a gRPC error: an
// Osprey server without echo.Echo answers UNIMPLEMENTED (12).
func TestGRPCIdleCallFails(t *testing.T) {
	c, addr := dialH2(t, func(ln net.Listener) (func(), error) {
		s, err := ospreyserver.New()
		if err != nil {
			return nil, err
		}
		if err := health.Register(s, health.New()); err != nil {
			return nil, err
		}
		done := make(chan struct{})
		go func() {
			defer close(done)
			s.Serve(ln)
		}()
		return func() {
			s.Stop(context.Background())
			<-done
		}, nil
	})
	err := grpcRoundTrip(c, addr, system.GRPCEchoMessage("hello"))
	if err == nil || !strings.Contains(err.Error(), `grpc-status "12"`) {
		t.Fatalf("got %v, want grpc-status 12", err)
	}
}
