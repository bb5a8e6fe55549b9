package client_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/ospreyrpc/osprey/client"
	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/endpoint"
	"github.com/ospreyrpc/osprey/internal/echotest"
	"github.com/ospreyrpc/osprey/internal/gen/echo"
	"github.com/ospreyrpc/osprey/internal/leakcheck"
	"github.com/ospreyrpc/osprey/metainfo"
	"github.com/ospreyrpc/osprey/protocol/thrift"
	"github.com/ospreyrpc/osprey/rpcinfo"
	"github.com/ospreyrpc/osprey/status"
)

// seen formats what a handler sees of its call's metadata and caller.
func seen(ctx context.Context, keys ...string) string {
	var b strings.Builder
	for _, k := range keys {
		p, _ := metainfo.Persistent(ctx, k)
		tr, _ := metainfo.Transient(ctx, k)
		fmt.Fprintf(&b, "%s=p:%q,t:%q;", k, p, tr)
	}
	ri := rpcinfo.FromContext(ctx)
	fmt.Fprintf(&b, "caller=%s.%s log=%s", ri.CallerService, ri.CallerMethod, ri.LogID)
	return b.String()
}

// TestMetadataAcrossThreeHops chains A (this test) → B → C over TTHeader
// and checks each lifetime: persistent values reach every hop, transient
// ones only the next, backward ones come back one hop, and the deadline
// and caller's name travel.
func TestMetadataAcrossThreeHops(t *testing.T) {
	leakcheck.Check(t)
	c := echotest.Serve(t, "tcp")
	b := echotest.Serve(t, "tcp")
	toC, _ := dial(t, c.Target, client.WithTTHeader())

	var deadlineAtC time.Time
	c.Handler.SetFunc(func(ctx context.Context, req *echo.Request) (*echo.Response, error) {
		deadlineAtC, _ = ctx.Deadline()
		if err := metainfo.SendBackward(ctx, "from-c", "c"); err != nil {
			return nil, err
		}
		return &echo.Response{Msg: seen(ctx, "p", "t", "tb")}, nil
	})
	b.Handler.SetFunc(func(ctx context.Context, req *echo.Request) (*echo.Response, error) {
		atB := seen(ctx, "p", "t", "tb")
		ctx = metainfo.WithTransient(ctx, "tb", "b")
		ctx = metainfo.WithBackward(ctx)
		resp, err := toC.Echo(ctx, &echo.Request{Action: "func"})
		if err != nil {
			return nil, err
		}
		fromC, _ := metainfo.RecvBackward(ctx, "from-c")
		if err := metainfo.SendBackward(ctx, "from-b", "b+"+fromC); err != nil {
			return nil, err
		}
		return &echo.Response{Msg: atB + " | " + resp.Msg}, nil
	})

	startChain := client.WithMiddleware(func(next endpoint.Endpoint) endpoint.Endpoint {
		return func(ctx context.Context, req, resp any) error {
			rpcinfo.FromContext(ctx).LogID = "log-1"
			return next(ctx, req, resp)
		}
	})
	toB, _ := dial(t, b.Target, client.WithTTHeader(), client.WithCallerName("svc-a"), startChain)
	deadline := time.Now().Add(3 * time.Second)
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	ctx = metainfo.WithPersistent(ctx, "p", "from-a")
	ctx = metainfo.WithTransient(ctx, "t", "from-a")
	ctx = metainfo.WithBackward(ctx)
	resp, err := toB.Echo(ctx, &echo.Request{Action: "func"})
	if err != nil {
		t.Fatal(err)
	}
	atB, atC, _ := strings.Cut(resp.Msg, " | ")
	if want := `p=p:"from-a",t:"";t=p:"",t:"from-a";tb=p:"",t:"";caller=svc-a. log=log-1`; atB != want {
		t.Errorf("B saw  %s\nwant    %s", atB, want)
	}
	// C sees A's persistent value, B's transient one, not A's transient
	// one; its caller is B's service, from B's handler method.
	if want := `p=p:"from-a",t:"";t=p:"",t:"";tb=p:"",t:"b";caller=Echo.echo log=log-1`; atC != want {
		t.Errorf("C saw  %s\nwant    %s", atC, want)
	}
	if got, _ := metainfo.RecvBackward(ctx, "from-b"); got != "b+c" {
		t.Errorf("backward from B = %q, want b+c", got)
	}
	if _, ok := metainfo.RecvBackward(ctx, "from-c"); ok {
		t.Error("C's backward value skipped a hop back to A")
	}
	// The deadline is sent as the time left in whole milliseconds, rounded
	// up, and counted from when each hop received the call: never earlier
	// than A's, and later only by the hops' transit and rounding.
	if deadlineAtC.IsZero() || deadlineAtC.Before(deadline) || deadlineAtC.After(deadline.Add(100*time.Millisecond)) {
		t.Errorf("C's deadline %v, A's %v", deadlineAtC, deadline)
	}
}

