package server_test

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/ospreyrpc/osprey/client"
	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/internal/echotest"
	"github.com/ospreyrpc/osprey/internal/gen/echo"
	"github.com/ospreyrpc/osprey/internal/leakcheck"
	"github.com/ospreyrpc/osprey/protocol/thrift"
	"github.com/ospreyrpc/osprey/server"
	"github.com/ospreyrpc/osprey/service"
	"github.com/ospreyrpc/osprey/status"
)

// waitClosed reads from c until the server closes it.
func waitClosed(t *testing.T, c net.Conn) {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, err := io.Copy(io.Discard, c)
	if err != nil {
		t.Fatalf("connection not closed by the server: %v", err)
	}
}

func TestOversizedMessageClosesOnlyItsConnection(t *testing.T) {
	leakcheck.Check(t)
	srv := echotest.Serve(t, "tcp", server.WithMaxMessageSize(4<<10))
	good := newClient(t, srv.Target)
	if _, err := good.Echo(context.Background(), &echo.Request{Msg: "warm"}); err != nil {
		t.Fatal(err)
	}
	big := newClient(t, srv.Target)
	_, err := big.Echo(context.Background(), &echo.Request{Msg: strings.Repeat("x", 8<<10)})
	if status.Code(err) != codes.Unavailable {
		t.Errorf("oversized call: %v", err)
	}
	if logs := srv.Logs(); !strings.Contains(logs, "message too large") || !strings.Contains(logs, "limit 4096") {
		t.Errorf("no clear log line:\n%s", logs)
	}
	// The other connection was not affected.
	if _, err := good.Echo(context.Background(), &echo.Request{Msg: "still here"}); err != nil {
		t.Errorf("other connection broken: %v", err)
	}
}

func TestMalformedInputClosesTheConnection(t *testing.T) {
	leakcheck.Check(t)
	srv := echotest.Serve(t, "tcp")
	tests := []struct {
		name string
		in   []byte
		log  string
	}{
		{"not thrift", []byte("GET / HTTP/1.1\r\n\r\n"), "unknown protocol"},
		{"negative frame", []byte{0xff, 0xff, 0xff, 0xff, 0x80, 0x01}, "negative frame length"},
		{"bad version in frame", append([]byte{0, 0, 0, 8}, 0x80, 0x01, 0, 1, 0xff, 0xff, 0xff, 0xff), "closing connection"},
		{"bad type in unframed body", append([]byte{0x80, 0x01, 0, 1, 0, 0, 0, 4}, append([]byte("echo"), 0, 0, 0, 1, 0x63)...), "unknown type code"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := net.Dial("tcp", srv.Target)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			c.Write(tt.in)
			waitClosed(t, c)
			if !strings.Contains(srv.Logs(), tt.log) {
				t.Errorf("log lacks %q:\n%s", tt.log, srv.Logs())
			}
		})
	}
	cli := newClient(t, srv.Target)
	if _, err := cli.Echo(context.Background(), &echo.Request{}); err != nil {
		t.Errorf("server stopped serving: %v", err)
	}
}

func TestUndecodableArgumentsGetProtocolError(t *testing.T) {
	leakcheck.Check(t)
	srv := echotest.Serve(t, "tcp")
	c, err := net.Dial("tcp", srv.Target)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	// echo(req) with the required Request fields missing.
	body := []byte{0x80, 0x01, 0, 1, 0, 0, 0, 4, 'e', 'c', 'h', 'o', 0, 0, 0, 9, 0x0c, 0, 1, 0, 0}
	frame := binary.BigEndian.AppendUint32(nil, uint32(len(body)))
	c.Write(append(frame, body...))
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	reply := make([]byte, 512)
	n, err := c.Read(reply)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(reply[:n]), "required field missing") || reply[7] != 3 {
		t.Errorf("reply % x", reply[:n])
	}
}

func TestIdleConnectionsAreClosed(t *testing.T) {
	leakcheck.Check(t)
	srv := echotest.Serve(t, "tcp", server.WithIdleTimeout(100*time.Millisecond))
	c, err := net.Dial("tcp", srv.Target)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	start := time.Now()
	waitClosed(t, c)
	if d := time.Since(start); d < 100*time.Millisecond {
		t.Errorf("closed after %v, before the idle timeout", d)
	}
}

func TestGracefulStopFinishesCallsInFlight(t *testing.T) {
	leakcheck.Check(t)
	srv := echotest.Serve(t, "tcp")
	cli := newClient(t, srv.Target)
	idle := newClient(t, srv.Target)
	if _, err := idle.Echo(context.Background(), &echo.Request{}); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := cli.Echo(context.Background(), &echo.Request{Action: "hold"})
		done <- err
	}()
	<-srv.Handler.Held
	stopped := make(chan error, 1)
	go func() { stopped <- srv.Stop(context.Background()) }()
	// Stop has closed the listener, and waits for the held call.
	waitFor(t, func() bool {
		c, err := net.DialTimeout("tcp", srv.Target, time.Second)
		if err == nil {
			c.Close()
		}
		return err != nil
	})
	select {
	case err := <-stopped:
		t.Fatalf("Stop returned (%v) while a call was in its handler", err)
	default:
	}
	close(srv.Handler.Release)
	if err := <-done; err != nil {
		t.Errorf("call in flight during Stop failed: %v", err)
	}
	if err := <-stopped; err != nil {
		t.Errorf("Stop: %v", err)
	}
	if _, err := net.DialTimeout("tcp", srv.Target, time.Second); err == nil {
		t.Error("server still accepting after Stop")
	}
}

