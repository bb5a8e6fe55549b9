package server_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/ospreyrpc/osprey/client"
	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/endpoint"
	"github.com/ospreyrpc/osprey/internal/echotest"
	"github.com/ospreyrpc/osprey/internal/gen/echo"
	"github.com/ospreyrpc/osprey/internal/leakcheck"
	"github.com/ospreyrpc/osprey/protocol/thrift"
	"github.com/ospreyrpc/osprey/rpcinfo"
	"github.com/ospreyrpc/osprey/service"
	"github.com/ospreyrpc/osprey/status"
)

var combinations = []struct {
	enc     thrift.Encoding
	framing thrift.Framing
}{
	{thrift.Binary, thrift.Framed},
	{thrift.Binary, thrift.Buffered},
	{thrift.Compact, thrift.Framed},
	{thrift.Compact, thrift.Buffered},
}

func newClient(t *testing.T, target string, opts ...client.Option) *echo.EchoClient {
	t.Helper()
	c, err := echo.NewEchoClient(target, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// TestEchoEveryProtocolAndNetwork calls the server in each of the four
// Thrift forms over TCP and a Unix socket, and checks both sides' rpcinfo.
func TestEchoEveryProtocolAndNetwork(t *testing.T) {
	leakcheck.Check(t)
	for _, network := range []string{"tcp", "unix"} {
		for _, c := range combinations {
			name := network + "/" + c.enc.String() + "/" + c.framing.String()
			t.Run(name, func(t *testing.T) {
				srv := echotest.Serve(t, network)
				var clientInfo *rpcinfo.Info
				cli := newClient(t, srv.Target, client.WithThrift(c.enc, c.framing),
					client.WithMiddleware(func(next endpoint.Endpoint) endpoint.Endpoint {
						return func(ctx context.Context, req, resp any) error {
							clientInfo = rpcinfo.FromContext(ctx)
							return next(ctx, req, resp)
						}
					}))
				for i := 1; i <= 3; i++ {
					resp, err := cli.Echo(context.Background(), &echo.Request{Action: "info", Msg: "x"})
					if err != nil {
						t.Fatal(err)
					}
					want := "server Echo.echo thrift/" + c.enc.String() + "/" + c.framing.String() + " seq=" + string(rune('0'+i)) + " oneway=false"
					if resp.Msg != want {
						t.Fatalf("server saw %q, want %q", resp.Msg, want)
					}
				}
				ri := clientInfo
				if ri.Role != rpcinfo.Client || ri.Service != "Echo" || ri.Method != "echo" || ri.SeqID != 3 ||
					ri.Protocol != "thrift/"+c.enc.String()+"/"+c.framing.String() {
					t.Errorf("client info %+v", ri)
				}
				if ri.BytesOut <= 0 || ri.BytesIn <= 0 || ri.End.Before(ri.Start) || ri.Deadline.IsZero() ||
					ri.Callee() == nil || ri.Caller() == nil || ri.Callee().Network() != network {
					t.Errorf("client info incomplete: %+v", ri)
				}
			})
		}
	}
}

func TestErrorsReachTheCaller(t *testing.T) {
	leakcheck.Check(t)
	srv := echotest.Serve(t, "tcp")
	cli := newClient(t, srv.Target)
	ctx := context.Background()

	_, err := cli.Echo(ctx, &echo.Request{Action: "throw", Msg: "declared"})
	var ee *echo.EchoError
	if !errors.As(err, &ee) || ee.Code != 7 || ee.Message != "declared" || !status.IsBusiness(err) {
		t.Errorf("declared exception: got %v (%T)", err, err)
	}
	if _, ok := err.(*echo.EchoError); !ok {
		t.Errorf("declared exception not returned as its own type: %T", err)
	}

	_, err = cli.Echo(ctx, &echo.Request{Action: "error", Msg: "plain failure"})
	if status.Code(err) != codes.Internal || !status.IsRemote(err) || !strings.Contains(err.Error(), "plain failure") {
		t.Errorf("handler error: got %v", err)
	}
	var ae *thrift.ApplicationException
	if !errors.As(err, &ae) || ae.Type != thrift.ExceptionInternalError {
		t.Errorf("handler error does not unwrap to INTERNAL_ERROR: %v", err)
	}

	_, err = cli.Echo(ctx, &echo.Request{Action: "status:Unimplemented", Msg: "nope"})
	if status.Code(err) != codes.Unimplemented {
		t.Errorf("status error: got %v", err)
	}

	_, err = cli.Echo(ctx, &echo.Request{Action: "panic", Msg: "boom"})
	if status.Code(err) != codes.Internal || !strings.Contains(err.Error(), "handler panicked") || strings.Contains(err.Error(), "boom") {
		t.Errorf("panic: got %v", err)
	}
	if logs := srv.Logs(); !strings.Contains(logs, "handler panicked") || !strings.Contains(logs, "boom") || !strings.Contains(logs, "echotest.(*Handler).Echo") {
		t.Errorf("panic not logged with its value and stack:\n%s", logs)
	}
	// The server keeps serving, on the same connection too.
	if _, err := cli.Echo(ctx, &echo.Request{Msg: "after"}); err != nil {
		t.Errorf("call after panic: %v", err)
	}
}

func TestOnewayIsDelivered(t *testing.T) {
	leakcheck.Check(t)
	srv := echotest.Serve(t, "tcp")
	cli := newClient(t, srv.Target, client.WithThrift(thrift.Compact, thrift.Buffered))
	if err := cli.Notify(context.Background(), "hello"); err != nil {
		t.Fatal(err)
	}
	if got := <-srv.Handler.Notified; got != "hello" {
		t.Errorf("notified %q", got)
	}
	// A oneway call leaves the connection in step for the next call.
	if _, err := cli.Echo(context.Background(), &echo.Request{Msg: "next"}); err != nil {
		t.Fatal(err)
	}
}

func TestUnknownMethod(t *testing.T) {
	leakcheck.Check(t)
	srv := echotest.Serve(t, "tcp")
	// A client for a service whose desc names a method the server lacks.
	desc := *echo.EchoDesc()
	desc.Methods = append([]service.Method(nil), desc.Methods...)
	desc.Methods[0].Name = "missing"
	c, err := client.New(srv.Target, &desc)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	args := echo.EchoEchoArgs{Req: &echo.Request{}}
	var res echo.EchoEchoResult
	err = c.Call(context.Background(), &desc.Methods[0], service.Call{Args: &args, Result: &res})
	if status.Code(err) != codes.Unimplemented || !status.IsRemote(err) {
		t.Errorf("got %v", err)
	}
}

func TestMiddlewareOrderBothSides(t *testing.T) {
	leakcheck.Check(t)
	var mu sync.Mutex
	var log []string
	mw := func(name string) endpoint.Middleware {
		return func(next endpoint.Endpoint) endpoint.Endpoint {
			return func(ctx context.Context, req, resp any) error {
				ri := rpcinfo.FromContext(ctx)
				mu.Lock()
				log = append(log, name+">"+ri.Role.String())
				mu.Unlock()
				err := next(ctx, req, resp)
				mu.Lock()
				log = append(log, "<"+name)
				mu.Unlock()
				return err
			}
		}
	}
	srv := echotest.Serve(t, "tcp", serverMiddleware(mw("s1"), mw("s2")))
	cli := newClient(t, srv.Target, client.WithMiddleware(mw("c1")), client.WithMiddleware(mw("c2")))
	if _, err := cli.Echo(context.Background(), &echo.Request{}); err != nil {
		t.Fatal(err)
	}
	want := "c1>client c2>client s1>server s2>server <s2 <s1 <c2 <c1"
	if got := strings.Join(log, " "); got != want {
		t.Errorf("order:\n got %s\nwant %s", got, want)
	}
}

func TestDeclaredExceptionReachesServerMiddleware(t *testing.T) {
	leakcheck.Check(t)
	var seen error
	srv := echotest.Serve(t, "tcp", serverMiddleware(func(next endpoint.Endpoint) endpoint.Endpoint {
		return func(ctx context.Context, req, resp any) error {
			seen = next(ctx, req, resp)
			return seen
		}
	}))
	cli := newClient(t, srv.Target)
	if _, err := cli.Echo(context.Background(), &echo.Request{Action: "throw"}); err == nil {
		t.Fatal("no error")
	}
	if !status.IsBusiness(seen) {
		t.Errorf("server middleware saw %v", seen)
	}
}

// TestServerInfoCompleteAfterCall keeps the server's rpcinfo past the call
// and reads it once Stop has returned, which orders it after the writes.
func TestServerInfoCompleteAfterCall(t *testing.T) {
	leakcheck.Check(t)
	var infos []*rpcinfo.Info
	srv := echotest.Serve(t, "tcp", serverMiddleware(func(next endpoint.Endpoint) endpoint.Endpoint {
		return func(ctx context.Context, req, resp any) error {
			infos = append(infos, rpcinfo.FromContext(ctx))
			return next(ctx, req, resp)
		}
	}))
	cli := newClient(t, srv.Target)
	for i := 0; i < 2; i++ {
		if _, err := cli.Echo(context.Background(), &echo.Request{Msg: "abc"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := srv.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	for i, ri := range infos {
		if ri.Role != rpcinfo.Server || ri.Service != "Echo" || ri.Method != "echo" || ri.SeqID != int32(i+1) ||
			ri.BytesIn <= 0 || ri.BytesOut <= 0 || ri.End.Before(ri.Start) || ri.Caller() == nil ||
			ri.Callee().String() != srv.Target || !ri.Deadline.IsZero() {
			t.Errorf("server info %d: %+v", i, ri)
		}
	}
	if infos[0] == infos[1] {
		t.Error("two calls shared one Info")
	}
}
