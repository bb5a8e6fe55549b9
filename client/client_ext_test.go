package client_test

import (
	"context"
	"encoding/binary"
	"errors"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/ospreyrpc/osprey/client"
	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/endpoint"
	"github.com/ospreyrpc/osprey/internal/echotest"
	"github.com/ospreyrpc/osprey/internal/gen/echo"
	"github.com/ospreyrpc/osprey/internal/leakcheck"
	"github.com/ospreyrpc/osprey/protocol/thrift"
	"github.com/ospreyrpc/osprey/rpcinfo"
	"github.com/ospreyrpc/osprey/server"
	"github.com/ospreyrpc/osprey/status"
)

func dial(t *testing.T, target string, opts ...client.Option) (*echo.EchoClient, *client.Client) {
	t.Helper()
	c, err := client.New(target, echo.EchoDesc(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return echo.NewEchoClientFrom(c), c
}

func TestCallTimeoutAndConnectionNotReused(t *testing.T) {
	leakcheck.Check(t)
	srv := echotest.Serve(t, "tcp")
	cli, raw := dial(t, srv.Target, client.WithCallTimeout(50*time.Millisecond))
	start := time.Now()
	// The handler holds the call until the client has given up.
	_, err := cli.Echo(context.Background(), &echo.Request{Action: "hold"})
	d := time.Since(start)
	close(srv.Handler.Release)
	if status.Code(err) != codes.DeadlineExceeded {
		t.Fatalf("err = %v", err)
	}
	if d > 300*time.Millisecond {
		t.Errorf("timed out after %v", d)
	}
	if n := client.IdleConns(raw); n != 0 {
		t.Errorf("timed-out connection went back to the pool (%d idle)", n)
	}
	if _, err := cli.Echo(context.Background(), &echo.Request{Msg: "next"}); err != nil {
		t.Errorf("call after timeout: %v", err)
	}
}

func TestContextDeadlineWins(t *testing.T) {
	leakcheck.Check(t)
	srv := echotest.Serve(t, "tcp")
	cli, _ := dial(t, srv.Target)
	defer close(srv.Handler.Release)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	_, err := cli.Echo(ctx, &echo.Request{Action: "hold"})
	if status.Code(err) != codes.DeadlineExceeded || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
}

func TestCancelAbortsCall(t *testing.T) {
	leakcheck.Check(t)
	srv := echotest.Serve(t, "tcp")
	cli, raw := dial(t, srv.Target)
	defer close(srv.Handler.Release)
	ctx, cancel := context.WithCancel(context.Background())
	cancelled := make(chan time.Time, 1)
	go func() {
		<-srv.Handler.Held // the call is in the server's handler
		cancelled <- time.Now()
		cancel()
	}()
	_, err := cli.Echo(ctx, &echo.Request{Action: "hold"})
	returned := time.Now()
	if status.Code(err) != codes.Canceled || !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if d := returned.Sub(<-cancelled); d > 300*time.Millisecond {
		t.Errorf("the call returned %v after cancel", d)
	}
	if client.IdleConns(raw) != 0 {
		t.Error("cancelled connection went back to the pool")
	}
	// Already cancelled: fails before sending.
	if _, err := cli.Echo(ctx, &echo.Request{}); status.Code(err) != codes.Canceled {
		t.Errorf("call with cancelled ctx: %v", err)
	}
}

func TestPoolReusesConnections(t *testing.T) {
	leakcheck.Check(t)
	srv := echotest.Serve(t, "tcp")
	var locals []string
	cli, raw := dial(t, srv.Target, client.WithMiddleware(func(next endpoint.Endpoint) endpoint.Endpoint {
		return func(ctx context.Context, req, resp any) error {
			err := next(ctx, req, resp)
			locals = append(locals, rpcinfo.FromContext(ctx).LocalAddr.String())
			return err
		}
	}))
	for i := 0; i < 5; i++ {
		if _, err := cli.Echo(context.Background(), &echo.Request{}); err != nil {
			t.Fatal(err)
		}
	}
	for _, l := range locals {
		if l != locals[0] {
			t.Fatalf("sequential calls used several connections: %v", locals)
		}
	}
	if client.IdleConns(raw) != 1 {
		t.Errorf("idle = %d, want 1", client.IdleConns(raw))
	}
}

func TestPoolLimitsAndReapsIdleConnections(t *testing.T) {
	leakcheck.Check(t)
	srv := echotest.Serve(t, "tcp")
	cli, raw := dial(t, srv.Target, client.WithMaxIdleConns(2), client.WithIdleTimeout(100*time.Millisecond))
	var wg sync.WaitGroup
	for i := 0; i < 6; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := cli.Echo(context.Background(), &echo.Request{Action: "hold"}); err != nil {
				t.Error(err)
			}
		}()
	}
	for range 6 {
		<-srv.Handler.Held // six calls at once, on six connections
	}
	close(srv.Handler.Release)
	wg.Wait()
	if n := srv.Accepted(); n != 6 {
		t.Errorf("6 concurrent calls used %d connections", n)
	}
	if n := client.IdleConns(raw); n != 2 {
		t.Errorf("idle after 6 concurrent calls = %d, want the limit 2", n)
	}
	waitFor(t, "the idle connections reaped", func() bool { return client.IdleConns(raw) == 0 })
}