func TestStopDeadlineCancelsHandlers(t *testing.T) {
	leakcheck.Check(t)
	srv := echotest.Serve(t, "tcp")
	cli := newClient(t, srv.Target)
	done := make(chan error, 1)
	go func() {
		_, err := cli.Echo(context.Background(), &echo.Request{Action: "block"})
		done <- err
	}()
	waitFor(t, func() bool { return inFlight(srv) })
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := srv.Stop(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Stop = %v, want DeadlineExceeded", err)
	}
	if err := <-done; err == nil {
		t.Error("blocked call succeeded")
	}
}

func TestOptionAndRegisterErrors(t *testing.T) {
	bad := [][]server.Option{
		{server.WithMaxMessageSize(10)},
		{server.WithIdleTimeout(0)},
		{server.WithWriteTimeout(-time.Second)},
		{server.WithLogger(nil)},
		{server.WithMiddleware(nil)},
		{server.WithIdleTimeout(time.Second), server.WithIdleTimeout(2 * time.Second)},
		{nil},
	}
	for i, opts := range bad {
		if _, err := server.New(opts...); err == nil {
			t.Errorf("case %d: New accepted bad options", i)
		}
	}
	s, err := server.New()
	if err != nil {
		t.Fatal(err)
	}
	h := echotest.NewHandler()
	if err := echo.RegisterEcho(s, h); err != nil {
		t.Fatal(err)
	}
	if err := echo.RegisterEcho(s, h); err == nil {
		t.Error("registering a service twice succeeded")
	}
	if err := s.Register(nil, h); err == nil {
		t.Error("Register(nil) succeeded")
	}
	empty, _ := server.New()
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	if err := empty.Serve(ln); err == nil || !strings.Contains(err.Error(), "no services") {
		t.Errorf("Serve with no services: %v", err)
	}
	if err := s.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	ln2, _ := net.Listen("tcp", "127.0.0.1:0")
	if err := s.Serve(ln2); err != server.ErrStopped {
		t.Errorf("Serve after Stop = %v", err)
	}
}

func TestBadClientOptions(t *testing.T) {
	for _, target := range []string{"", "noport", "unix:", "unix://"} {
		if _, err := echo.NewEchoClient(target); err == nil {
			t.Errorf("target %q accepted", target)
		}
	}
	bad := [][]client.Option{
		{client.WithCallTimeout(0)},
		{client.WithConnectTimeout(-1)},
		{client.WithMaxIdleConns(0)},
		{client.WithIdleTimeout(0)},
		{client.WithMaxMessageSize(1)},
		{client.WithThrift(0, 0)},
		{client.WithCallTimeout(time.Second), client.WithCallTimeout(time.Second)},
		{client.WithMiddleware(nil)},
		{nil},
	}
	for i, opts := range bad {
		if _, err := echo.NewEchoClient("127.0.0.1:1", opts...); err == nil {
			t.Errorf("case %d: New accepted bad options", i)
		}
	}
}

// inFlight reports whether srv is running a handler, per the server's
// debug view of its connections.
func inFlight(srv *echotest.Server) bool { return server.BusyConns(srv.Server) > 0 }

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in 5s")
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// brokenResult is a hand-written result whose encoder panics.
type brokenResult struct{ echo.EchoEchoResult }

func (*brokenResult) EncodeBinary(*thrift.BinaryWriter) { panic("broken encoder") }

func TestReplyEncodingPanicIsAnError(t *testing.T) {
	leakcheck.Check(t)
	desc := &service.Desc{Name: "Broken", Methods: []service.Method{{
		Name: "echo",
		NewCall: func() service.Call {
			return service.Call{Args: echo.NewEchoEchoArgs(), Result: new(brokenResult)}
		},
		Handler: func(context.Context, any, any, any) error { return nil },
	}}}
	s, err := server.New(server.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Register(desc, struct{}{}); err != nil {
		t.Fatal(err)
	}
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	go s.Serve(ln)
	defer s.Stop(context.Background())
	c, err := client.New(ln.Addr().String(), desc)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	call := func() service.Call {
		return service.Call{Args: echo.NewEchoEchoArgs(), Result: new(echo.EchoEchoResult)}
	}
	err = c.Call(context.Background(), &desc.Methods[0], call())
	if status.Code(err) != codes.Internal || !strings.Contains(err.Error(), "cannot encode reply") {
		t.Errorf("err = %v", err)
	}
	if err := c.Call(context.Background(), &desc.Methods[0], call()); status.Code(err) != codes.Internal {
		t.Errorf("second call: %v", err)
	}
}
