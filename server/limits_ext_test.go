package server_test

import (
	"context"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/ospreyrpc/osprey/client"
	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/internal/echotest"
	"github.com/ospreyrpc/osprey/internal/gen/echo"
	greet "github.com/ospreyrpc/osprey/internal/gen/pb/greet/v1"
	"github.com/ospreyrpc/osprey/internal/leakcheck"
	"github.com/ospreyrpc/osprey/limit"
	"github.com/ospreyrpc/osprey/protocol/thrift"
	"github.com/ospreyrpc/osprey/server"
	"github.com/ospreyrpc/osprey/service"
	"github.com/ospreyrpc/osprey/status"
)

// holdGreeter holds SayHello calls named "hold" until released, and
// echoes BidiHello.
type holdGreeter struct {
	greet.UnimplementedGreeter
	held, release chan struct{}
}

func newHoldGreeter() *holdGreeter {
	return &holdGreeter{held: make(chan struct{}, 16), release: make(chan struct{})}
}

func (g *holdGreeter) SayHello(ctx context.Context, req *greet.HelloRequest) (*greet.HelloReply, error) {
	if req.Name == "hold" {
		g.held <- struct{}{}
		select {
		case <-g.release:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return &greet.HelloReply{Message: "hi " + req.Name}, nil
}

func (g *holdGreeter) BidiHello(ctx context.Context, st greet.Greeter_BidiHelloServer) error {
	for {
		req, err := st.Recv()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := st.Send(&greet.HelloReply{Message: req.Name}); err != nil {
			return err
		}
	}
}

// serveLimited serves Echo, a copy of it named Second, and the greeter
// with opts.
func serveLimited(t *testing.T, g *holdGreeter, opts ...server.Option) *echotest.Server {
	t.Helper()
	return echotest.ServeWith(t, "tcp", func(s *server.Server) error {
		d := *echo.EchoDesc()
		d.Name = "Second"
		if err := s.Register(&d, second{}); err != nil {
			return err
		}
		return greet.RegisterGreeter(s, g)
	}, opts...)
}

// holdEcho starts n calls that wait in the handler until released, and
// returns once all are there; their errors arrive on the channel.
func holdEcho(t *testing.T, srv *echotest.Server, cli *echo.EchoClient, n int) <-chan error {
	t.Helper()
	errs := make(chan error, n)
	for range n {
		go func() {
			_, err := cli.Echo(context.Background(), &echo.Request{Action: "hold"})
			errs <- err
		}()
	}
	for range n {
		select {
		case <-srv.Handler.Held:
		case err := <-errs:
			t.Fatalf("a held call ended before release: %v", err)
		}
	}
	return errs
}

// releaseAll lets n held calls return and checks they succeeded.
func releaseAll(t *testing.T, release chan<- struct{}, errs <-chan error, n int) {
	t.Helper()
	for range n {
		release <- struct{}{}
	}
	for range n {
		if err := <-errs; err != nil {
			t.Fatalf("held call: %v", err)
		}
	}
}

// wantRefused checks err is the refusal of a call by a limit, with code.
func wantRefused(t *testing.T, err error, code codes.Code, msg string) {
	t.Helper()
	if err == nil {
		t.Fatalf("call admitted, want refused with %q", msg)
	}
	if status.Code(err) != code || !strings.Contains(err.Error(), msg) {
		t.Fatalf("refused with %v (code %v), want %v %q", err, status.Code(err), code, msg)
	}
}

// TestThriftConcurrencyLimit holds MaxInFlight calls in their handler over
// each Thrift form: the next call is refused with the clear message and no
// handler run, the connection stays open, and once the held calls return
// calls pass again on the same connections.
func TestThriftConcurrencyLimit(t *testing.T) {
	leakcheck.Check(t)
	for _, tc := range []struct {
		name string
		opts []client.Option
	}{
		{"framed binary", nil},
		{"buffered compact", []client.Option{client.WithThrift(thrift.Compact, thrift.Buffered)}},
		{"ttheader", []client.Option{client.WithTTHeader()}},
		{"multiplexed ttheader", []client.Option{client.WithTTHeader(), client.WithMultiplex(1)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			const n = 3
			srv := echotest.Serve(t, "tcp", server.WithLimits(limit.Policy{MaxInFlight: n}))
			cli := newClient(t, srv.Target, tc.opts...)
			errs := holdEcho(t, srv, cli, n)
			for range 3 {
				// Were it admitted, it would hold until the timeout.
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				_, err := cli.Echo(ctx, &echo.Request{Action: "hold"})
				cancel()
				wantRefused(t, err, codes.Internal, "osprey: Echo.echo rejected: server concurrency limit 3 reached")
			}
			select {
			case <-srv.Handler.Held:
				t.Fatal("a refused call ran its handler")
			default:
			}
			if got := server.InFlight(srv.Server, "", ""); got != n {
				t.Fatalf("%d calls in flight, want %d", got, n)
			}
			accepted := srv.Accepted()
			releaseAll(t, srv.Handler.Release, errs, n)
			waitFor(t, func() bool { return server.InFlight(srv.Server, "", "") == 0 })
			for range 2 * n {
				resp, err := cli.Echo(context.Background(), &echo.Request{Msg: "again"})
				if err != nil || resp.Msg != "again" {
					t.Fatalf("after release: %v %v", resp, err)
				}
			}
			if got := srv.Accepted(); got != accepted {
				t.Errorf("%d connections accepted after the refusals, %d before: a refusal cost a connection", got, accepted)
			}
			if !strings.Contains(srv.Logs(), "call rejected") {
				t.Errorf("refusals not logged:\n%s", srv.Logs())
			}
		})
	}
}

// TestGRPCConcurrencyLimit: an open stream and a held unary call fill a
// limit of 2; the next call is refused trailers-only with
// RESOURCE_EXHAUSTED; closing the stream frees its place.
func TestGRPCConcurrencyLimit(t *testing.T) {
	leakcheck.Check(t)
	g := newHoldGreeter()
	srv := serveLimited(t, g, server.WithLimits(limit.Policy{MaxInFlight: 2}))
	cli, err := greet.NewGreeterClient(srv.Target)
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	ctx := context.Background()

	st, err := cli.BidiHello(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Send(&greet.HelloRequest{Name: "s"}); err != nil {
		t.Fatal(err)
	}
	if r, err := st.Recv(); err != nil || r.Message != "s" {
		t.Fatalf("stream: %v %v", r, err)
	}
	held := make(chan error, 1)
	go func() {
		_, err := cli.SayHello(ctx, &greet.HelloRequest{Name: "hold"})
		held <- err
	}()
	<-g.held
	for range 3 {
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		_, err := cli.SayHello(ctx, &greet.HelloRequest{Name: "hold"})
		cancel()
		wantRefused(t, err, codes.ResourceExhausted, "osprey: greet.v1.Greeter.SayHello rejected: server concurrency limit 2 reached")
	}
	// A stream is refused the same way.
	st2, err := cli.BidiHello(ctx)
	if err == nil {
		_, err = st2.Recv()
	}
	wantRefused(t, err, codes.ResourceExhausted, "osprey: greet.v1.Greeter.BidiHello rejected: server concurrency limit 2 reached")

	// The open stream counts until it ends.
	if err := st.CloseSend(); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Recv(); err != io.EOF {
		t.Fatalf("stream end: %v", err)
	}
	waitFor(t, func() bool { return server.InFlight(srv.Server, "", "") == 1 })
	if r, err := cli.SayHello(ctx, &greet.HelloRequest{Name: "x"}); err != nil || r.Message != "hi x" {
		t.Fatalf("after the stream ended: %v %v", r, err)
	}
	g.release <- struct{}{}
	if err := <-held; err != nil {
		t.Fatal(err)
	}
	if got := srv.Accepted(); got != 1 {
		t.Errorf("%d connections, want the one", got)
	}
}

// TestQPSLimitPerMethod: with a burst of 3 and a rate that refills nothing
// during the test, the 4th immediate call of the method is refused; the
// same method name in another service and another method are not limited;
// and a gRPC method's own limit refuses its 3rd call with a burst of 2.
func TestQPSLimitPerMethod(t *testing.T) {
	leakcheck.Check(t)
	g := newHoldGreeter()
	srv := serveLimited(t, g,
		server.WithMethodLimits("Echo", "echo", limit.Policy{QPS: 0.001, Burst: 3}),
		server.WithMethodLimits("greet.v1.Greeter", "SayHello", limit.Policy{QPS: 0.001, Burst: 2}))
	ctx := context.Background()
	cli := newClient(t, srv.Target, client.WithTTHeader())
	for i := range 3 {
		if _, err := cli.Echo(ctx, &echo.Request{Msg: "x"}); err != nil {
			t.Fatalf("call %d of the burst: %v", i+1, err)
		}
	}
	_, err := cli.Echo(ctx, &echo.Request{Msg: "x"})
	wantRefused(t, err, codes.Internal, "osprey: Echo.echo rejected: method QPS limit 0.001 reached")

	cc, err := client.New(srv.Target, secondDesc(), client.WithTTHeader())
	if err != nil {
		t.Fatal(err)
	}
	defer cc.Close()
	other := echo.NewEchoClientFrom(cc)
	for range 10 {
		if resp, err := other.Echo(ctx, &echo.Request{Msg: "x"}); err != nil || resp.Msg != "second" {
			t.Fatalf("Second.echo, not limited: %v %v", resp, err)
		}
	}

	gc, err := greet.NewGreeterClient(srv.Target)
	if err != nil {
		t.Fatal(err)
	}
	defer gc.Close()
	for range 2 {
		if _, err := gc.SayHello(ctx, &greet.HelloRequest{Name: "x"}); err != nil {
			t.Fatal(err)
		}
	}
	_, err = gc.SayHello(ctx, &greet.HelloRequest{Name: "x"})
	wantRefused(t, err, codes.ResourceExhausted, "osprey: greet.v1.Greeter.SayHello rejected: method QPS limit 0.001 reached")
	st, err := gc.BidiHello(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Send(&greet.HelloRequest{Name: "b"}); err != nil {
		t.Fatal(err)
	}
	if r, err := st.Recv(); err != nil || r.Message != "b" {
		t.Fatalf("BidiHello, not limited: %v %v", r, err)
	}
	st.CloseSend()
	if _, err := st.Recv(); err != io.EOF {
		t.Fatal(err)
	}
}

func secondDesc() *service.Desc {
	d := *echo.EchoDesc()
	d.Name = "Second"
	return &d
}

// TestMethodAndServerLimitsTogether: a call must pass both its method's
// limits and the server's; one the server refuses gives its method's QPS
// token back.
func TestMethodAndServerLimitsTogether(t *testing.T) {
	leakcheck.Check(t)
	g := newHoldGreeter()
	srv := serveLimited(t, g,
		server.WithLimits(limit.Policy{MaxInFlight: 1}),
		server.WithMethodLimits("Echo", "echo", limit.Policy{QPS: 0.001, Burst: 1}))
	ctx := context.Background()
	gc, err := greet.NewGreeterClient(srv.Target)
	if err != nil {
		t.Fatal(err)
	}
	defer gc.Close()
	held := make(chan error, 1)
	go func() {
		_, err := gc.SayHello(ctx, &greet.HelloRequest{Name: "hold"})
		held <- err
	}()
	<-g.held // the server's one place
	cli := newClient(t, srv.Target, client.WithTTHeader())
	_, err = cli.Echo(ctx, &echo.Request{Msg: "x"})
	wantRefused(t, err, codes.Internal, "osprey: Echo.echo rejected: server concurrency limit 1 reached")
	g.release <- struct{}{}
	if err := <-held; err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { return server.InFlight(srv.Server, "", "") == 0 })
	// The method's one token is still there.
	if _, err := cli.Echo(ctx, &echo.Request{Msg: "x"}); err != nil {
		t.Fatalf("the refused call's token was not given back: %v", err)
	}
	_, err = cli.Echo(ctx, &echo.Request{Msg: "x"})
	wantRefused(t, err, codes.Internal, "osprey: Echo.echo rejected: method QPS limit 0.001 reached")
}

// TestSetLimitsAtRunTime swaps the server's limits while calls hold the
// old ones: new calls meet the new limit at once, and the old calls give
// their places back to the old limiter, not the new one.
func TestSetLimitsAtRunTime(t *testing.T) {
	leakcheck.Check(t)
	g := newHoldGreeter()
	srv := serveLimited(t, g, server.WithLimits(limit.Policy{MaxInFlight: 2}))
	ctx := context.Background()
	cli := newClient(t, srv.Target, client.WithTTHeader(), client.WithMultiplex(1))
	old := holdEcho(t, srv, cli, 2) // the old limiter is full

	if err := srv.SetLimits("", "", limit.Policy{MaxInFlight: 1}); err != nil {
		t.Fatal(err)
	}
	gc, err := greet.NewGreeterClient(srv.Target)
	if err != nil {
		t.Fatal(err)
	}
	defer gc.Close()
	held := make(chan error, 1)
	go func() {
		_, err := gc.SayHello(ctx, &greet.HelloRequest{Name: "hold"})
		held <- err
	}()
	<-g.held // admitted by the new limiter, though the old one is full
	_, err = cli.Echo(ctx, &echo.Request{Msg: "x"})
	wantRefused(t, err, codes.Internal, "osprey: Echo.echo rejected: server concurrency limit 1 reached")

	releaseAll(t, srv.Handler.Release, old, 2)
	// Once the Thrift connection is idle its calls have released.
	waitFor(t, func() bool { return server.BusyConns(srv.Server) == 0 })
	if got := server.InFlight(srv.Server, "", ""); got != 1 {
		t.Fatalf("new limiter holds %d calls, want 1: the old calls released to it", got)
	}
	_, err = cli.Echo(ctx, &echo.Request{Msg: "x"})
	wantRefused(t, err, codes.Internal, "osprey: Echo.echo rejected: server concurrency limit 1 reached")
	g.release <- struct{}{}
	if err := <-held; err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { return server.InFlight(srv.Server, "", "") == 0 })
	if _, err := cli.Echo(ctx, &echo.Request{Msg: "x"}); err != nil {
		t.Fatal(err)
	}

	// A method's limits, set and removed.
	if err := srv.SetLimits("Echo", "echo", limit.Policy{QPS: 0.001, Burst: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := cli.Echo(ctx, &echo.Request{Msg: "x"}); err != nil {
		t.Fatal(err)
	}
	_, err = cli.Echo(ctx, &echo.Request{Msg: "x"})
	wantRefused(t, err, codes.Internal, "osprey: Echo.echo rejected: method QPS limit 0.001 reached")
	if err := srv.SetLimits("Echo", "echo", limit.Policy{}); err != nil {
		t.Fatal(err)
	}
	if err := srv.SetLimits("", "", limit.Policy{}); err != nil {
		t.Fatal(err)
	}
	for range 5 {
		if _, err := cli.Echo(ctx, &echo.Request{Msg: "x"}); err != nil {
			t.Fatalf("limits removed: %v", err)
		}
	}

	for _, c := range []struct {
		service, method string
		p               limit.Policy
	}{
		{"Echo", "nope", limit.Policy{MaxInFlight: 1}},
		{"Nope", "echo", limit.Policy{MaxInFlight: 1}},
		{"Echo", "", limit.Policy{MaxInFlight: 1}},
		{"", "echo", limit.Policy{MaxInFlight: 1}},
		{"", "", limit.Policy{QPS: -1}},
		{"Echo", "echo", limit.Policy{Burst: 3}},
	} {
		if err := srv.SetLimits(c.service, c.method, c.p); err == nil || !strings.HasPrefix(err.Error(), "server: SetLimits") {
			t.Errorf("SetLimits(%q, %q, %+v): %v, want an error", c.service, c.method, c.p, err)
		}
	}
}

// TestLimitOptionErrors: bad policies fail New, a method limited twice
// fails New, and a limited method no service has fails Serve.
func TestLimitOptionErrors(t *testing.T) {
	for i, opts := range [][]server.Option{
		{server.WithLimits(limit.Policy{MaxInFlight: -1})},
		{server.WithLimits(limit.Policy{}), server.WithLimits(limit.Policy{})},
		{server.WithMethodLimits("Echo", "echo", limit.Policy{Adaptive: &limit.AdaptivePolicy{}})},
		{server.WithMethodLimits("Echo", "", limit.Policy{})},
		{server.WithMethodLimits("Echo", "echo", limit.Policy{}), server.WithMethodLimits("Echo", "echo", limit.Policy{QPS: 1})},
	} {
		if _, err := server.New(opts...); err == nil {
			t.Errorf("case %d: New accepted bad limits", i)
		}
	}
	s, err := server.New(server.WithMethodLimits("Echo", "nope", limit.Policy{MaxInFlight: 1}))
	if err != nil {
		t.Fatal(err)
	}
	if err := echo.RegisterEcho(s, second{}); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Serve(ln); err == nil || !strings.Contains(err.Error(), "WithMethodLimits(Echo, nope)") {
		t.Fatalf("Serve with a limit on an unknown method: %v", err)
	}
}

// TestOnewayOverLimitIsDropped: a oneway call a limit refuses gets no
// reply (there is none to carry the refusal) and no handler run.
func TestOnewayOverLimitIsDropped(t *testing.T) {
	leakcheck.Check(t)
	srv := echotest.Serve(t, "tcp", server.WithMethodLimits("Echo", "notify", limit.Policy{QPS: 0.001, Burst: 1}))
	cli := newClient(t, srv.Target)
	ctx := context.Background()
	for _, m := range []string{"first", "second"} {
		if err := cli.Notify(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	// A two-way call after them on the same connection: once it returns,
	// both oneway calls have been read and served or dropped.
	if _, err := cli.Echo(ctx, &echo.Request{Msg: "x"}); err != nil {
		t.Fatal(err)
	}
	if got := <-srv.Handler.Notified; got != "first" {
		t.Fatalf("notified %q, want first", got)
	}
	select {
	case got := <-srv.Handler.Notified:
		t.Fatalf("the refused oneway call ran: %q", got)
	default:
	}
}
