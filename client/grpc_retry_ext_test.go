package client_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/ospreyrpc/osprey/client"
	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/internal/leakcheck"
	"github.com/ospreyrpc/osprey/limit"
	"github.com/ospreyrpc/osprey/protocol/grpc"
	"github.com/ospreyrpc/osprey/retry"
	"github.com/ospreyrpc/osprey/server"
	"github.com/ospreyrpc/osprey/service"
	"github.com/ospreyrpc/osprey/status"
)

// Over gRPC a backup request overtakes a held first attempt, whose stream
// is reset, and the reply's metadata is the backup's.
func TestGRPCBackupRequest(t *testing.T) {
	leakcheck.Check(t)
	slow, hs := serveGreeter(t)
	fast, _ := serveGreeter(t)
	rec, info := lastInfo()
	c := dialGreeter(t, slow.Target+","+fast.Target, rec, client.WithPolicy(client.Policy{Retry: retry.Policy{
		BackupDelay: 20 * time.Millisecond, Budget: -1}}))
	hs.slow.Store(true)
	var md grpc.ResponseMD
	ctx := grpc.WithResponseMD(context.Background(), &md)
	var res wrapperspb.StringValue
	start := time.Now()
	err := c.Call(ctx, method(c, "Echo"), service.Call{Args: wrapperspb.String("maybe-hold"), Result: &res})
	if err != nil || res.Value != "maybe-hold" {
		t.Fatalf("call: %q, %v", res.Value, err)
	}
	if d := time.Since(start); d < 20*time.Millisecond || d > time.Second {
		t.Fatalf("call took %v, want the backup delay and a little", d)
	}
	if ri := info(); ri.Attempt != 2 || ri.Instance.Addr != fast.Target {
		t.Fatalf("reply from attempt %d at %v, want attempt 2 at %s", ri.Attempt, ri.Instance, fast.Target)
	}
	// The abandoned first attempt's stream is reset: its handler's
	// context ends.
	if err := <-hs.cancelled; err == nil {
		t.Fatal("the held first attempt's handler saw no cancellation")
	}
}

// Over gRPC, status codes travel: an idempotent method retries
// Unavailable by default on another instance.
func TestGRPCRetryOnUnavailable(t *testing.T) {
	leakcheck.Check(t)
	good, _ := serveGreeter(t)
	bad, hb := serveGreeter(t)
	hb.slow.Store(true)
	rec, info := lastInfo()
	c := dialGreeter(t, bad.Target+","+good.Target, rec, client.WithMethodPolicy("Echo", client.Policy{Retry: retry.Policy{
		MaxAttempts: 2, Idempotent: true, Budget: -1}}))
	for i := range 6 {
		got, err := echoCall(context.Background(), c, "flaky")
		if err != nil || got != "flaky" {
			t.Fatalf("call %d: %q, %v", i, got, err)
		}
		if ri := info(); ri.Instance.Addr != good.Target {
			t.Fatalf("call %d answered by %v", i, ri.Instance)
		}
	}
	// Not idempotent: the failure is the caller's.
	c2 := dialGreeter(t, bad.Target, client.WithMethodPolicy("Echo", client.Policy{Retry: retry.Policy{MaxAttempts: 3, Budget: -1}}))
	if _, err := echoCall(context.Background(), c2, "flaky"); status.Code(err) != codes.Unavailable {
		t.Fatalf("err = %v, want the handler's Unavailable", err)
	}
}

// An overloaded server refuses a call before decoding it
// (RESOURCE_EXHAUSTED); an idempotent method's retry takes it to another
// instance, while a method that is not idempotent gets the refusal.
func TestGRPCRetryAfterServerLimit(t *testing.T) {
	leakcheck.Check(t)
	full, hf := serveGreeter(t, server.WithLimits(limit.Policy{MaxInFlight: 1}))
	free, _ := serveGreeter(t)
	// Fill full's only place with a held call.
	holder := dialGreeter(t, full.Target)
	hctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	held := make(chan error, 1)
	go func() {
		_, err := echoCall(hctx, holder, "hold")
		held <- err
	}()
	<-hf.started

	plain := dialGreeter(t, full.Target)
	_, err := echoCall(context.Background(), plain, "x")
	if status.Code(err) != codes.ResourceExhausted || !strings.Contains(err.Error(), "concurrency limit 1") {
		t.Fatalf("call to the full server: %v, want RESOURCE_EXHAUSTED naming the limit", err)
	}

	rec, info := lastInfo()
	c := dialGreeter(t, full.Target+","+free.Target, rec, client.WithMethodPolicy("Echo", client.Policy{Retry: retry.Policy{
		MaxAttempts: 2, Idempotent: true, Budget: -1}}))
	for i := range 6 {
		got, err := echoCall(context.Background(), c, "x")
		if err != nil || got != "x" {
			t.Fatalf("call %d: %q, %v", i, got, err)
		}
		if ri := info(); ri.Instance.Addr != free.Target {
			t.Fatalf("call %d answered by %v", i, ri.Instance)
		}
	}
	cancel()
	<-held
}

// A stream whose first instance refuses connections opens on another one.
func TestGRPCStreamOpensOnAnotherInstance(t *testing.T) {
	leakcheck.Check(t)
	live, _ := serveGreeter(t)
	c := dialGreeter(t, deadAddr(t)+","+live.Target)
	for i := range 4 {
		ctx, cancel := context.WithCancel(context.Background())
		st, err := c.Stream(ctx, method(c, "Chat"))
		if err != nil {
			cancel()
			t.Fatalf("stream %d: %v", i, err)
		}
		if err := st.Send(wrapperspb.String("hi")); err != nil {
			cancel()
			t.Fatalf("stream %d: Send: %v", i, err)
		}
		var got wrapperspb.StringValue
		if err := st.Recv(&got); err != nil || got.Value != "re:hi" {
			cancel()
			t.Fatalf("stream %d: Recv: %q, %v", i, got.Value, err)
		}
		cancel()
	}
}
