package metainfo_test

import (
	"context"
	"strings"
	"testing"

	"github.com/ospreyrpc/osprey/metainfo"
)

func TestLifetimesInOneContext(t *testing.T) {
	base := context.Background()
	ctx := metainfo.WithPersistent(base, "p", "1")
	ctx = metainfo.WithTransient(ctx, "t", "2")
	ctx2 := metainfo.WithPersistent(ctx, "p", "changed")

	if v, _ := metainfo.Persistent(ctx, "p"); v != "1" {
		t.Fatalf("child changed the parent: %q", v)
	}
	if v, _ := metainfo.Persistent(ctx2, "p"); v != "changed" {
		t.Fatalf("Persistent(ctx2) = %q", v)
	}
	if _, ok := metainfo.Persistent(base, "p"); ok {
		t.Fatal("the background context has a value")
	}
	p, tr := metainfo.FromContext(ctx2).Outgoing()
	if len(p) != 1 || p[0].Value != "changed" || len(tr) != 1 || tr[0] != (metainfo.Pair{Key: "t", Value: "2"}) {
		t.Fatalf("Outgoing() = %v, %v", p, tr)
	}
	if metainfo.WithTransient(ctx, "", "x") != ctx {
		t.Fatal("an empty key made a new context")
	}
}

func TestServerSideForwarding(t *testing.T) {
	in := metainfo.Incoming([]metainfo.Pair{{Key: "p", Value: "up"}}, []metainfo.Pair{{Key: "t", Value: "up"}})
	ctx := context.WithValue(context.Background(), metainfo.ContextKey{}, &in)
	if v, ok := metainfo.Transient(ctx, "t"); !ok || v != "up" {
		t.Fatalf("the handler does not see its caller's transient value: %q %v", v, ok)
	}
	out := metainfo.FromContext(ctx).ForCall()
	p, tr := out.Outgoing()
	if len(p) != 1 || p[0].Value != "up" {
		t.Fatalf("persistent value not forwarded: %v", p)
	}
	if len(tr) != 0 {
		t.Fatalf("upstream transient value forwarded: %v", tr)
	}
	if err := metainfo.SendBackward(ctx, "b", "v"); err == nil {
		t.Fatal("SendBackward worked on a call that did not enable it")
	}
}

func TestBackwardReceiver(t *testing.T) {
	ctx := metainfo.WithBackward(context.Background())
	m := metainfo.FromContext(ctx).ForCall()
	m.Received("k", "v")
	m.Received("", "dropped")
	if v, ok := metainfo.RecvBackward(ctx, "k"); !ok || v != "v" {
		t.Fatalf("RecvBackward = %q, %v", v, ok)
	}
	if all := metainfo.AllBackward(ctx); len(all) != 1 || all["k"] != "v" {
		t.Fatalf("AllBackward = %v", all)
	}
	if metainfo.AllBackward(context.Background()) != nil {
		t.Fatal("AllBackward without WithBackward is not nil")
	}
}

func TestSizeLimit(t *testing.T) {
	ctx := metainfo.WithPersistent(context.Background(), "k", strings.Repeat("x", 100))
	m := metainfo.FromContext(ctx)
	if m.Size() != 101 {
		t.Fatalf("Size() = %d, want 101", m.Size())
	}
	if err := m.Check(101); err != nil {
		t.Fatalf("Check at the limit: %v", err)
	}
	err := m.Check(100)
	if err == nil || !strings.Contains(err.Error(), "101 bytes") {
		t.Fatalf("Check over the limit = %v", err)
	}
}
