package server_test

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/ospreyrpc/osprey/client"
	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/internal/echotest"
	"github.com/ospreyrpc/osprey/internal/gen/echo"
	"github.com/ospreyrpc/osprey/internal/leakcheck"
	"github.com/ospreyrpc/osprey/server"
	"github.com/ospreyrpc/osprey/status"
)

// second answers Echo.echo as a second service with the same method name.
type second struct{}

func (second) Echo(ctx context.Context, req *echo.Request) (*echo.Response, error) {
	return &echo.Response{Msg: "second"}, nil
}
func (second) Notify(ctx context.Context, msg string) error { return nil }

// TestSameMethodInTwoServices registers two services that both have
// "echo": a plain Thrift call by the bare name is refused as ambiguous,
// while a multiplexed name and TTHeader's service name reach each one.
func TestSameMethodInTwoServices(t *testing.T) {
	leakcheck.Check(t)
	srv := echotest.ServeWith(t, "tcp", func(s *server.Server) error {
		d := *echo.EchoDesc()
		d.Name = "Second"
		return s.Register(&d, second{})
	})
	secondDesc := *echo.EchoDesc()
	secondDesc.Name = "Second"

	plain := newClient(t, srv.Target)
	_, err := plain.Echo(context.Background(), &echo.Request{Msg: "x"})
	if status.Code(err) != codes.Unimplemented || !strings.Contains(err.Error(), "several services") {
		t.Errorf("bare ambiguous name: %v, want Unimplemented naming the ambiguity", err)
	}
	for _, c := range []struct {
		name string
		desc bool // call as Second
		opts []client.Option
		want string
	}{
		{"ttheader Echo", false, []client.Option{client.WithTTHeader()}, "x"},
		{"ttheader Second", true, []client.Option{client.WithTTHeader()}, "second"},
	} {
		d := echo.EchoDesc()
		if c.desc {
			d = &secondDesc
		}
		cc, err := client.New(srv.Target, d, c.opts...)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := echo.NewEchoClientFrom(cc).Echo(context.Background(), &echo.Request{Msg: "x"})
		cc.Close()
		if err != nil || resp.Msg != c.want {
			t.Errorf("%s: %v %v, want %q", c.name, resp, err, c.want)
		}
	}
}

// TestSlowRequestIsClosedByReadTimeout opens connections that send part of
// a request, or nothing: the first kind is closed after the read timeout,
// the second is left to the idle timeout.
func TestSlowRequestIsClosedByReadTimeout(t *testing.T) {
	leakcheck.Check(t)
	srv := echotest.Serve(t, "tcp", server.WithReadTimeout(50*time.Millisecond))
	quiet, err := net.Dial("tcp", srv.Target)
	if err != nil {
		t.Fatal(err)
	}
	defer quiet.Close()
	for _, partial := range [][]byte{
		{0x00, 0x00},                         // not enough to tell the protocol
		{0x00, 0x00, 0x00, 0x20, 0x80, 0x01}, // a framed request, cut short
	} {
		c, err := net.Dial("tcp", srv.Target)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		if _, err := c.Write(partial); err != nil {
			t.Fatal(err)
		}
		waitClosed(t, c)
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("% x: closed after %v", partial, d)
		}
		c.Close()
	}
	if !strings.Contains(srv.Logs(), "too slow") {
		t.Errorf("no log line for the slow connections:\n%s", srv.Logs())
	}
	if n := srv.WaitOpenConns(1); n != 1 {
		t.Errorf("%d connections open, want the quiet one", n)
	}
}
