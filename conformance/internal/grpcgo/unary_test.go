package grpcgo_test

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	grpcgo "google.golang.org/grpc"
	gcodes "google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/encoding/gzip"
	"google.golang.org/grpc/metadata"
	gstatus "google.golang.org/grpc/status"

	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/metainfo"
	"github.com/ospreyrpc/osprey/rpcinfo"
	"github.com/ospreyrpc/osprey/server"
	"github.com/ospreyrpc/osprey/service"
	"github.com/ospreyrpc/osprey/status"
)

// raw is a message that is its bytes, on both sides: the gRPC transport
// is tested here, not a message encoding.
type raw struct{ b []byte }

func (m *raw) MarshalGRPC(dst []byte) ([]byte, error) { return append(dst, m.b...), nil }
func (m *raw) UnmarshalGRPC(b []byte) error           { m.b = append(m.b[:0], b...); return nil }

// rawCodec is grpc-go's side of raw.
type rawCodec struct{}

func (rawCodec) Marshal(v any) ([]byte, error) { return *(v.(*[]byte)), nil }
func (rawCodec) Unmarshal(data []byte, v any) error {
	*(v.(*[]byte)) = append([]byte(nil), data...)
	return nil
}
func (rawCodec) Name() string { return "raw" }

// echoDesc is a service "raw.Echo" with one unary method "Echo": it echoes
// the request, or, for "report", describes what the call carried, or, for
// "fail", fails with NotFound.
var echoDesc = service.Desc{Name: "raw.Echo", Methods: []service.Method{{
	Name: "Echo",
	NewCall: func() service.Call {
		return service.Call{Args: new(raw), Result: new(raw)}
	},
	Handler: func(ctx context.Context, impl any, args, result any) error {
		in := string(args.(*raw).b)
		switch in {
		case "fail":
			return status.New(codes.NotFound, "no such thing: 100% gone")
		case "report":
			p, _ := metainfo.Persistent(ctx, "P_KEY")
			tr, _ := metainfo.Transient(ctx, "T_KEY")
			left := "none"
			if d, ok := ctx.Deadline(); ok {
				left = fmt.Sprint(time.Until(d) > 0 && time.Until(d) <= 2*time.Second)
			}
			metainfo.SendBackward(ctx, "B_KEY", "from-osprey")
			ri := rpcinfo.FromContext(ctx)
			result.(*raw).b = fmt.Appendf(nil, "p=%s t=%s deadline=%s proto=%s %s.%s", p, tr, left, ri.Protocol, ri.Service, ri.Method)
			return nil
		}
		result.(*raw).b = args.(*raw).b
		return nil
	},
}}}

func serve(t *testing.T) string {
	t.Helper()
	s, err := server.New()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Register(&echoDesc, struct{}{}); err != nil {
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
		if err := s.Stop(ctx); err != nil {
			t.Errorf("Stop: %v", err)
		}
	})
	return ln.Addr().String()
}

// TestGRPCGoClientUnary calls an Osprey server from grpc-go's client:
// echo of small and large messages, status codes and messages, metadata
// both ways, the deadline, and unknown methods and services.
func TestGRPCGoClientUnary(t *testing.T) {
	addr := serve(t)
	cc, err := grpcgo.NewClient("passthrough:///"+addr,
		grpcgo.WithTransportCredentials(insecure.NewCredentials()),
		grpcgo.WithDefaultCallOptions(grpcgo.ForceCodec(rawCodec{})))
	if err != nil {
		t.Fatal(err)
	}
	defer cc.Close()
	call := func(ctx context.Context, method string, in string) (string, error) {
		req := []byte(in)
		var resp []byte
		err := cc.Invoke(ctx, method, &req, &resp)
		return string(resp), err
	}
	ctx := context.Background()
	for _, n := range []int{0, 10, 100 << 10, 3 << 20} {
		in := strings.Repeat("x", n)
		if got, err := call(ctx, "/raw.Echo/Echo", in); err != nil || got != in {
			t.Fatalf("echo of %d bytes: %d bytes, %v", n, len(got), err)
		}
	}

	_, err = call(ctx, "/raw.Echo/Echo", "fail")
	if s, _ := gstatus.FromError(err); s.Code() != gcodes.NotFound || s.Message() != "no such thing: 100% gone" {
		t.Errorf("fail: %v", err)
	}
	for _, m := range []string{"/raw.Echo/Nope", "/raw.Other/Echo"} {
		if _, err := call(ctx, m, "x"); gstatus.Code(err) != gcodes.Unimplemented {
			t.Errorf("%s: %v, want Unimplemented", m, err)
		}
	}

	dctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	dctx = metadata.AppendToOutgoingContext(dctx, "rpc-persist-p-key", "pv", "rpc-transit-t-key", "tv")
	var trailer metadata.MD
	req, resp := []byte("report"), []byte(nil)
	if err := cc.Invoke(dctx, "/raw.Echo/Echo", &req, &resp, grpcgo.Trailer(&trailer)); err != nil {
		t.Fatal(err)
	}
	if want := "p=pv t=tv deadline=true proto=grpc raw.Echo.Echo"; string(resp) != want {
		t.Errorf("report %q, want %q", resp, want)
	}
	if got := trailer.Get("rpc-backward-b-key"); len(got) != 1 || got[0] != "from-osprey" {
		t.Errorf("backward value in the trailer: %v", trailer)
	}
}

// TestGRPCGoClientCompressed sends gzip-compressed requests from grpc-go:
// they are decompressed, and one that expands past the 4 MiB limit fails
// with ResourceExhausted instead of taking the memory.
func TestGRPCGoClientCompressed(t *testing.T) {
	addr := serve(t)
	cc, err := grpcgo.NewClient("passthrough:///"+addr,
		grpcgo.WithTransportCredentials(insecure.NewCredentials()),
		grpcgo.WithDefaultCallOptions(grpcgo.ForceCodec(rawCodec{}), grpcgo.UseCompressor(gzip.Name)))
	if err != nil {
		t.Fatal(err)
	}
	defer cc.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	in := []byte(strings.Repeat("compress me ", 10000))
	var out []byte
	if err := cc.Invoke(ctx, "/raw.Echo/Echo", &in, &out); err != nil || string(out) != string(in) {
		t.Fatalf("compressed echo: %d bytes, %v", len(out), err)
	}
	bomb := make([]byte, 8<<20) // twice the limit, compressed to about 8 KiB
	if err := cc.Invoke(ctx, "/raw.Echo/Echo", &bomb, &out); gstatus.Code(err) != gcodes.ResourceExhausted {
		t.Fatalf("zip bomb: %v, want ResourceExhausted", err)
	}
}