func TestBusinessErrorOverTTHeader(t *testing.T) {
	leakcheck.Check(t)
	srv := echotest.Serve(t, "tcp")
	cli, _ := dial(t, srv.Target, client.WithTTHeader())
	_, err := cli.Echo(context.Background(), &echo.Request{Action: "business:10001", Msg: "balance too low"})
	se, ok := status.FromError(err)
	if !ok || se.Code() != 10001 || se.Message() != "balance too low" || !se.Business() || !se.Remote() {
		t.Fatalf("err = %#v (%v), want a remote business error 10001", se, err)
	}
	// Declared exceptions still come back as their types.
	_, err = cli.Echo(context.Background(), &echo.Request{Action: "throw", Msg: "x"})
	var ee *echo.EchoError
	if !errors.As(err, &ee) || ee.Code != 7 {
		t.Fatalf("declared exception = %v", err)
	}
	// The connection survived both.
	if resp, err := cli.Echo(context.Background(), &echo.Request{Msg: "ok"}); err != nil || resp.Msg != "ok" {
		t.Fatalf("call after business errors: %v %v", resp, err)
	}
}

func TestTTHeaderForms(t *testing.T) {
	leakcheck.Check(t)
	srv := echotest.Serve(t, "tcp")
	for _, c := range []struct {
		enc     thrift.Encoding
		framing thrift.Framing
		want    string
	}{
		{thrift.Binary, thrift.Framed, "thrift/binary/ttheader-framed"},
		{thrift.Binary, thrift.Buffered, "thrift/binary/ttheader"},
		{thrift.Compact, thrift.Framed, "thrift/compact/ttheader-framed"},
		{thrift.Compact, thrift.Buffered, "thrift/compact/ttheader"},
	} {
		t.Run(c.want, func(t *testing.T) {
			cli, _ := dial(t, srv.Target, client.WithTTHeader(), client.WithThrift(c.enc, c.framing))
			resp, err := cli.Echo(context.Background(), &echo.Request{Action: "info"})
			if err != nil {
				t.Fatal(err)
			}
			if want := "server Echo.echo " + c.want + " seq=1 oneway=false"; resp.Msg != want {
				t.Errorf("server info %q, want %q", resp.Msg, want)
			}
		})
	}
}

func TestMetadataTooLargeIsNotSent(t *testing.T) {
	leakcheck.Check(t)
	srv := echotest.Serve(t, "tcp")
	cli, _ := dial(t, srv.Target, client.WithTTHeader(), client.WithMaxMetadataSize(100))
	ctx := metainfo.WithPersistent(context.Background(), "k", strings.Repeat("v", 200))
	_, err := cli.Echo(ctx, &echo.Request{})
	if status.Code(err) != codes.InvalidArgument || !status.IsNotSent(err) || !strings.Contains(err.Error(), "limit 100") {
		t.Fatalf("err = %v, want InvalidArgument, not sent, naming the limit", err)
	}
	if srv.Accepted() != 0 {
		t.Errorf("the server got %d connections", srv.Accepted())
	}
}

// TestDrainingServerTellsClientToReconnect stops the server while a
// TTHeader call is in its handler: the reply says the connection closes
// (crrst), and the client does not keep it.
func TestDrainingServerTellsClientToReconnect(t *testing.T) {
	leakcheck.Check(t)
	srv := echotest.Serve(t, "tcp")
	cli, raw := dial(t, srv.Target, client.WithTTHeader())
	done := make(chan error, 1)
	go func() {
		_, err := cli.Echo(context.Background(), &echo.Request{Action: "hold"})
		done <- err
	}()
	<-srv.Handler.Held
	stopped := make(chan error, 1)
	go func() { stopped <- srv.Stop(context.Background()) }()
	waitFor(t, "the server draining", func() bool {
		c, err := net.Dial("tcp", srv.Target)
		if err == nil {
			c.Close()
		}
		return err != nil // the listener is closed
	})
	close(srv.Handler.Release)
	if err := <-done; err != nil {
		t.Fatalf("the call in flight: %v", err)
	}
	if n := client.IdleConns(raw); n != 0 {
		t.Errorf("the client kept %d connections the server said it closes", n)
	}
	if err := <-stopped; err != nil {
		t.Fatalf("Stop: %v", err)
	}
}
