package client_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ospreyrpc/osprey/client"
	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/endpoint"
	"github.com/ospreyrpc/osprey/internal/echotest"
	"github.com/ospreyrpc/osprey/internal/gen/echo"
	"github.com/ospreyrpc/osprey/internal/leakcheck"
	"github.com/ospreyrpc/osprey/retry"
	"github.com/ospreyrpc/osprey/rpcinfo"
	"github.com/ospreyrpc/osprey/status"
)

// deadAddr returns a loopback address nothing listens on.
func deadAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// countingServer serves echo; its "func" action counts calls and answers
// with reply.
func countingServer(t *testing.T, reply func(n int64, req *echo.Request) (*echo.Response, error)) (*echotest.Server, *atomic.Int64) {
	t.Helper()
	srv := echotest.Serve(t, "tcp")
	var n atomic.Int64
	srv.Handler.SetFunc(func(ctx context.Context, req *echo.Request) (*echo.Response, error) {
		return reply(n.Add(1), req)
	})
	return srv, &n
}

// lastInfo returns a middleware option that keeps the Info of the last
// call made, and a function returning it.
func lastInfo() (client.Option, func() *rpcinfo.Info) {
	var last atomic.Pointer[rpcinfo.Info]
	return client.WithMiddleware(func(next endpoint.Endpoint) endpoint.Endpoint {
		return func(ctx context.Context, req, resp any) error {
			err := next(ctx, req, resp)
			last.Store(rpcinfo.FromContext(ctx))
			return err
		}
	}), last.Load
}

func echoReply(_ int64, req *echo.Request) (*echo.Response, error) {
	return &echo.Response{Action: req.Action, Msg: req.Msg}, nil
}

// retryInternal adds Internal to what an idempotent method retries: Thrift
// carries a server's error as an application exception, which a client sees
// as Internal.
var retryInternal = []codes.Code{codes.Internal, codes.Unavailable}

func failReply(code codes.Code) func(int64, *echo.Request) (*echo.Response, error) {
	return func(int64, *echo.Request) (*echo.Response, error) {
		return nil, status.New(code, "failing on purpose")
	}
}

// A call whose first instance refuses connections goes to the other one,
// even on a method not marked idempotent: it was certainly not sent.
func TestRetryNotSentOnAnotherInstance(t *testing.T) {
	leakcheck.Check(t)
	live, n := countingServer(t, echoReply)
	target := deadAddr(t) + "," + live.Target
	rec, info := lastInfo()
	cli, _ := dial(t, target, rec, client.WithPolicy(client.Policy{Retry: retry.Policy{MaxAttempts: 2}}))
	for i := range 10 {
		resp, err := cli.Echo(context.Background(), &echo.Request{Action: "func", Msg: "hi"})
		if err != nil || resp.Msg != "hi" {
			t.Fatalf("call %d: %v, %v", i, resp, err)
		}
		ri := info()
		if ri.Instance == nil || ri.Instance.Addr != live.Target {
			t.Fatalf("call %d went to %v, want %s", i, ri.Instance, live.Target)
		}
		if i == 0 && ri.Attempt != 2 {
			t.Fatalf("first call made %d attempts, want 2 (the dead instance first)", ri.Attempt)
		}
	}
	if got := n.Load(); got != 10 {
		t.Fatalf("the live instance served %d calls, want 10", got)
	}
	// Without a retry policy the same target fails half the calls.
	cli2, _ := dial(t, target)
	failed := 0
	for range 10 {
		if _, err := cli2.Echo(context.Background(), &echo.Request{Msg: "x"}); err != nil {
			if !status.IsNotSent(err) {
				t.Fatalf("refused connection: %v is not marked not sent", err)
			}
			failed++
		}
	}
	if failed != 5 {
		t.Fatalf("without retries %d of 10 calls failed, want 5", failed)
	}
}

