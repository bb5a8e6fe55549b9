package kitex_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	bmeta "github.com/bytedance/gopkg/cloud/metainfo"
	kclient "github.com/cloudwego/kitex/client"
	"github.com/cloudwego/kitex/pkg/kerrors"
	"github.com/cloudwego/kitex/pkg/klog"
	krpcinfo "github.com/cloudwego/kitex/pkg/rpcinfo"
	"github.com/cloudwego/kitex/pkg/transmeta"
	kserver "github.com/cloudwego/kitex/server"
	"github.com/cloudwego/kitex/transport"

	"github.com/ospreyrpc/osprey/client"
	"github.com/ospreyrpc/osprey/codes"
	kecho "github.com/ospreyrpc/osprey/conformance/internal/kitex/gen/echo"
	"github.com/ospreyrpc/osprey/conformance/internal/kitex/gen/echo/echoserver"
	"github.com/ospreyrpc/osprey/examples/echo/gen/echo"
	"github.com/ospreyrpc/osprey/metainfo"
	"github.com/ospreyrpc/osprey/rpcinfo"
	"github.com/ospreyrpc/osprey/server"
	"github.com/ospreyrpc/osprey/status"
)

func init() {
	// Kitex logs each server's start and stop at Info level; keep its
	// warnings and errors. Set before any Kitex server or client exists.
	klog.SetLevel(klog.LevelWarn)
}

// ospreyHandler answers Echo by the request's action: "report" describes
// what the call carried, "business" fails with a business error; anything
// else echoes.
type ospreyHandler struct{}

func (ospreyHandler) Echo(ctx context.Context, req *echo.Request) (*echo.Response, error) {
	switch req.Action {
	case "business":
		return nil, status.Business(10001, "balance too low")
	case "report":
		p, _ := metainfo.Persistent(ctx, "p")
		t, _ := metainfo.Transient(ctx, "t")
		ri := rpcinfo.FromContext(ctx)
		left := "none"
		if d, ok := ctx.Deadline(); ok {
			left = fmt.Sprint(time.Until(d) > 0 && time.Until(d) <= 2*time.Second)
		}
		if err := metainfo.SendBackward(ctx, "b", "from-osprey"); err != nil {
			return nil, err
		}
		return &echo.Response{Action: req.Action, Msg: fmt.Sprintf("p=%s t=%s caller=%s deadline=%s", p, t, ri.CallerService, left)}, nil
	}
	return &echo.Response{Action: req.Action, Msg: req.Msg}, nil
}

func serveOsprey(t *testing.T) string {
	t.Helper()
	s, err := server.New()
	if err != nil {
		t.Fatal(err)
	}
	if err := echo.RegisterEchoServer(s, ospreyHandler{}); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go s.Serve(ln)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		s.Stop(ctx)
	})
	return ln.Addr().String()
}

// kitexTransports are the four ways a Kitex client frames its requests.
var kitexTransports = []struct {
	name     string
	opts     []kclient.Option
	metadata bool // the transport carries metadata and the deadline
}{
	{"framed", []kclient.Option{kclient.WithTransportProtocol(transport.Framed)}, false},
	{"buffered", []kclient.Option{kclient.WithTransportProtocol(transport.PurePayload)}, false},
	{"ttheader", []kclient.Option{kclient.WithTransportProtocol(transport.PurePayload), kclient.WithTransportProtocol(transport.TTHeader)}, true},
	{"ttheader-framed", []kclient.Option{kclient.WithTransportProtocol(transport.TTHeaderFramed)}, true},
}

// TestKitexClientOspreyServer calls an Osprey server from Kitex's client in
// each of its transports: plain calls, metadata both ways, the deadline,
// the caller's name and a business error.
func TestKitexClientOspreyServer(t *testing.T) {
	addr := serveOsprey(t)
	for _, tr := range kitexTransports {
		t.Run(tr.name, func(t *testing.T) {
			opts := append([]kclient.Option{
				kclient.WithHostPorts(addr),
				kclient.WithMetaHandler(transmeta.ClientTTHeaderHandler),
				kclient.WithClientBasicInfo(&krpcinfo.EndpointBasicInfo{ServiceName: "kitex-caller"}),
				kclient.WithRPCTimeout(2 * time.Second),
			}, tr.opts...)
			cli, err := echoserver.NewClient("echo.osprey", opts...)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := cli.Echo(context.Background(), &kecho.Request{Action: "echo", Msg: "hello"})
			if err != nil || resp.Msg != "hello" || resp.Action != "echo" {
				t.Fatalf("echo: %v %v", resp, err)
			}

			ctx := bmeta.WithPersistentValue(context.Background(), "p", "pv")
			ctx = bmeta.WithValue(ctx, "t", "tv")
			ctx = bmeta.WithBackwardValues(ctx)
			resp, err = cli.Echo(ctx, &kecho.Request{Action: "report"})
			if err != nil {
				t.Fatal(err)
			}
			want := "p= t= caller= deadline=none"
			if tr.metadata {
				want = "p=pv t=tv caller=kitex-caller deadline=true"
			}
			if resp.Msg != want {
				t.Errorf("the Osprey handler saw %q, want %q", resp.Msg, want)
			}
			if b, ok := bmeta.RecvBackwardValue(ctx, "b"); tr.metadata && (!ok || b != "from-osprey") {
				t.Errorf("backward value = %q, %v", b, ok)
			}

			_, err = cli.Echo(context.Background(), &kecho.Request{Action: "business"})
			if tr.metadata {
				var biz kerrors.BizStatusErrorIface
				if !errors.As(err, &biz) || biz.BizStatusCode() != 10001 || biz.BizMessage() != "balance too low" {
					t.Errorf("business error = %v, want biz status 10001", err)
				}
			} else if err == nil || !strings.Contains(err.Error(), "balance too low") {
				t.Errorf("business error over plain Thrift = %v", err)
			}
		})
	}
}

