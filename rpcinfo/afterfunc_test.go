package rpcinfo_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ospreyrpc/osprey/rpcinfo"
)

// waitDone fails unless ctx ends with want within a few seconds.
func waitDone(t *testing.T, ctx context.Context, want error) {
	t.Helper()
	select {
	case <-ctx.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the derived context did not end")
	}
	if err := ctx.Err(); !errors.Is(err, want) {
		t.Fatalf("Err() = %v, want %v", err, want)
	}
}

// TestDerivedContextsEnd checks that contexts derived from a call's
// context, which package context watches through its AfterFunc, end when
// the parent ends, when the call's own deadline passes, and on Close.
func TestDerivedContextsEnd(t *testing.T) {
	t.Run("parent canceled, no deadline", func(t *testing.T) {
		parent, cancel := context.WithCancel(context.Background())
		ctx, _ := new(rpcinfo.Holder).Init(parent)
		child, stop := context.WithCancel(ctx)
		defer stop()
		cancel()
		waitDone(t, child, context.Canceled)
	})
	t.Run("parent canceled, own deadline", func(t *testing.T) {
		parent, cancel := context.WithCancel(context.Background())
		var h rpcinfo.Holder
		ctx, _ := h.InitDeadline(parent, time.Now().Add(time.Hour))
		defer h.Close()
		child, stop := context.WithCancel(ctx)
		defer stop()
		cancel()
		waitDone(t, child, context.Canceled)
	})
	t.Run("own deadline passes", func(t *testing.T) {
		var h rpcinfo.Holder
		parent, cancel := context.WithCancel(context.Background())
		defer cancel()
		ctx, _ := h.InitDeadline(parent, time.Now().Add(20*time.Millisecond))
		defer h.Close()
		child, stop := context.WithCancel(ctx)
		defer stop()
		waitDone(t, child, context.DeadlineExceeded)
	})
	t.Run("Close", func(t *testing.T) {
		var h rpcinfo.Holder
		parent, cancel := context.WithCancel(context.Background())
		defer cancel()
		ctx, _ := h.InitDeadline(parent, time.Now().Add(time.Hour))
		child, stop := context.WithCancel(ctx)
		defer stop()
		h.Close()
		waitDone(t, child, context.Canceled)
	})
	t.Run("stopped AfterFunc does not run", func(t *testing.T) {
		var h rpcinfo.Holder
		ctx, _ := h.InitDeadline(context.Background(), time.Now().Add(time.Hour))
		ran := make(chan struct{})
		stop := context.AfterFunc(ctx, func() { close(ran) })
		if !stop() {
			t.Fatal("stop() = false before the context ended")
		}
		h.Close()
		<-ctx.Done()
		select {
		case <-ran:
			t.Fatal("a stopped AfterFunc ran")
		case <-time.After(20 * time.Millisecond):
		}
	})
}
