package client_test

import (
	"testing"
	"time"

	"github.com/ospreyrpc/osprey/client"
	"github.com/ospreyrpc/osprey/internal/echotest"
	"github.com/ospreyrpc/osprey/internal/gen/echo"
	"github.com/ospreyrpc/osprey/internal/leakcheck"
)

func TestWarmUp(t *testing.T) {
	leakcheck.Check(t)
	srv := echotest.Serve(t, "tcp")
	_, raw := dial(t, srv.Target, client.WithWarmUp(3))
	if n := client.IdleConns(raw); n != 3 {
		t.Fatalf("after New the pool holds %d idle connections, want 3", n)
	}
	if n := srv.WaitOpenConns(3); n != 3 {
		t.Fatalf("server sees %d connections, want 3", n)
	}

	mux := echotest.Serve(t, "tcp")
	dial(t, mux.Target, client.WithMultiplex(2), client.WithWarmUp(1))
	if n := mux.WaitOpenConns(2); n != 2 {
		t.Fatalf("multiplexed: server sees %d connections, want 2", n)
	}

	g, _ := serveGreeter(t)
	dialGreeter(t, g.Target, client.WithWarmUp(5))
	if n := g.WaitOpenConns(1); n != 1 {
		t.Fatalf("gRPC: server sees %d connections, want 1", n)
	}

	// Without it nothing is dialed before the first call.
	cold := echotest.Serve(t, "tcp")
	_, raw = dial(t, cold.Target)
	if n := client.IdleConns(raw); n != 0 {
		t.Fatalf("without warm-up %d idle connections", n)
	}
}

// An unreachable instance does not fail New, and New waits no longer than
// the connect timeout.
func TestWarmUpUnreachable(t *testing.T) {
	leakcheck.Check(t)
	srv := echotest.Serve(t, "tcp")
	start := time.Now()
	_, raw := dial(t, deadAddr(t)+","+srv.Target, client.WithWarmUp(2), client.WithConnectTimeout(time.Second))
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("New took %v", d)
	}
	if n := client.IdleConns(raw); n != 2 {
		t.Fatalf("%d idle connections, want the live instance's 2", n)
	}
	for _, bad := range []int{0, -1, 1025} {
		if c, err := client.New(srv.Target, echo.EchoDesc(), client.WithWarmUp(bad)); err == nil {
			c.Close()
			t.Errorf("WithWarmUp(%d) accepted", bad)
		}
	}
}
