package rpcinfo_test

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/ospreyrpc/osprey/rpcinfo"
)

type otherKey struct{}

func TestContextRoundTrip(t *testing.T) {
	parent := context.WithValue(context.Background(), otherKey{}, "v")
	ctx, info := rpcinfo.NewContext(parent)
	info.Method = "echo"
	if got := rpcinfo.FromContext(ctx); got != info {
		t.Fatalf("FromContext = %p, want %p", got, info)
	}
	// Through a wrapping context, as middleware would make.
	wrapped, cancel := context.WithCancel(context.WithValue(ctx, otherKey{}, "shadow"))
	defer cancel()
	if got := rpcinfo.FromContext(wrapped); got != info {
		t.Fatalf("FromContext(wrapped) = %p, want %p", got, info)
	}
	if ctx.Value(otherKey{}) != "v" {
		t.Error("parent values are not visible")
	}
	if rpcinfo.FromContext(context.Background()) != nil {
		t.Error("FromContext(Background) != nil")
	}
}

func TestCallerCallee(t *testing.T) {
	a := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 1}
	b := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 2}
	c := rpcinfo.Info{Role: rpcinfo.Client, LocalAddr: a, RemoteAddr: b}
	s := rpcinfo.Info{Role: rpcinfo.Server, LocalAddr: b, RemoteAddr: a}
	if c.Caller() != a || c.Callee() != b || s.Caller() != a || s.Callee() != b {
		t.Error("caller/callee mismatch")
	}
	start := time.Now()
	i := rpcinfo.Info{Start: start}
	if i.Duration() != 0 {
		t.Error("Duration before End != 0")
	}
	i.End = start.Add(time.Millisecond)
	if i.Duration() != time.Millisecond {
		t.Errorf("Duration = %v", i.Duration())
	}
}

func TestCancelPropagatesThroughInfoContext(t *testing.T) {
	parent, cancel := context.WithCancel(context.Background())
	ctx, _ := rpcinfo.NewContext(parent)
	child, cancelChild := context.WithCancel(ctx)
	defer cancelChild()
	cancel()
	select {
	case <-child.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("cancel did not reach a child of the info context")
	}
}
