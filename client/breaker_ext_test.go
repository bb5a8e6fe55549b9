package client_test

import (
	"context"
	"testing"
	"time"

	"github.com/ospreyrpc/osprey/circuitbreak"
	"github.com/ospreyrpc/osprey/client"
	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/internal/leakcheck"
	"github.com/ospreyrpc/osprey/loadbalance"
	"github.com/ospreyrpc/osprey/retry"
	"github.com/ospreyrpc/osprey/status"
)

// callsUntil calls echo with msg until ok says the result is what the test
// waits for, or fails the test after 10 s.
func callsUntil(t *testing.T, c *client.Client, msg string, ok func(string, error) bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got, err := echoCall(context.Background(), c, msg)
		if ok(got, err) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("still %q, %v after 10 s", got, err)
		}
	}
}

// A method failing every call opens its breaker: later calls fail at once,
// not sent, without reaching the server; once the server recovers, a probe
// after OpenFor closes it.
func TestMethodBreaker(t *testing.T) {
	leakcheck.Check(t)
	srv, h := serveGreeter(t)
	h.slow.Store(true) // "flaky" fails Unavailable
	c := dialGreeter(t, srv.Target, client.WithMethodPolicy("Echo", client.Policy{
		Breaker: &circuitbreak.Policy{ConsecutiveFailures: 3, OpenFor: 300 * time.Millisecond},
		Retry:   retry.Policy{MaxAttempts: 3, Idempotent: true, Budget: -1},
	}))
	for i := range 3 {
		_, err := echoCall(context.Background(), c, "flaky")
		if status.Code(err) != codes.Unavailable {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	if st, ok := c.BreakerState("Echo"); !ok || st != circuitbreak.Open {
		t.Fatalf("breaker %v (has one: %v), want open", st, ok)
	}
	if _, ok := c.BreakerState("Other"); ok {
		t.Fatal("a method without a policy has a breaker")
	}
	start := time.Now()
	_, err := echoCall(context.Background(), c, "flaky")
	if !status.IsNotSent(err) || status.Code(err) != codes.Unavailable {
		t.Fatalf("call with the breaker open: %v, want Unavailable, not sent", err)
	}
	if d := time.Since(start); d > 200*time.Millisecond {
		t.Fatalf("an open breaker took %v to refuse", d)
	}
	h.slow.Store(false)
	callsUntil(t, c, "flaky", func(got string, err error) bool { return err == nil && got == "flaky" })
	if st, _ := c.BreakerState("Echo"); st != circuitbreak.Closed {
		t.Fatalf("breaker %v after a successful probe, want closed", st)
	}
}

// A default policy with a breaker gives each method a breaker of its own.
func TestDefaultBreakerIsPerMethod(t *testing.T) {
	leakcheck.Check(t)
	srv, h := serveGreeter(t)
	h.slow.Store(true)
	c := dialGreeter(t, srv.Target, client.WithPolicy(client.Policy{
		Breaker: &circuitbreak.Policy{ConsecutiveFailures: 2, OpenFor: time.Hour},
	}))
	for range 2 {
		echoCall(context.Background(), c, "flaky")
	}
	if st, _ := c.BreakerState("Echo"); st != circuitbreak.Open {
		t.Fatalf("Echo's breaker %v, want open", st)
	}
	if _, err := echoCall(context.Background(), c, "x"); !status.IsNotSent(err) {
		t.Fatalf("Echo with its breaker open: %v", err)
	}
	// Another method has its own, closed breaker.
	if st, ok := c.BreakerState("Collect"); !ok || st != circuitbreak.Closed {
		t.Fatalf("Collect's breaker %v (%v), want its own, closed", st, ok)
	}
}

// An instance failing every call stops receiving calls (its instance
// breaker opens, so the picker leaves it out) and is probed back in once
// it recovers.
func TestInstanceBreaker(t *testing.T) {
	leakcheck.Check(t)
	bad, hb := serveGreeter(t)
	good, _ := serveGreeter(t)
	hb.slow.Store(true)
	rec, info := lastInfo()
	health := loadbalance.HealthPolicy{ConsecutiveFailures: 3, EjectFor: 500 * time.Millisecond, MaxEjectFor: 500 * time.Millisecond}
	c := dialGreeter(t, bad.Target+","+good.Target, rec,
		client.WithBalancer(loadbalance.WithHealth(loadbalance.WeightedRoundRobin(), health)))
	failures := 0
	for range 20 {
		if _, err := echoCall(context.Background(), c, "flaky"); err != nil {
			failures++
		}
	}
	if failures != 3 {
		t.Fatalf("%d of 20 calls failed, want 3: the failing instance should be left out after 3", failures)
	}
	hb.slow.Store(false)
	callsUntil(t, c, "flaky", func(got string, err error) bool {
		return err == nil && info().Instance.Addr == bad.Target
	})
}
