package server_test

import (
	"context"
	"net"
	"slices"
	"sync"
	"testing"

	"github.com/ospreyrpc/osprey/client"
	"github.com/ospreyrpc/osprey/endpoint"
	"github.com/ospreyrpc/osprey/internal/gen/echo"
	greet "github.com/ospreyrpc/osprey/internal/gen/pb/greet/v1"
	"github.com/ospreyrpc/osprey/internal/leakcheck"
	"github.com/ospreyrpc/osprey/metainfo"
	"github.com/ospreyrpc/osprey/rpcinfo"
	"github.com/ospreyrpc/osprey/server"
)

// recorder is one middleware, written once, that a client and a server
// use for Thrift and gRPC calls alike: it records each call's service,
// method and protocol as rpcinfo has them, and on the client adds a
// persistent and a transient metainfo value.
type recorder struct {
	mu    sync.Mutex
	calls []string
}

func (r *recorder) middleware(next endpoint.Endpoint) endpoint.Endpoint {
	return func(ctx context.Context, args, result any) error {
		ri := rpcinfo.FromContext(ctx)
		if ri.Role == rpcinfo.Client {
			ctx = metainfo.WithPersistent(ctx, "TENANT", "t-"+ri.Method)
			ctx = metainfo.WithTransient(ctx, "HOP", "1")
		}
		err := next(ctx, args, result)
		r.mu.Lock()
		r.calls = append(r.calls, ri.Role.String()+" "+ri.Service+"."+ri.Method+" over "+ri.Protocol)
		r.mu.Unlock()
		return err
	}
}

func (r *recorder) seen() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.calls)
}

// metaReply is what both handlers answer: the metainfo values they got,
// and one backward value for the caller. Keys are upper case with
// underscores, the form that crosses every protocol unchanged (gRPC
// carries TENANT as rpc-persist-tenant, as Kitex does).
func metaReply(ctx context.Context) string {
	tenant, _ := metainfo.Persistent(ctx, "TENANT")
	hop, _ := metainfo.Transient(ctx, "HOP")
	metainfo.SendBackward(ctx, "SERVED_BY", rpcinfo.FromContext(ctx).Method)
	return "tenant=" + tenant + " hop=" + hop
}

type metaEcho struct{ echo.UnimplementedEcho }

func (metaEcho) Echo(ctx context.Context, req *echo.Request) (*echo.Response, error) {
	return &echo.Response{Action: req.Action, Msg: metaReply(ctx)}, nil
}

type metaGreeter struct{ greet.UnimplementedGreeter }

func (metaGreeter) SayHello(ctx context.Context, req *greet.HelloRequest) (*greet.HelloReply, error) {
	return &greet.HelloReply{Message: metaReply(ctx)}, nil
}

// TestOneMiddlewareServesThriftAndGRPC registers a Thrift and a gRPC
// service on one server and port, with one middleware on the server and
// the same one on both clients: rpcinfo, metainfo (persistent and
// transient values out, a backward value back) and the middleware chain
// work the same over TTHeader and over gRPC.
func TestOneMiddlewareServesThriftAndGRPC(t *testing.T) {
	leakcheck.Check(t)
	var srvRec, cliRec recorder
	s, err := server.New(server.WithMiddleware(srvRec.middleware))
	if err != nil {
		t.Fatal(err)
	}
	if err := echo.RegisterEcho(s, metaEcho{}); err != nil {
		t.Fatal(err)
	}
	if err := greet.RegisterGreeter(s, metaGreeter{}); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go s.Serve(ln)
	t.Cleanup(func() { s.Stop(context.Background()) })
	addr := ln.Addr().String()

	tc, err := echo.NewEchoClient(addr, client.WithTTHeader(), client.WithMiddleware(cliRec.middleware))
	if err != nil {
		t.Fatal(err)
	}
	defer tc.Close()
	gc, err := greet.NewGreeterClient(addr, client.WithMiddleware(cliRec.middleware))
	if err != nil {
		t.Fatal(err)
	}
	defer gc.Close()

	ctx := metainfo.WithBackward(context.Background())
	tr, err := tc.Echo(ctx, &echo.Request{Action: "a", Msg: "m"})
	if err != nil {
		t.Fatal(err)
	}
	if want := "tenant=t-echo hop=1"; tr.Msg != want {
		t.Errorf("Thrift reply %q, want %q", tr.Msg, want)
	}
	if v, _ := metainfo.RecvBackward(ctx, "SERVED_BY"); v != "echo" {
		t.Errorf("Thrift backward served-by = %q, want echo", v)
	}

	ctx = metainfo.WithBackward(context.Background())
	gr, err := gc.SayHello(ctx, &greet.HelloRequest{Name: "n"})
	if err != nil {
		t.Fatal(err)
	}
	if want := "tenant=t-SayHello hop=1"; gr.Message != want {
		t.Errorf("gRPC reply %q, want %q", gr.Message, want)
	}
	if v, _ := metainfo.RecvBackward(ctx, "SERVED_BY"); v != "SayHello" {
		t.Errorf("gRPC backward served-by = %q, want SayHello", v)
	}

	wantCli := []string{"client Echo.echo over thrift/binary/ttheader-framed", "client greet.v1.Greeter.SayHello over grpc"}
	wantSrv := []string{"server Echo.echo over thrift/binary/ttheader-framed", "server greet.v1.Greeter.SayHello over grpc"}
	if got := cliRec.seen(); !slices.Equal(got, wantCli) {
		t.Errorf("client middleware saw %q, want %q", got, wantCli)
	}
	if got := srvRec.seen(); !slices.Equal(got, wantSrv) {
		t.Errorf("server middleware saw %q, want %q", got, wantSrv)
	}
}
