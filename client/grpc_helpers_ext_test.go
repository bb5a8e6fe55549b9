package client_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/ospreyrpc/osprey/client"
	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/endpoint"
	"github.com/ospreyrpc/osprey/internal/echotest"
	"github.com/ospreyrpc/osprey/metainfo"
	"github.com/ospreyrpc/osprey/protocol/grpc"
	"github.com/ospreyrpc/osprey/server"
	"github.com/ospreyrpc/osprey/service"
	"github.com/ospreyrpc/osprey/status"
)

// sv is a google.protobuf.StringValue on the server side, through the
// grpc.Marshaler and grpc.Unmarshaler fast-path interfaces; the client
// sends and receives *wrapperspb.StringValue, a plain proto.Message. The
// wire form is the same.
type sv struct{ v string }

func (s *sv) MarshalGRPC(dst []byte) ([]byte, error) {
	return proto.MarshalOptions{}.MarshalAppend(dst, wrapperspb.String(s.v))
}

func (s *sv) UnmarshalGRPC(b []byte) error {
	var w wrapperspb.StringValue
	if err := proto.Unmarshal(b, &w); err != nil {
		return err
	}
	s.v = w.Value
	return nil
}

// testSvc is what the test server's handlers report to the test.
type testSvc struct {
	cancelled chan error    // a "hold" handler's ctx error
	started   chan struct{} // a "hold" handler has started
	slow      atomic.Bool   // "maybe-hold" holds as "hold" does, "flaky" fails Unavailable
}

// greeterDesc is a hand-written protobuf service: Echo (unary), Collect
// (client streaming: joins the requests), Split (server streaming: one
// response per character), Chat (bidi: echoes each message).
func greeterDesc(h *testSvc) *service.Desc {
	newCall := func() service.Call { return service.Call{Args: new(sv), Result: new(sv)} }
	return &service.Desc{Name: "test.Greeter", Protobuf: true, Methods: []service.Method{
		{Name: "Echo", NewCall: newCall, Handler: func(ctx context.Context, _ any, args, result any) error {
			return h.echo(ctx, args.(*sv).v, result.(*sv))
		}},
		{Name: "Collect", Kind: service.ClientStreaming, NewCall: newCall, StreamHandler: func(ctx context.Context, _ any, st endpoint.Stream) error {
			var all []string
			for {
				var m sv
				err := st.Recv(&m)
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					return err
				}
				all = append(all, m.v)
			}
			return st.Send(&sv{strings.Join(all, ",")})
		}},
		{Name: "Split", Kind: service.ServerStreaming, NewCall: newCall, StreamHandler: func(ctx context.Context, _ any, st endpoint.Stream) error {
			var m sv
			if err := st.Recv(&m); err != nil {
				return err
			}
			if m.v == "fail" {
				return status.New(codes.FailedPrecondition, "split refused")
			}
			for _, r := range m.v {
				if err := st.Send(&sv{string(r)}); err != nil {
					return err
				}
			}
			return nil
		}},
		{Name: "Chat", Kind: service.BidiStreaming, NewCall: newCall, StreamHandler: func(ctx context.Context, _ any, st endpoint.Stream) error {
			for {
				var m sv
				err := st.Recv(&m)
				if errors.Is(err, io.EOF) {
					return nil
				}
				if err != nil {
					return err
				}
				if m.v == "hold" {
					close(h.started)
					<-ctx.Done()
					h.cancelled <- ctx.Err()
					return ctx.Err()
				}
				if err := st.Send(&sv{"re:" + m.v}); err != nil {
					return err
				}
			}
		}},
	}}
}

// echo answers Echo: the request back, or what the request asks for.
func (h *testSvc) echo(ctx context.Context, req string, res *sv) error {
	switch {
	case req == "error":
		return status.New(codes.NotFound, "no such thing: 100% gone").WithDetails(
			grpc.Any{TypeURL: "type.googleapis.com/google.protobuf.StringValue", Value: []byte{10, 3, 'w', 'h', 'y'}})
	case req == "flaky" && h.slow.Load():
		return status.New(codes.Unavailable, "flaky instance")
	case req == "hold" || req == "maybe-hold" && h.slow.Load():
		close(h.started)
		<-ctx.Done()
		h.cancelled <- ctx.Err()
		return ctx.Err()
	case req == "meta":
		v, _ := metainfo.Persistent(ctx, "TRACE_ID")
		metainfo.SendBackward(ctx, "ECHOED", v)
		res.v = v
		return nil
	case req == "deadline":
		d, ok := ctx.Deadline()
		if !ok {
			res.v = "none"
			return nil
		}
		res.v = time.Until(d).Round(time.Second).String()
		return nil
	case strings.HasPrefix(req, "big:"):
		res.v = strings.Repeat("x", len(req)*1000)
		return nil
	}
	res.v = req
	return nil
}

// serveGreeter starts an Osprey server with the greeter service.
func serveGreeter(t *testing.T, opts ...server.Option) (*echotest.Server, *testSvc) {
	return serveGreeterB(t, opts...)
}

func serveGreeterB(t testing.TB, opts ...server.Option) (*echotest.Server, *testSvc) {
	t.Helper()
	h := &testSvc{cancelled: make(chan error, 1), started: make(chan struct{})}
	srv := echotest.ServeWith(t, "tcp", func(s *server.Server) error {
		return s.Register(greeterDesc(h), h)
	}, opts...)
	return srv, h
}

// dialGreeter returns a gRPC client of the greeter service.
func dialGreeter(t *testing.T, target string, opts ...client.Option) *client.Client {
	return dialGreeterB(t, target, opts...)
}

func dialGreeterB(t testing.TB, target string, opts ...client.Option) *client.Client {
	t.Helper()
	c, err := client.New(target, greeterDesc(nil), opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// method returns the greeter's method named name.
func method(c *client.Client, name string) *service.Method {
	for i, m := range greeterDesc(nil).Methods {
		if m.Name == name {
			return &greeterDesc(nil).Methods[i]
		}
	}
	panic("no method " + name)
}

// echoCall calls Echo with s.
func echoCall(ctx context.Context, c *client.Client, s string) (string, error) {
	var res wrapperspb.StringValue
	err := c.Call(ctx, method(c, "Echo"), service.Call{Args: wrapperspb.String(s), Result: &res})
	return res.Value, err
}

type (
	serviceCallT     = service.Call
	streamCall       = endpoint.StreamCall
	streamEP         = endpoint.StreamEndpoint
	endpointStreamMW = endpoint.StreamMiddleware
)
