package client_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/ospreyrpc/osprey/client"
	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/internal/leakcheck"
	"github.com/ospreyrpc/osprey/metainfo"
	"github.com/ospreyrpc/osprey/protocol/grpc"
	"github.com/ospreyrpc/osprey/status"
)

func TestGRPCUnary(t *testing.T) {
	leakcheck.Check(t)
	srv, _ := serveGreeter(t)
	c := dialGreeter(t, srv.Target)
	for _, msg := range []string{"hello", "", strings.Repeat("é", 50000)} {
		got, err := echoCall(context.Background(), c, msg)
		if err != nil || got != msg {
			t.Fatalf("Echo(%d bytes) = %d bytes, %v", len(msg), len(got), err)
		}
	}
}

func TestGRPCStatusWithDetails(t *testing.T) {
	leakcheck.Check(t)
	srv, _ := serveGreeter(t)
	c := dialGreeter(t, srv.Target)
	_, err := echoCall(context.Background(), c, "error")
	se, ok := status.FromError(err)
	if !ok || se.Code() != codes.NotFound || se.Message() != "no such thing: 100% gone" || !se.Remote() {
		t.Fatalf("error %v, want remote NotFound with the message", err)
	}
	ds := se.Details()
	if len(ds) != 1 {
		t.Fatalf("details %v", ds)
	}
	if a, ok := ds[0].(grpc.Any); !ok || a.TypeURL != "type.googleapis.com/google.protobuf.StringValue" || string(a.Value) != "\n\x03why" {
		t.Fatalf("detail %#v", ds[0])
	}
}

func TestGRPCUnknownMethod(t *testing.T) {
	leakcheck.Check(t)
	srv, _ := serveGreeter(t)
	c := dialGreeter(t, srv.Target)
	m := *method(c, "Echo")
	m.Name = "Nope"
	err := c.Call(context.Background(), &m, serviceCall("x"))
	if status.Code(err) != codes.Unimplemented {
		t.Fatalf("unknown method: %v", err)
	}
}

func TestGRPCMetainfo(t *testing.T) {
	leakcheck.Check(t)
	srv, _ := serveGreeter(t)
	c := dialGreeter(t, srv.Target)
	ctx := metainfo.WithPersistent(context.Background(), "TRACE_ID", "t-42")
	ctx = metainfo.WithBackward(ctx)
	got, err := echoCall(ctx, c, "meta")
	if err != nil || got != "t-42" {
		t.Fatalf("persistent value seen by the server: %q, %v", got, err)
	}
	if v, ok := metainfo.RecvBackward(ctx, "ECHOED"); !ok || v != "t-42" {
		t.Fatalf("backward value %q %v", v, ok)
	}
}

