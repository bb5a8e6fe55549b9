package grpcgo_test

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	grpcgo "google.golang.org/grpc"
	gcodes "google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	_ "google.golang.org/grpc/encoding/gzip" // the server reads and writes gzip
	"google.golang.org/grpc/metadata"
	gstatus "google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/ospreyrpc/osprey/client"
	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/protocol/grpc"
	"github.com/ospreyrpc/osprey/service"
	"github.com/ospreyrpc/osprey/status"
)

// The tests here call a grpc-go server with Osprey's client. The service
// "conf.Greeter" is hand-written on both sides with
// google.protobuf.StringValue messages.

type greeterServer struct{}

// echo answers Echo: the request back with the header "x-hdr" and the
// trailers "x-trl" and "x-trl-bin", echoing the request metadata "x-in" in
// "x-in-echo"; or what the request asks for.
func (greeterServer) echo(ctx context.Context, req *wrapperspb.StringValue) (*wrapperspb.StringValue, error) {
	md, _ := metadata.FromIncomingContext(ctx)
	grpcgo.SetHeader(ctx, metadata.Pairs("x-hdr", "h", "x-in-echo", strings.Join(md.Get("x-in"), ","), "x-in-bin-echo", strings.Join(md.Get("x-in-bin"), ",")))
	grpcgo.SetTrailer(ctx, metadata.Pairs("x-trl", "t", "x-trl-bin", "\x00\x01\xff"))
	switch v := req.Value; {
	case v == "error":
		st, _ := gstatus.New(gcodes.NotFound, "no such thing: 100% gone").WithDetails(wrapperspb.String("why"))
		return nil, st.Err()
	case v == "deadline":
		d, ok := ctx.Deadline()
		if !ok {
			return wrapperspb.String("none"), nil
		}
		return wrapperspb.String(time.Until(d).Round(time.Second).String()), nil
	case v == "hold":
		<-ctx.Done()
		return nil, ctx.Err()
	case strings.HasPrefix(v, "work:"):
		time.Sleep(10 * time.Millisecond) // a handler that takes a while
	case strings.HasPrefix(v, "gzip:"):
		grpcgo.SetSendCompressor(ctx, "gzip")
	}
	return req, nil
}

var greeterDescGo = grpcgo.ServiceDesc{
	ServiceName: "conf.Greeter",
	HandlerType: (*any)(nil),
	Methods: []grpcgo.MethodDesc{{MethodName: "Echo", Handler: func(srv any, ctx context.Context, dec func(any) error, _ grpcgo.UnaryServerInterceptor) (any, error) {
		var req wrapperspb.StringValue
		if err := dec(&req); err != nil {
			return nil, err
		}
		return greeterServer{}.echo(ctx, &req)
	}}},
	Streams: []grpcgo.StreamDesc{
		{StreamName: "Split", ServerStreams: true, Handler: func(_ any, st grpcgo.ServerStream) error {
			var req wrapperspb.StringValue
			if err := st.RecvMsg(&req); err != nil {
				return err
			}
			if req.Value == "fail" {
				return gstatus.Error(gcodes.FailedPrecondition, "split refused")
			}
			for _, r := range req.Value {
				if err := st.SendMsg(wrapperspb.String(string(r))); err != nil {
					return err
				}
			}
			return nil
		}},
		{StreamName: "Collect", ClientStreams: true, Handler: func(_ any, st grpcgo.ServerStream) error {
			var all []string
			for {
				var m wrapperspb.StringValue
				err := st.RecvMsg(&m)
				if errors.Is(err, io.EOF) {
					return st.SendMsg(wrapperspb.String(strings.Join(all, ",")))
				}
				if err != nil {
					return err
				}
				all = append(all, m.Value)
			}
		}},
		{StreamName: "Chat", ServerStreams: true, ClientStreams: true, Handler: func(_ any, st grpcgo.ServerStream) error {
			st.SetHeader(metadata.Pairs("x-chat", "hello"))
			st.SetTrailer(metadata.Pairs("x-chat-end", "bye"))
			for {
				var m wrapperspb.StringValue
				err := st.RecvMsg(&m)
				if errors.Is(err, io.EOF) {
					return nil
				}
				if err != nil {
					return err
				}
				if err := st.SendMsg(wrapperspb.String("re:" + m.Value)); err != nil {
					return err
				}
			}
		}},
	},
}

// ospreyGreeter describes conf.Greeter for Osprey's client.
var ospreyGreeter = &service.Desc{Name: "conf.Greeter", Protobuf: true, Methods: []service.Method{
	{Name: "Echo"},
	{Name: "Split", Kind: service.ServerStreaming},
	{Name: "Collect", Kind: service.ClientStreaming},
	{Name: "Chat", Kind: service.BidiStreaming},
}}

