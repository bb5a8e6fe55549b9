package system

import (
	"context"
	"net"
	"os"
	"runtime"
	"time"

	"github.com/ospreyrpc/osprey/client"
	"github.com/ospreyrpc/osprey/examples/echo/gen/echo"
	"github.com/ospreyrpc/osprey/server"
)

// Osprey is Osprey with its defaults: framed binary Thrift, callers
// sharing one client with a pool of long-lived connections, a goroutine
// per server connection.
var Osprey = System{
	Name:        "osprey",
	Doc:         "Osprey, framed binary Thrift, pooled long connections",
	Serve:       serveOsprey,
	ServeOsprey: serveOspreyWith,
	NewClient: func(addr string, callers int) (Client, error) {
		return newOspreyClient(addr, client.WithMaxIdleConns(max(callers, 1)))
	},
	DialOsprey: func(target string, callers int, opts ...client.Option) (Client, error) {
		return newOspreyClient(target, append(opts, client.WithMaxIdleConns(max(callers, 1)))...)
	},
}

// callTimeout is the deadline every framework caller gives each call, as
// real callers do: a call then carries a deadline context, which costs the
// client more than context.Background.
const callTimeout = time.Second

// callContext returns the context for one call: with a deadline of
// callTimeout, or, when the environment has BENCH_CONTEXT=background (to
// compare with runs made before callers passed deadlines), Background.
func callContext() (context.Context, context.CancelFunc) {
	if backgroundCalls {
		return context.Background(), func() {}
	}
	return context.WithTimeout(context.Background(), callTimeout)
}

var backgroundCalls = os.Getenv("BENCH_CONTEXT") == "background"

// ContextAllocs measures the heap allocations of one callContext and its
// cancel, the part of a framework caller's allocations that is the
// caller's own.
func ContextAllocs() float64 {
	const n = 10000
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range n {
		_, cancel := callContext()
		cancel()
	}
	runtime.ReadMemStats(&after)
	return float64(after.Mallocs-before.Mallocs) / n
}

// newOspreyClient returns an Osprey echo client of addr with opts.
func newOspreyClient(addr string, opts ...client.Option) (Client, error) {
	c, err := echo.NewEchoServerClient(addr, opts...)
	if err != nil {
		return nil, err
	}
	return ospreyClient{c}, nil
}

type ospreyHandler struct{}

func (ospreyHandler) Echo(_ context.Context, req *echo.Request) (*echo.Response, error) {
	return &echo.Response{Action: req.Action, Msg: req.Msg}, nil
}

func serveOsprey(ln net.Listener) (func(), error) { return serveOspreyWith(ln) }

// serveOspreyWith serves echo on ln with the server options opts.
func serveOspreyWith(ln net.Listener, opts ...server.Option) (func(), error) {
	s, err := server.New(opts...)
	if err != nil {
		return nil, err
	}
	if err := echo.RegisterEchoServer(s, ospreyHandler{}); err != nil {
		return nil, err
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.Serve(ln)
	}()
	return func() {
		s.Stop(context.Background())
		<-done
	}, nil
}

type ospreyClient struct{ c *echo.EchoServerClient }

func (c ospreyClient) Caller() (Caller, error) {
	// One request per caller, reused, as kitex-benchmark pools its requests.
	req := &echo.Request{Action: "echo"}
	return func(msg string) error {
		req.Msg = msg
		ctx, cancel := callContext()
		resp, err := c.c.Echo(ctx, req)
		cancel()
		if err != nil {
			return err
		}
		return checkReply(resp.Action, resp.Msg, msg)
	}, nil
}

func (c ospreyClient) Close() error { return c.c.Close() }