func TestGRPCDeadline(t *testing.T) {
	leakcheck.Check(t)
	srv, _ := serveGreeter(t)
	c := dialGreeter(t, srv.Target, client.WithCallTimeout(7*time.Second))
	got, err := echoCall(context.Background(), c, "deadline")
	if err != nil || got != "7s" {
		t.Fatalf("server deadline %q, %v; want 7s", got, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if got, err := echoCall(ctx, c, "deadline"); err != nil || got != "3s" {
		t.Fatalf("server deadline %q, %v; want 3s", got, err)
	}
}

func TestGRPCDeadlineExceededResetsStream(t *testing.T) {
	leakcheck.Check(t)
	srv, h := serveGreeter(t)
	c := dialGreeter(t, srv.Target)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := echoCall(ctx, c, "hold")
	if status.Code(err) != codes.DeadlineExceeded {
		t.Fatalf("held call: %v, want DeadlineExceeded", err)
	}
	select {
	case err := <-h.cancelled:
		if err == nil {
			t.Fatal("handler context not done")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("handler context not cancelled")
	}
}

func TestGRPCCancel(t *testing.T) {
	leakcheck.Check(t)
	srv, h := serveGreeter(t)
	c := dialGreeter(t, srv.Target)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-h.started
		cancel()
	}()
	start := time.Now()
	_, err := echoCall(ctx, c, "hold")
	if status.Code(err) != codes.Canceled || time.Since(start) > 2*time.Second {
		t.Fatalf("cancelled call: %v after %v", err, time.Since(start))
	}
	if err := <-h.cancelled; !errors.Is(err, context.Canceled) {
		t.Fatalf("handler saw %v, want Canceled (RST_STREAM(CANCEL))", err)
	}
	// The connection is still good.
	if got, err := echoCall(context.Background(), c, "after"); err != nil || got != "after" {
		t.Fatalf("call after cancel: %q %v", got, err)
	}
}

func TestGRPCConcurrent(t *testing.T) {
	leakcheck.Check(t)
	srv, _ := serveGreeter(t)
	c := dialGreeter(t, srv.Target)
	// Warm up: the server's SETTINGS (1000 streams) have arrived; before,
	// the client assumes 100, and would open a second connection.
	if _, err := echoCall(context.Background(), c, "w"); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 200)
	for i := range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			msg := strings.Repeat(string(rune('a'+i%26)), 1000+i)
			got, err := echoCall(context.Background(), c, msg)
			if err != nil || got != msg {
				errs <- errors.Join(err, errors.New("wrong echo"))
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := srv.Accepted(); n != 1 {
		t.Errorf("%d connections, want 1", n)
	}
}

func TestGRPCStreamLimitOpensConnection(t *testing.T) {
	leakcheck.Check(t)
	srv, _ := serveGreeter(t)
	c := dialGreeter(t, srv.Target)
	// Warm up: the server's SETTINGS (1000 streams) have arrived.
	if _, err := echoCall(context.Background(), c, "w"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for range 1000 { // open until ctx ends
		if _, err := c.Stream(ctx, method(c, "Chat")); err != nil {
			t.Fatal(err)
		}
	}
	if got, err := echoCall(context.Background(), c, "over"); err != nil || got != "over" {
		t.Fatalf("call past the stream limit: %q %v", got, err)
	}
	if n := srv.Accepted(); n != 2 {
		t.Errorf("%d connections, want 2", n)
	}
	cancel()
}

func TestGRPCGracefulStop(t *testing.T) {
	leakcheck.Check(t)
	srv, h := serveGreeter(t)
	c := dialGreeter(t, srv.Target)
	if _, err := echoCall(context.Background(), c, "x"); err != nil {
		t.Fatal(err)
	}
	// A call in flight when the server stops finishes; the server's
	// GOAWAY covers it.
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	held := make(chan error, 1)
	go func() {
		_, err := echoCall(ctx, c, "hold")
		held <- err
	}()
	<-h.started
	stopCtx, stopCancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer stopCancel()
	if err := srv.Stop(stopCtx); err != nil {
		t.Fatal(err)
	}
	if err := <-held; status.Code(err) != codes.DeadlineExceeded {
		t.Fatalf("call in flight during Stop: %v, want its own DeadlineExceeded", err)
	}
	_, err := echoCall(context.Background(), c, "y")
	if status.Code(err) != codes.Unavailable {
		t.Fatalf("call after the server stopped: %v, want Unavailable", err)
	}
}

func TestGRPCClientCloseClosesConnections(t *testing.T) {
	leakcheck.Check(t)
	srv, _ := serveGreeter(t)
	c, err := client.New(srv.Target, greeterDesc(nil))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := echoCall(context.Background(), c, "x"); err != nil {
		t.Fatal(err)
	}
	c.Close()
	deadline := time.Now().Add(5 * time.Second)
	for srv.OpenConns() != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("%d connections open after Close", srv.OpenConns())
		}
		time.Sleep(5 * time.Millisecond) // polling a count
	}
}

func TestGRPCOutgoingMetadataRejected(t *testing.T) {
	leakcheck.Check(t)
	srv, _ := serveGreeter(t)
	c := dialGreeter(t, srv.Target)
	for _, k := range []string{"grpc-foo", "content-type", "te", ":path", "Upper"} {
		ctx := grpc.NewOutgoingContext(context.Background(), grpc.MD{k: {"v"}})
		_, err := echoCall(ctx, c, "x")
		if status.Code(err) != codes.Internal || !status.IsNotSent(err) {
			t.Errorf("key %q: %v, want Internal, not sent", k, err)
		}
	}
	ctx := grpc.AppendToOutgoingContext(context.Background(), "x-ok", "1", "x-data-bin", "\x00\xff")
	if _, err := echoCall(ctx, c, "x"); err != nil {
		t.Fatal(err)
	}
}

func TestGRPCCompression(t *testing.T) {
	leakcheck.Check(t)
	srv, _ := serveGreeter(t)
	gz, _ := grpc.NewGzip(-1)
	c := dialGreeter(t, srv.Target, client.WithCompressors(gz), client.WithSendCompression(grpc.Gzip))
	msg := strings.Repeat("compress me ", 1000)
	if got, err := echoCall(context.Background(), c, msg); err != nil || got != msg {
		t.Fatalf("gzip request: %d bytes, %v", len(got), err)
	}
	ctx := grpc.WithSendCompressor(context.Background(), "identity")
	if got, err := echoCall(ctx, c, msg); err != nil || got != msg {
		t.Fatalf("identity request: %d bytes, %v", len(got), err)
	}
	if _, err := client.New(srv.Target, greeterDesc(nil), client.WithSendCompression("zstd")); err == nil {
		t.Fatal("WithSendCompression without the compressor: no error")
	}
}

func TestGRPCMaxMessageSize(t *testing.T) {
	leakcheck.Check(t)
	srv, _ := serveGreeter(t)
	c := dialGreeter(t, srv.Target, client.WithMaxMessageSize(64<<10))
	_, err := echoCall(context.Background(), c, "big:"+strings.Repeat("y", 100)) // ~104 KB reply
	if status.Code(err) != codes.ResourceExhausted {
		t.Fatalf("reply over the limit: %v", err)
	}
	if got, err := echoCall(context.Background(), c, "fine"); err != nil || got != "fine" {
		t.Fatalf("after a reply over the limit: %q %v", got, err)
	}
}

func TestGRPCStreams(t *testing.T) {
	leakcheck.Check(t)
	srv, _ := serveGreeter(t)
	c := dialGreeter(t, srv.Target)
	ctx := context.Background()

	// Client streaming.
	st, err := c.Stream(ctx, method(c, "Collect"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"a", "b", "c"} {
		if err := st.Send(wrapperspb.String(s)); err != nil {
			t.Fatal(err)
		}
	}
	st.CloseSend()
	var res wrapperspb.StringValue
	if err := st.Recv(&res); err != nil || res.Value != "a,b,c" {
		t.Fatalf("Collect: %q %v", res.Value, err)
	}
	if err := st.Recv(&res); err != io.EOF {
		t.Fatalf("Collect end: %v", err)
	}

	// Server streaming.
	st, err = c.Stream(ctx, method(c, "Split"))
	if err != nil {
		t.Fatal(err)
	}
	st.Send(wrapperspb.String("xyz"))
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
	if strings.Join(got, "") != "xyz" || len(got) != 3 {
		t.Fatalf("Split: %v", got)
	}

	// Server streaming ending with an error.
	st, _ = c.Stream(ctx, method(c, "Split"))
	st.Send(wrapperspb.String("fail"))
	st.CloseSend()
	if err := st.Recv(&res); status.Code(err) != codes.FailedPrecondition {
		t.Fatalf("Split fail: %v", err)
	}

	// Bidi.
	st, err = c.Stream(ctx, method(c, "Chat"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"1", "2", "3"} {
		st.Send(wrapperspb.String(s))
		if err := st.Recv(&res); err != nil || res.Value != "re:"+s {
			t.Fatalf("Chat %s: %q %v", s, res.Value, err)
		}
	}
	st.CloseSend()
	if err := st.Recv(&res); err != io.EOF {
		t.Fatalf("Chat end: %v", err)
	}
}

func TestGRPCStreamCancel(t *testing.T) {
	leakcheck.Check(t)
	srv, h := serveGreeter(t)
	c := dialGreeter(t, srv.Target)
	ctx, cancel := context.WithCancel(context.Background())
	st, err := c.Stream(ctx, method(c, "Chat"))
	if err != nil {
		t.Fatal(err)
	}
	st.Send(wrapperspb.String("hold"))
	<-h.started
	cancel()
	if err := <-h.cancelled; !errors.Is(err, context.Canceled) {
		t.Fatalf("handler saw %v", err)
	}
	var res wrapperspb.StringValue
	if err := st.Recv(&res); status.Code(err) != codes.Canceled {
		t.Fatalf("Recv after cancel: %v", err)
	}
}

func TestGRPCStreamMiddleware(t *testing.T) {
	leakcheck.Check(t)
	srv, _ := serveGreeter(t)
	var order []string
	mw := func(name string) endpointStreamMW {
		return func(next streamEP) streamEP {
			return func(ctx context.Context, call *streamCall) error {
				order = append(order, name)
				return next(ctx, call)
			}
		}
	}
	c := dialGreeter(t, srv.Target, client.WithStreamMiddleware(mw("outer"), mw("inner")))
	st, err := c.Stream(context.Background(), method(c, "Chat"))
	if err != nil {
		t.Fatal(err)
	}
	st.CloseSend()
	var res wrapperspb.StringValue
	if err := st.Recv(&res); err != io.EOF {
		t.Fatal(err)
	}
	if strings.Join(order, ",") != "outer,inner" {
		t.Fatalf("order %v", order)
	}
}

func serviceCall(s string) serviceCallT {
	return serviceCallT{Args: wrapperspb.String(s), Result: new(wrapperspb.StringValue)}
}