// An error that may have reached the server is retried only on an
// idempotent method, and then on another instance.
func TestRetryIdempotentOnly(t *testing.T) {
	leakcheck.Check(t)
	bad, nBad := countingServer(t, failReply(codes.Internal))
	good, nGood := countingServer(t, echoReply)
	target := bad.Target + "," + good.Target

	plain, _ := dial(t, target, client.WithPolicy(client.Policy{Retry: retry.Policy{MaxAttempts: 3}}))
	if _, err := plain.Echo(context.Background(), &echo.Request{Action: "func"}); status.Code(err) != codes.Internal {
		t.Fatalf("non-idempotent call to the failing instance: err = %v, want Internal", err)
	}
	if nBad.Load() != 1 || nGood.Load() != 0 {
		t.Fatalf("non-idempotent call was retried: bad %d, good %d", nBad.Load(), nGood.Load())
	}

	idem, _ := dial(t, target, client.WithMethodPolicy("echo", client.Policy{Retry: retry.Policy{MaxAttempts: 3, Idempotent: true, Codes: retryInternal, Budget: -1}}))
	for i := range 4 {
		resp, err := idem.Echo(context.Background(), &echo.Request{Action: "func", Msg: "ok"})
		if err != nil || resp.Msg != "ok" {
			t.Fatalf("idempotent call %d: %v, %v", i, resp, err)
		}
	}
	// Every attempt at the failing instance is followed by one at the
	// good instance, which serves all four calls.
	if nGood.Load() != 4 || nBad.Load() < 2 {
		t.Fatalf("bad served %d (want at least 2), good %d (want 4)", nBad.Load(), nGood.Load())
	}
}

// A dependency failing every call receives at most (1 + budget) times the
// calls, however many attempts the policy allows.
func TestRetryBudget(t *testing.T) {
	leakcheck.Check(t)
	srv, n := countingServer(t, failReply(codes.Internal))
	const calls, budget = 1000, 0.1
	cli, _ := dial(t, srv.Target, client.WithPolicy(client.Policy{Retry: retry.Policy{
		MaxAttempts: 5, Idempotent: true, Codes: retryInternal, BaseBackoff: time.Microsecond, MaxBackoff: time.Microsecond, Budget: budget}}))
	for range calls {
		if _, err := cli.Echo(context.Background(), &echo.Request{Action: "func"}); status.Code(err) != codes.Internal {
			t.Fatalf("err = %v, want Internal", err)
		}
	}
	got := n.Load()
	t.Logf("%d calls reached the server for %d made", got, calls)
	if got > int64(calls*(1+budget)) {
		t.Fatalf("%d calls reached the server, more than (1 + %v) × %d", got, budget, calls)
	}
	if got < int64(calls*(1+budget))-5 {
		t.Fatalf("only %d calls reached the server: the budget's retries were not made", got)
	}
}

// No attempt starts when the backoff would leave no time before the deadline.
func TestRetryHonoursDeadline(t *testing.T) {
	leakcheck.Check(t)
	srv, n := countingServer(t, failReply(codes.Internal))
	cli, _ := dial(t, srv.Target, client.WithPolicy(client.Policy{
		Timeout: 100 * time.Millisecond,
		Retry:   retry.Policy{MaxAttempts: 3, Idempotent: true, Codes: retryInternal, BaseBackoff: 400 * time.Millisecond, MaxBackoff: 400 * time.Millisecond, Budget: -1},
	}))
	start := time.Now()
	_, err := cli.Echo(context.Background(), &echo.Request{Action: "func"})
	if status.Code(err) != codes.Internal {
		t.Fatalf("err = %v, want the attempt's Internal", err)
	}
	if d := time.Since(start); d > 100*time.Millisecond {
		t.Fatalf("call took %v: it waited for a retry it had no time for", d)
	}
	if n.Load() != 1 {
		t.Fatalf("%d attempts reached the server, want 1", n.Load())
	}
}

