package endpoint_test

import (
	"context"
	"io"
	"testing"

	"github.com/ospreyrpc/osprey/endpoint"
)

// pipe is an in-memory stream: what is sent is received.
type pipe struct {
	ctx    context.Context
	q      []any
	closed bool
}

func (p *pipe) Context() context.Context { return p.ctx }
func (p *pipe) Send(m any) error         { p.q = append(p.q, m); return nil }
func (p *pipe) CloseSend() error         { p.closed = true; return nil }
func (p *pipe) Recv(m any) error {
	if len(p.q) == 0 {
		return io.EOF
	}
	*(m.(*string)) = p.q[0].(string)
	p.q = p.q[1:]
	return nil
}

// tagging wraps a stream so every message sent gets a suffix.
type tagging struct {
	endpoint.Stream
	tag string
}

func (t tagging) Send(m any) error { return t.Stream.Send(m.(string) + t.tag) }

func tag(s string) endpoint.StreamMiddleware {
	return func(next endpoint.StreamEndpoint) endpoint.StreamEndpoint {
		return func(ctx context.Context, call *endpoint.StreamCall) error {
			if call.Stream != nil { // server: wrap before the handler runs
				call.Stream = tagging{call.Stream, s}
				return next(ctx, call)
			}
			err := next(ctx, call) // client: wrap what was opened
			if err == nil {
				call.Stream = tagging{call.Stream, s}
			}
			return err
		}
	}
}

func TestStreamMiddlewareWrapsBothSides(t *testing.T) {
	chain := endpoint.ChainStream(tag("-a"), nil, tag("-b"))

	// Client: the innermost endpoint opens the stream.
	p := &pipe{ctx: context.Background()}
	open := func(ctx context.Context, call *endpoint.StreamCall) error {
		call.Stream = p
		return nil
	}
	var call endpoint.StreamCall
	if err := chain(open)(context.Background(), &call); err != nil {
		t.Fatal(err)
	}
	if err := call.Stream.Send("m"); err != nil {
		t.Fatal(err)
	}
	// The outermost middleware's wrapper is the outermost stream: its tag
	// is applied first.
	var got string
	if err := p.Recv(&got); err != nil || got != "m-a-b" {
		t.Fatalf("client sent %q (%v), want m-a-b", got, err)
	}

	// Server: the innermost endpoint is the handler.
	srv := &pipe{ctx: context.Background()}
	handler := func(ctx context.Context, call *endpoint.StreamCall) error {
		return call.Stream.Send("r")
	}
	if err := chain(handler)(context.Background(), &endpoint.StreamCall{Stream: srv}); err != nil {
		t.Fatal(err)
	}
	if err := srv.Recv(&got); err != nil || got != "r-b-a" {
		t.Fatalf("server sent %q (%v), want r-b-a (inner wrapper applied first)", got, err)
	}
	if err := srv.Recv(&got); err != io.EOF {
		t.Fatalf("extra message: %v", err)
	}
}
