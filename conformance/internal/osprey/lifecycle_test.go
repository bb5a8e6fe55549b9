package osprey

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/ospreyrpc/osprey/internal/gen/thrifttest"
	"github.com/ospreyrpc/osprey/internal/leakcheck"
)

func TestCheckGivesUpWhenItCannotConnect(t *testing.T) {
	leakcheck.Check(t)
	ln := listenTCP(t)
	addr := ln.Addr().String()
	ln.Close()
	err := Check(testContext(t), addr, allOptions[0])
	if err == nil || strings.Count(err.Error(), "\n") != 0 || !strings.Contains(err.Error(), "later checks not run") {
		t.Errorf("Check returned %v, want one error that ends the checks", err)
	}
}

func TestCheckEndsWithContext(t *testing.T) {
	leakcheck.Check(t)
	// A listener nobody accepts from: connecting succeeds, and no answer
	// ever comes.
	ln := listenTCP(t)
	defer ln.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	err := Check(ctx, ln.Addr().String(), allOptions[0])
	t.Logf("Check reported:\n%v", err)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Check returned %v, want an error wrapping %v", err, context.DeadlineExceeded)
	}
}

func TestStopEndsOnewaySleep(t *testing.T) {
	leakcheck.Check(t)
	s, err := Serve(listenTCP(t), discard)
	if err != nil {
		t.Fatal(err)
	}
	c, err := thrifttest.NewThriftTestClient(s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx := testContext(t)
	if err := c.TestOneway(ctx, 3600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.WaitOneway(ctx); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := s.Stop(); err != nil {
		t.Errorf("Stop: %v", err)
	}
	if d := time.Since(start); d > StopTimeout/2 {
		t.Errorf("Stop took %v with a testOneway(3600) sleeping, want it to end the sleep", d)
	}
	if err := s.Stop(); err != nil {
		t.Errorf("second Stop: %v", err)
	}
	if _, err := net.Dial("tcp", s.Addr().String()); err == nil {
		t.Error("listener still open after Stop")
	}
}

func TestWaitOnewayEndsWithContext(t *testing.T) {
	leakcheck.Check(t)
	s := start(t, listenTCP(t), nil)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := s.WaitOneway(ctx); err != context.Canceled {
		t.Errorf("WaitOneway returned %v, want %v", err, context.Canceled)
	}
}