// A slow first attempt is overtaken by a backup request to another
// instance; the first is abandoned.
func TestBackupRequestWins(t *testing.T) {
	for _, tr := range []struct {
		name string
		opts []client.Option
	}{
		{"pingpong", nil},
		{"multiplexed", []client.Option{client.WithMultiplex(1)}},
	} {
		t.Run(tr.name, func(t *testing.T) {
			leakcheck.Check(t)
			slow := echotest.Serve(t, "tcp")
			fast, nFast := countingServer(t, echoReply)
			slow.Handler.SetFunc(func(ctx context.Context, req *echo.Request) (*echo.Response, error) {
				<-slow.Handler.Release // until the test ends
				return nil, errors.New("released")
			})
			defer close(slow.Handler.Release)
			rec, info := lastInfo()
			opts := append([]client.Option{rec, client.WithPolicy(client.Policy{Retry: retry.Policy{
				BackupDelay: 20 * time.Millisecond, Budget: -1}})}, tr.opts...)
			cli, _ := dial(t, slow.Target+","+fast.Target, opts...)
			start := time.Now()
			resp, err := cli.Echo(context.Background(), &echo.Request{Action: "func", Msg: "won"})
			d := time.Since(start)
			if err != nil || resp.Msg != "won" {
				t.Fatalf("call: %v, %v", resp, err)
			}
			if ri := info(); ri.Attempt != 2 || ri.Instance.Addr != fast.Target {
				t.Fatalf("reply from attempt %d at %v, want attempt 2 at %s", ri.Attempt, ri.Instance, fast.Target)
			}
			if d < 20*time.Millisecond || d > time.Second {
				t.Fatalf("call took %v, want the backup delay and a little", d)
			}
			if nFast.Load() != 1 {
				t.Fatalf("fast instance served %d calls, want 1", nFast.Load())
			}
		})
	}
}

// Calls answered before the backup delay send no backup.
func TestBackupNotSentWhenFast(t *testing.T) {
	leakcheck.Check(t)
	a, na := countingServer(t, echoReply)
	b, nb := countingServer(t, echoReply)
	cli, _ := dial(t, a.Target+","+b.Target, client.WithPolicy(client.Policy{Retry: retry.Policy{BackupDelay: time.Second}}))
	for range 50 {
		if _, err := cli.Echo(context.Background(), &echo.Request{Action: "func"}); err != nil {
			t.Fatal(err)
		}
	}
	if na.Load()+nb.Load() != 50 {
		t.Fatalf("servers saw %d calls for 50", na.Load()+nb.Load())
	}
}

// A fallback turns the final error into a reply.
func TestFallback(t *testing.T) {
	leakcheck.Check(t)
	srv, _ := countingServer(t, failReply(codes.Internal))
	var seen error
	cli, _ := dial(t, srv.Target, client.WithMethodPolicy("echo", client.Policy{
		Fallback: func(ctx context.Context, args, result any, err error) error {
			seen = err
			result.(*echo.EchoEchoResult).Success = &echo.Response{Msg: "fallback"}
			return nil
		},
	}))
	resp, err := cli.Echo(context.Background(), &echo.Request{Action: "func"})
	if err != nil || resp.Msg != "fallback" {
		t.Fatalf("call: %v, %v", resp, err)
	}
	if status.Code(seen) != codes.Internal {
		t.Fatalf("fallback saw %v", seen)
	}
}

// SetPolicy changes the policy of new calls; a call in flight keeps its own.
func TestSetPolicyAtRunTime(t *testing.T) {
	leakcheck.Check(t)
	srv := echotest.Serve(t, "tcp")
	srv.Handler.SetFunc(func(ctx context.Context, req *echo.Request) (*echo.Response, error) {
		if req.Msg == "hold" {
			select {
			case srv.Handler.Held <- struct{}{}:
			default:
			}
			<-srv.Handler.Release
		}
		return nil, status.New(codes.Unavailable, "failing")
	})
	fallback := func(name string) client.Fallback {
		return func(ctx context.Context, args, result any, err error) error {
			return errors.New(name)
		}
	}
	cli, raw := dial(t, srv.Target, client.WithPolicy(client.Policy{Fallback: fallback("old")}))
	done := make(chan error, 1)
	go func() {
		_, err := cli.Echo(context.Background(), &echo.Request{Action: "func", Msg: "hold"})
		done <- err
	}()
	<-srv.Handler.Held
	if err := raw.SetPolicy("", client.Policy{Fallback: fallback("new")}); err != nil {
		t.Fatal(err)
	}
	if _, err := cli.Echo(context.Background(), &echo.Request{Action: "func"}); err == nil || err.Error() != "new" {
		t.Fatalf("call after SetPolicy: %v, want the new fallback's error", err)
	}
	close(srv.Handler.Release)
	if err := <-done; err == nil || err.Error() != "old" {
		t.Fatalf("call in flight: %v, want the old fallback's error", err)
	}
	if err := raw.SetPolicy("echo", client.Policy{Timeout: -1}); err == nil {
		t.Fatal("SetPolicy accepted a negative timeout")
	}
	if raw.Policy("echo").Fallback == nil {
		t.Fatal("a rejected SetPolicy changed the policy")
	}
}

