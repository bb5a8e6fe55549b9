package rpcinfo_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ospreyrpc/osprey/metainfo"
	"github.com/ospreyrpc/osprey/rpcinfo"
)

func TestInitDeadlineEndsTheContext(t *testing.T) {
	var h rpcinfo.Holder
	dl := time.Now().Add(30 * time.Millisecond)
	ctx, _ := h.InitDeadline(context.Background(), dl)
	if got, ok := ctx.Deadline(); !ok || !got.Equal(dl) {
		t.Fatalf("Deadline() = %v, %v; want %v", got, ok, dl)
	}
	if err := ctx.Err(); err != nil {
		t.Fatalf("Err() before the deadline = %v", err)
	}
	<-ctx.Done() // fires at the deadline; the test times out if it never does
	if !errors.Is(ctx.Err(), context.DeadlineExceeded) || time.Now().Before(dl) {
		t.Fatalf("after Done: Err() = %v at %v, deadline %v", ctx.Err(), time.Now(), dl)
	}
	h.Close()
	if !errors.Is(ctx.Err(), context.DeadlineExceeded) {
		t.Fatalf("Close changed the error to %v", ctx.Err())
	}
}

func TestInitDeadlineFollowsParent(t *testing.T) {
	parent, cancel := context.WithCancel(context.Background())
	var h rpcinfo.Holder
	ctx, _ := h.InitDeadline(parent, time.Now().Add(time.Hour))
	done := ctx.Done()
	cancel()
	<-done
	if !errors.Is(ctx.Err(), context.Canceled) {
		t.Fatalf("Err() = %v, want Canceled", ctx.Err())
	}

	// A later deadline than the parent's leaves the parent's.
	p2, c2 := context.WithTimeout(context.Background(), time.Minute)
	defer c2()
	pd, _ := p2.Deadline()
	var h2 rpcinfo.Holder
	ctx2, _ := h2.InitDeadline(p2, pd.Add(time.Hour))
	if got, _ := ctx2.Deadline(); !got.Equal(pd) {
		t.Fatalf("Deadline() = %v, want the parent's %v", got, pd)
	}
}

func TestInitDeadlinePassedAndClose(t *testing.T) {
	var h rpcinfo.Holder
	ctx, _ := h.InitDeadline(context.Background(), time.Now().Add(-time.Second))
	if !errors.Is(ctx.Err(), context.DeadlineExceeded) {
		t.Fatalf("Err() with a passed deadline = %v", ctx.Err())
	}
	select {
	case <-ctx.Done():
	default:
		t.Fatal("Done not closed for a passed deadline")
	}

	var h2 rpcinfo.Holder
	ctx2, _ := h2.InitDeadline(context.Background(), time.Now().Add(time.Hour))
	d := ctx2.Done()
	h2.Close()
	<-d
	if !errors.Is(ctx2.Err(), context.Canceled) {
		t.Fatalf("after Close: Err() = %v, want Canceled", ctx2.Err())
	}
}

func TestInfoAnswersMetainfo(t *testing.T) {
	ctx, ri := rpcinfo.NewContext(context.Background())
	ri.Metadata = metainfo.Incoming([]metainfo.Pair{{Key: "p", Value: "1"}}, []metainfo.Pair{{Key: "t", Value: "2"}})
	ri.EnableBackward()
	if v, ok := metainfo.Persistent(ctx, "p"); !ok || v != "1" {
		t.Fatalf("Persistent = %q, %v", v, ok)
	}
	if v, ok := metainfo.Transient(ctx, "t"); !ok || v != "2" {
		t.Fatalf("Transient = %q, %v", v, ok)
	}
	if err := metainfo.SendBackward(ctx, "b", "3"); err != nil {
		t.Fatal(err)
	}
	if got := ri.Backward(); len(got) != 1 || got[0] != (metainfo.Pair{Key: "b", Value: "3"}) {
		t.Fatalf("Backward() = %v", got)
	}
}