// serveGo starts a grpc-go server with conf.Greeter and returns its address.
func serveGo(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := grpcgo.NewServer()
	s.RegisterService(&greeterDescGo, greeterServer{})
	go s.Serve(ln)
	t.Cleanup(s.Stop)
	return ln.Addr().String()
}

func dialOsprey(t *testing.T, addr string, opts ...client.Option) *client.Client {
	t.Helper()
	c, err := client.New(addr, ospreyGreeter, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func ospreyEcho(ctx context.Context, c *client.Client, s string) (string, error) {
	var res wrapperspb.StringValue
	err := c.Call(ctx, &ospreyGreeter.Methods[0], service.Call{Args: wrapperspb.String(s), Result: &res})
	return res.Value, err
}

func TestOspreyClientUnary(t *testing.T) {
	c := dialOsprey(t, serveGo(t))
	for _, msg := range []string{"hello", "", strings.Repeat("ü", 1<<20)} {
		got, err := ospreyEcho(context.Background(), c, msg)
		if err != nil || got != msg {
			t.Fatalf("Echo(%d bytes): %d bytes, %v", len(msg), len(got), err)
		}
	}
}

func TestOspreyClientStatusDetails(t *testing.T) {
	c := dialOsprey(t, serveGo(t))
	_, err := ospreyEcho(context.Background(), c, "error")
	se, ok := status.FromError(err)
	if !ok || se.Code() != codes.NotFound || se.Message() != "no such thing: 100% gone" || !se.Remote() {
		t.Fatalf("error %v", err)
	}
	if len(se.Details()) != 1 {
		t.Fatalf("details %v", se.Details())
	}
	a := se.Details()[0].(grpc.Any)
	var why wrapperspb.StringValue
	if a.TypeURL != "type.googleapis.com/google.protobuf.StringValue" || proto.Unmarshal(a.Value, &why) != nil || why.Value != "why" {
		t.Fatalf("detail %#v", a)
	}
}

func TestOspreyClientMetadata(t *testing.T) {
	c := dialOsprey(t, serveGo(t))
	var resp grpc.ResponseMD
	ctx := grpc.AppendToOutgoingContext(context.Background(), "x-in", "v1", "x-in", "v2", "x-in-bin", "\xff\x00")
	ctx = grpc.WithResponseMD(ctx, &resp)
	if _, err := ospreyEcho(ctx, c, "md"); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"x-hdr": "h", "x-in-echo": "v1,v2", "x-in-bin-echo": "\xff\x00"}
	for k, v := range want {
		if got := strings.Join(resp.Header[k], ","); got != v {
			t.Errorf("header %s = %q, want %q", k, got, v)
		}
	}
	if got := resp.Trailer["x-trl"]; len(got) != 1 || got[0] != "t" {
		t.Errorf("trailer x-trl = %q", got)
	}
	if got := resp.Trailer["x-trl-bin"]; len(got) != 1 || got[0] != "\x00\x01\xff" {
		t.Errorf("trailer x-trl-bin = %q", got)
	}
	if _, ok := resp.Trailer["grpc-status"]; ok {
		t.Error("grpc-status shown as user metadata")
	}
}

func TestOspreyClientDeadline(t *testing.T) {
	c := dialOsprey(t, serveGo(t), client.WithCallTimeout(8*time.Second))
	if got, err := ospreyEcho(context.Background(), c, "deadline"); err != nil || got != "8s" {
		t.Fatalf("deadline seen by grpc-go: %q %v", got, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := ospreyEcho(ctx, c, "hold"); status.Code(err) != codes.DeadlineExceeded || time.Since(start) > 2*time.Second {
		t.Fatalf("held call: %v after %v", err, time.Since(start))
	}
}

func TestOspreyClientGzip(t *testing.T) {
	gz, _ := grpc.NewGzip(-1)
	c := dialOsprey(t, serveGo(t), client.WithCompressors(gz), client.WithSendCompression(grpc.Gzip))
	msg := "gzip:" + strings.Repeat("squeeze ", 4000)
	if got, err := ospreyEcho(context.Background(), c, msg); err != nil || got != msg {
		t.Fatalf("gzip both ways: %d bytes, %v", len(got), err)
	}
}

func TestOspreyClientStreams(t *testing.T) {
	c := dialOsprey(t, serveGo(t))
	ctx := context.Background()
	var res wrapperspb.StringValue

	st, err := c.Stream(ctx, &ospreyGreeter.Methods[1]) // Split
	if err != nil {
		t.Fatal(err)
	}
	st.Send(wrapperspb.String("abc"))
	st.CloseSend()
	var got []string
	for {
		err := st.Recv(&res)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, res.Value)
	}
	if strings.Join(got, "|") != "a|b|c" {
		t.Fatalf("Split: %v", got)
	}

	st, _ = c.Stream(ctx, &ospreyGreeter.Methods[1])
	st.Send(wrapperspb.String("fail"))
	st.CloseSend()
	if err := st.Recv(&res); status.Code(err) != codes.FailedPrecondition {
		t.Fatalf("Split fail: %v", err)
	}

	st, _ = c.Stream(ctx, &ospreyGreeter.Methods[2]) // Collect
	for _, s := range []string{"x", "y"} {
		if err := st.Send(wrapperspb.String(s)); err != nil {
			t.Fatal(err)
		}
	}
	st.CloseSend()
	if err := st.Recv(&res); err != nil || res.Value != "x,y" {
		t.Fatalf("Collect: %q %v", res.Value, err)
	}
	if err := st.Recv(&res); err != io.EOF {
		t.Fatalf("Collect end: %v", err)
	}

	var md grpc.ResponseMD
	st, _ = c.Stream(grpc.WithResponseMD(ctx, &md), &ospreyGreeter.Methods[3]) // Chat
	for _, s := range []string{"1", "2"} {
		st.Send(wrapperspb.String(s))
		if err := st.Recv(&res); err != nil || res.Value != "re:"+s {
			t.Fatalf("Chat: %q %v", res.Value, err)
		}
	}
	st.CloseSend()
	if err := st.Recv(&res); err != io.EOF {
		t.Fatalf("Chat end: %v", err)
	}
	if strings.Join(md.Header["x-chat"], ",") != "hello" || strings.Join(md.Trailer["x-chat-end"], ",") != "bye" {
		t.Fatalf("stream metadata %v", md)
	}
}

func TestOspreyClientOverTLS(t *testing.T) {
	cert, pool := selfSigned(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := grpcgo.NewServer(grpcgo.Creds(credentials.NewTLS(&tls.Config{Certificates: []tls.Certificate{cert}})))
	s.RegisterService(&greeterDescGo, greeterServer{})
	go s.Serve(ln)
	t.Cleanup(s.Stop)
	c := dialOsprey(t, ln.Addr().String(), client.WithTLS(&tls.Config{RootCAs: pool}))
	if got, err := ospreyEcho(context.Background(), c, "over tls"); err != nil || got != "over tls" {
		t.Fatalf("over TLS: %q %v", got, err)
	}
	// Without the CA the handshake fails, and the call with it.
	bad := dialOsprey(t, ln.Addr().String(), client.WithTLS(&tls.Config{}))
	if _, err := ospreyEcho(context.Background(), bad, "x"); status.Code(err) != codes.Unavailable {
		t.Fatalf("untrusted server: %v", err)
	}
}

// TestOspreyClientRefusedStreamsRetried opens more streams than the
// server allows before its SETTINGS arrive: grpc-go refuses the extra
// ones (RST_STREAM(REFUSED_STREAM)) and the client sends them again,
// on another connection once the first is full; no call fails.
func TestOspreyClientRefusedStreamsRetried(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := grpcgo.NewServer(grpcgo.MaxConcurrentStreams(2))
	s.RegisterService(&greeterDescGo, greeterServer{})
	go s.Serve(ln)
	t.Cleanup(s.Stop)
	c := dialOsprey(t, ln.Addr().String())
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			msg := strings.Repeat("r", i)
			if got, err := ospreyEcho(context.Background(), c, msg); err != nil || got != msg {
				errs <- fmt.Errorf("call %d: %q %v", i, got, err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// countListener counts accepted connections.
type countListener struct {
	net.Listener
	n atomic.Int32
}

func (l *countListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.n.Add(1)
	}
	return c, err
}

// TestOspreyClientConnectionCap makes more calls at once than 16
// connections of one stream each carry: the client opens at most 16
// connections, and the other calls wait for a stream to end.
func TestOspreyClientConnectionCap(t *testing.T) {
	inner, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln := &countListener{Listener: inner}
	s := grpcgo.NewServer(grpcgo.MaxConcurrentStreams(1))
	s.RegisterService(&greeterDescGo, greeterServer{})
	go s.Serve(ln)
	t.Cleanup(s.Stop)
	c := dialOsprey(t, ln.Addr().String())
	if _, err := ospreyEcho(context.Background(), c, "warm"); err != nil { // SETTINGS seen
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			msg := fmt.Sprint("work:", i)
			if got, err := ospreyEcho(context.Background(), c, msg); err != nil || got != msg {
				errs <- fmt.Errorf("call %d: %q %v", i, got, err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := ln.n.Load(); n > 16 || n < 2 {
		t.Errorf("%d connections, want 2 to 16", n)
	}
}