// A method's policy timeout bounds its calls.
func TestMethodPolicyTimeout(t *testing.T) {
	leakcheck.Check(t)
	srv := echotest.Serve(t, "tcp")
	cli, _ := dial(t, srv.Target, client.WithMethodPolicy("echo", client.Policy{Timeout: 50 * time.Millisecond}))
	start := time.Now()
	_, err := cli.Echo(context.Background(), &echo.Request{Action: "hold"})
	close(srv.Handler.Release)
	if status.Code(err) != codes.DeadlineExceeded {
		t.Fatalf("err = %v", err)
	}
	if d := time.Since(start); d > 500*time.Millisecond {
		t.Fatalf("timed out after %v, want about 50ms", d)
	}
}

func TestPolicyOptionErrors(t *testing.T) {
	for _, opts := range [][]client.Option{
		{client.WithPolicy(client.Policy{Timeout: -1})},
		{client.WithPolicy(client.Policy{}), client.WithPolicy(client.Policy{})},
		{client.WithMethodPolicy("", client.Policy{})},
		{client.WithMethodPolicy("echo", client.Policy{}), client.WithMethodPolicy("echo", client.Policy{})},
		{client.WithMethodPolicy("echo", client.Policy{Retry: retry.Policy{MaxAttempts: -1}})},
	} {
		if c, err := client.New("127.0.0.1:1", echo.EchoDesc(), opts...); err == nil {
			c.Close()
			t.Errorf("New accepted %d bad policy options", len(opts))
		}
	}
}

// Many concurrent calls whose backups fire often, and win or lose at
// random, each get their own reply: no result, metadata or abandoned
// attempt crosses calls.
func TestBackupStress(t *testing.T) {
	for _, tr := range []struct {
		name string
		opts []client.Option
	}{
		{"pingpong", nil},
		{"multiplexed", []client.Option{client.WithMultiplex(2)}},
	} {
		t.Run(tr.name, func(t *testing.T) {
			leakcheck.Check(t)
			var slow atomic.Int64
			reply := func(n int64, req *echo.Request) (*echo.Response, error) {
				if n%3 == 0 { // every third call on an instance is slow
					slow.Add(1)
					time.Sleep(5 * time.Millisecond)
				}
				return &echo.Response{Action: req.Action, Msg: req.Msg}, nil
			}
			a, _ := countingServer(t, reply)
			b, _ := countingServer(t, reply)
			opts := append([]client.Option{client.WithPolicy(client.Policy{Retry: retry.Policy{
				BackupDelay: time.Millisecond, Budget: -1}})}, tr.opts...)
			cli, _ := dial(t, a.Target+","+b.Target, opts...)
			var wg sync.WaitGroup
			errs := make(chan error, 8)
			for g := range 8 {
				wg.Go(func() {
					for i := range 100 {
						msg := fmt.Sprintf("%d-%d", g, i)
						resp, err := cli.Echo(context.Background(), &echo.Request{Action: "func", Msg: msg})
						if err != nil || resp.Msg != msg {
							errs <- fmt.Errorf("call %s: %v, %v", msg, resp, err)
							return
						}
					}
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}
			if slow.Load() == 0 {
				t.Fatal("no call was slow: the test tested nothing")
			}
		})
	}
}