// kitexHandler is the Kitex side's Echo, the mirror of ospreyHandler.
// Kitex wants a pointer: it panics on a handler of struct type.
type kitexHandler struct{}

func (*kitexHandler) Echo(ctx context.Context, req *kecho.Request) (*kecho.Response, error) {
	switch req.Action {
	case "business":
		return nil, kerrors.NewBizStatusError(10001, "balance too low")
	case "report":
		p, _ := bmeta.GetPersistentValue(ctx, "p")
		tv, _ := bmeta.GetValue(ctx, "t")
		caller := krpcinfo.GetRPCInfo(ctx).From().ServiceName()
		left := "none"
		if d, ok := ctx.Deadline(); ok {
			left = fmt.Sprint(time.Until(d) > 0 && time.Until(d) <= 2*time.Second)
		}
		bmeta.SendBackwardValue(ctx, "b", "from-kitex")
		return &kecho.Response{Action: req.Action, Msg: fmt.Sprintf("p=%s t=%s caller=%s deadline=%s", p, tv, caller, left)}, nil
	}
	return &kecho.Response{Action: req.Action, Msg: req.Msg}, nil
}

func serveKitex(t *testing.T, opts ...kserver.Option) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	svr := echoserver.NewServer(&kitexHandler{}, append([]kserver.Option{
		kserver.WithListener(ln),
		kserver.WithMetaHandler(transmeta.ServerTTHeaderHandler),
		kserver.WithEnableContextTimeout(true),
	}, opts...)...)
	done := make(chan error, 1)
	go func() { done <- svr.Run() }()
	t.Cleanup(func() {
		svr.Stop()
		<-done
	})
	waitDial(t, addr)
	return addr
}

// waitDial waits until addr accepts connections: Kitex's Run starts
// serving on its own goroutine.
func waitDial(t *testing.T, addr string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("Kitex server at %s not serving: %v", addr, err)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestOspreyClientKitexServer calls a Kitex server from Osprey's TTHeader
// client, ping-pong and multiplexed.
func TestOspreyClientKitexServer(t *testing.T) {
	for _, c := range []struct {
		name       string
		serverOpts []kserver.Option
		clientOpts []client.Option
	}{
		{"ping-pong", nil, []client.Option{client.WithTTHeader()}},
		{"multiplexed", []kserver.Option{kserver.WithMuxTransport()}, []client.Option{client.WithMultiplex(2)}},
	} {
		t.Run(c.name, func(t *testing.T) {
			addr := serveKitex(t, c.serverOpts...)
			cli, err := echo.NewEchoServerClient(addr, append([]client.Option{client.WithCallerName("osprey-caller")}, c.clientOpts...)...)
			if err != nil {
				t.Fatal(err)
			}
			defer cli.Close()
			for i := range 20 {
				msg := fmt.Sprint("hello ", i)
				resp, err := cli.Echo(context.Background(), &echo.Request{Action: "echo", Msg: msg})
				if err != nil || resp.Msg != msg {
					t.Fatalf("echo: %v %v", resp, err)
				}
			}
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			ctx = metainfo.WithPersistent(ctx, "p", "pv")
			ctx = metainfo.WithTransient(ctx, "t", "tv")
			ctx = metainfo.WithBackward(ctx)
			resp, err := cli.Echo(ctx, &echo.Request{Action: "report"})
			if err != nil {
				t.Fatal(err)
			}
			if want := "p=pv t=tv caller=osprey-caller deadline=true"; resp.Msg != want {
				t.Errorf("the Kitex handler saw %q, want %q", resp.Msg, want)
			}
			if b, ok := metainfo.RecvBackward(ctx, "b"); !ok || b != "from-kitex" {
				t.Errorf("backward value = %q, %v", b, ok)
			}
			_, err = cli.Echo(context.Background(), &echo.Request{Action: "business"})
			se, ok := status.FromError(err)
			if !ok || se.Code() != codes.Code(10001) || se.Message() != "balance too low" || !se.Business() {
				t.Errorf("business error = %v, want biz status 10001", err)
			}
		})
	}
}