// waitFor polls cond, an observed state, until it holds, and fails the
// test if it does not within 5s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not within 5s: %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func TestConnectionClosedByServerIsNotUsed(t *testing.T) {
	leakcheck.Check(t)
	defer client.SetAliveCheckAfter(10 * time.Millisecond)()
	srv := echotest.Serve(t, "tcp", server.WithIdleTimeout(50*time.Millisecond))
	cli, _ := dial(t, srv.Target)
	if _, err := cli.Echo(context.Background(), &echo.Request{}); err != nil {
		t.Fatal(err)
	}
	// The server's sweeper closes the idle connection.
	waitFor(t, "the server closed the idle connection", func() bool { return srv.OpenConns() == 0 })
	if n := srv.Accepted(); n != 1 {
		t.Fatalf("the server accepted %d connections for one call, want 1", n)
	}
	if resp, err := cli.Echo(context.Background(), &echo.Request{Msg: "fresh"}); err != nil || resp.Msg != "fresh" {
		t.Fatalf("call after the server closed the idle connection: %v, %v", resp, err)
	}
	if n := srv.Accepted(); n != 2 {
		t.Errorf("the server accepted %d connections, want 2: the client did not dial a new one", n)
	}
}

func TestInfoStaysValidAfterTheCall(t *testing.T) {
	leakcheck.Check(t)
	srv := echotest.Serve(t, "tcp")
	var infos []*rpcinfo.Info
	cli, _ := dial(t, srv.Target, client.WithMiddleware(func(next endpoint.Endpoint) endpoint.Endpoint {
		return func(ctx context.Context, req, resp any) error {
			infos = append(infos, rpcinfo.FromContext(ctx))
			return next(ctx, req, resp)
		}
	}))
	for i := 0; i < 3; i++ {
		if _, err := cli.Echo(context.Background(), &echo.Request{}); err != nil {
			t.Fatal(err)
		}
	}
	for i, ri := range infos {
		if ri.SeqID != int32(i+1) || ri.Method != "echo" || ri.End.IsZero() {
			t.Errorf("info %d changed after its call: %+v", i, ri)
		}
	}
	if infos[0] == infos[1] {
		t.Error("two calls shared one Info")
	}
}

func TestConcurrentCalls(t *testing.T) {
	leakcheck.Check(t)
	srv := echotest.Serve(t, "tcp")
	cli, _ := dial(t, srv.Target, client.WithThrift(thrift.Compact, thrift.Framed))
	var wg sync.WaitGroup
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				msg := string(rune('a'+g)) + string(rune('a'+i%26))
				resp, err := cli.Echo(context.Background(), &echo.Request{Msg: msg})
				if err != nil || resp.Msg != msg {
					t.Errorf("got %v, %v; want %q", resp, err, msg)
					return
				}
			}
		}(g)
	}
	wg.Wait()
}

func TestClosedClient(t *testing.T) {
	leakcheck.Check(t)
	srv := echotest.Serve(t, "tcp")
	cli, raw := dial(t, srv.Target)
	raw.Close()
	if _, err := cli.Echo(context.Background(), &echo.Request{}); status.Code(err) != codes.Canceled {
		t.Errorf("call on closed client: %v", err)
	}
	if err := raw.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestUnreachableServer(t *testing.T) {
	leakcheck.Check(t)
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	target := ln.Addr().String()
	ln.Close()
	cli, _ := dial(t, target)
	if _, err := cli.Echo(context.Background(), &echo.Request{}); status.Code(err) != codes.Unavailable || !status.IsNotSent(err) {
		t.Errorf("err = %v, want Unavailable, not sent", err)
	}
}

// fakeServer answers every framed request with reply(request).
func fakeServer(t *testing.T, reply func(seq int32) []byte) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		buf := make([]byte, 4096)
		for {
			n, err := c.Read(buf)
			if err != nil || n < 4 {
				return
			}
			var codec thrift.Codec
			codec.Init(thrift.Binary)
			_, _, seq, err := codec.ReadMessageBegin(buf[4:n])
			if err != nil {
				return
			}
			msg := reply(seq)
			c.Write(append(binary.BigEndian.AppendUint32(nil, uint32(len(msg))), msg...))
		}
	}()
	return ln.Addr().String()
}

func replyMessage(name string, seq int32, res thrift.Struct) []byte {
	var c thrift.Codec
	c.Init(thrift.Binary)
	return c.AppendMessage(nil, name, thrift.MessageReply, seq, res)
}

func TestReplyChecks(t *testing.T) {
	leakcheck.Check(t)
	good := &echo.EchoEchoResult{Success: &echo.Response{Action: "a", Msg: "b"}}
	tests := []struct {
		name  string
		reply func(seq int32) []byte
		code  codes.Code
	}{
		{"wrong sequence id", func(seq int32) []byte { return replyMessage("echo", seq+1, good) }, codes.Internal},
		{"wrong method", func(seq int32) []byte { return replyMessage("other", seq, good) }, codes.Internal},
		{"missing result", func(seq int32) []byte { return replyMessage("echo", seq, &echo.EchoEchoResult{}) }, codes.Internal},
		{"garbage", func(int32) []byte { return []byte{1, 2, 3} }, codes.Internal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cli, _ := dial(t, fakeServer(t, tt.reply))
			_, err := cli.Echo(context.Background(), &echo.Request{})
			if status.Code(err) != tt.code {
				t.Errorf("err = %v, want code %v", err, tt.code)
			}
		})
	}
}
