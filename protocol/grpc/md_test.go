package grpc_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/ospreyrpc/osprey/protocol/grpc"
)

func TestMD(t *testing.T) {
	md := grpc.Pairs("K", "1", "k", "2", "x-bin", "\x00")
	if got := md.Get("k"); !reflect.DeepEqual(got, []string{"1", "2"}) {
		t.Fatalf("Get(k) = %q", got)
	}
	md.Set("Y", "a")
	md.Append("y", "b")
	md.Set("z") // no values: nothing
	want := grpc.MD{"k": {"1", "2"}, "x-bin": {"\x00"}, "y": {"a", "b"}}
	if !reflect.DeepEqual(md, want) {
		t.Fatalf("md = %q, want %q", md, want)
	}
	cp := md.Copy()
	cp["k"][0] = "changed"
	if md["k"][0] != "1" {
		t.Fatal("Copy shares values")
	}
}

func TestOutgoingContext(t *testing.T) {
	ctx := context.Background()
	if _, ok := grpc.OutgoingFromContext(ctx); ok {
		t.Fatal("metadata in a bare context")
	}
	base := grpc.MD{"a": {"1"}}
	ctx1 := grpc.NewOutgoingContext(ctx, base)
	ctx2 := grpc.AppendToOutgoingContext(ctx1, "B", "2", "a", "3")
	ctx3 := grpc.AppendToOutgoingContext(ctx2, "c", "4")
	got, _ := grpc.OutgoingFromContext(ctx3)
	if want := (grpc.MD{"a": {"1", "3"}, "b": {"2"}, "c": {"4"}}); !reflect.DeepEqual(got, want) {
		t.Fatalf("outgoing = %q, want %q", got, want)
	}
	// Appending did not change what the parents carry.
	got1, _ := grpc.OutgoingFromContext(ctx1)
	if !reflect.DeepEqual(got1, base) || len(base["a"]) != 1 {
		t.Fatalf("parent changed: %q", got1)
	}
	n := 0
	grpc.RangeOutgoing(ctx3, func(k, v string) { n++ })
	if n != 4 {
		t.Fatalf("RangeOutgoing saw %d values, want 4", n)
	}
	// Sibling appends do not see each other.
	s1 := grpc.AppendToOutgoingContext(ctx2, "s", "1")
	s2 := grpc.AppendToOutgoingContext(ctx2, "s", "2")
	m1, _ := grpc.OutgoingFromContext(s1)
	m2, _ := grpc.OutgoingFromContext(s2)
	if m1["s"][0] != "1" || m2["s"][0] != "2" {
		t.Fatalf("siblings: %q %q", m1["s"], m2["s"])
	}
}

func TestResponseMDContext(t *testing.T) {
	var r grpc.ResponseMD
	ctx := grpc.WithResponseMD(context.Background(), &r)
	if grpc.ResponseMDFromContext(ctx) != &r || grpc.ResponseMDFromContext(context.Background()) != nil {
		t.Fatal("ResponseMDFromContext")
	}
	ctx = grpc.WithSendCompressor(ctx, "gzip")
	if name, ok := grpc.SendCompressorFromContext(ctx); !ok || name != "gzip" {
		t.Fatal("SendCompressorFromContext")
	}
}
