package grpcgo_test

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	grpcgo "google.golang.org/grpc"
	gcodes "google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/encoding/gzip"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/stats"
	gstatus "google.golang.org/grpc/status"

	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/endpoint"
	"github.com/ospreyrpc/osprey/protocol/grpc"
	"github.com/ospreyrpc/osprey/server"
	"github.com/ospreyrpc/osprey/service"
	"github.com/ospreyrpc/osprey/status"
)

// echoMD copies the request's "x-h" values into the response headers and
// its "x-t-bin" values into the trailers.
func echoMD(ctx context.Context) error {
	in, ok := grpc.IncomingFromContext(ctx)
	if !ok {
		return status.New(codes.Internal, "no incoming metadata")
	}
	if err := grpc.SetHeader(ctx, grpc.MD{"echo-h": in["x-h"]}); err != nil {
		return err
	}
	return grpc.SetTrailer(ctx, grpc.MD{"echo-t-bin": in["x-t-bin"]})
}

// mdDesc is "md.Echo": Echo echoes its request and the metadata (echoMD),
// fails with NotFound, metadata still echoed, on "fail", and compresses
// its reply with gzip on "compress"; Chat is a bidirectional echo that
// sends its headers before the first message and echoes the metadata.
var mdDesc = service.Desc{Name: "md.Echo", Methods: []service.Method{
	{Name: "Echo", NewCall: func() service.Call { return service.Call{Args: new(raw), Result: new(raw)} },
		Handler: func(ctx context.Context, _ any, args, result any) error {
			if err := echoMD(ctx); err != nil {
				return err
			}
			in := args.(*raw).b
			switch {
			case string(in) == "fail":
				return status.New(codes.NotFound, "failed on request")
			case strings.HasPrefix(string(in), "compress"):
				if err := grpc.SetSendCompressor(ctx, gzip.Name); err != nil {
					return err
				}
			}
			result.(*raw).b = in
			return nil
		}},
	{Name: "Chat", Kind: service.BidiStreaming, NewCall: noStorage, StreamHandler: func(ctx context.Context, _ any, st endpoint.Stream) error {
		if err := echoMD(ctx); err != nil {
			return err
		}
		if err := grpc.SendHeader(ctx, grpc.MD{"sent-early": {"yes"}}); err != nil {
			return err
		}
		if err := grpc.SetHeader(ctx, grpc.MD{"too-late": {"x"}}); err == nil {
			return status.New(codes.Internal, "SetHeader after SendHeader succeeded")
		}
		for {
			var m raw
			err := st.Recv(&m)
			if errors.Is(err, io.EOF) {
				return grpc.SetTrailer(ctx, grpc.MD{"end": {"done"}})
			}
			if err != nil {
				return err
			}
			if err := st.Send(&m); err != nil {
				return err
			}
		}
	}},
}}

// serveWith starts an Osprey server with opts and descs on a local port.
func serveWith(t *testing.T, opts []server.Option, descs ...*service.Desc) string {
	t.Helper()
	s, err := server.New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range descs {
		if err := s.Register(d, struct{}{}); err != nil {
			t.Fatal(err)
		}
	}
	return serveServer(t, s)
}

// serveServer serves s on a local port until the test ends.
func serveServer(t *testing.T, s *server.Server) string {
	t.Helper()
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

// dialRaw dials addr with grpc-go, messages being their bytes (rawCodec).
func dialRaw(t *testing.T, addr string, opts ...grpcgo.DialOption) *grpcgo.ClientConn {
	t.Helper()
	return dial(t, addr, append([]grpcgo.DialOption{grpcgo.WithDefaultCallOptions(grpcgo.ForceCodec(rawCodec{}))}, opts...)...)
}

// dial dials addr with grpc-go, without TLS.
func dial(t *testing.T, addr string, opts ...grpcgo.DialOption) *grpcgo.ClientConn {
	t.Helper()
	cc, err := grpcgo.NewClient("passthrough:///"+addr, append([]grpcgo.DialOption{
		grpcgo.WithTransportCredentials(insecure.NewCredentials())}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cc.Close() })
	return cc
}

// TestGRPCGoClientMetadata sends custom metadata from grpc-go, text and
// binary, and reads what an Osprey handler echoed with grpc.SetHeader,
// SendHeader and SetTrailer: in a unary reply, in a trailers-only error,
// and in a bidirectional stream.
func TestGRPCGoClientMetadata(t *testing.T) {
	cc := dialRaw(t, serveWith(t, nil, &mdDesc))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	bin := "\x00\xff binary \x80"
	ctx = metadata.AppendToOutgoingContext(ctx, "x-h", "one", "x-h", "two", "x-t-bin", bin)
	check := func(name string, header, trailer metadata.MD) {
		t.Helper()
		if got := header.Get("echo-h"); strings.Join(got, ",") != "one,two" {
			t.Errorf("%s: header echo-h %q, want one,two (header %v)", name, got, header)
		}
		if got := trailer.Get("echo-t-bin"); len(got) != 1 || got[0] != bin {
			t.Errorf("%s: trailer echo-t-bin %q, want %q (trailer %v)", name, got, bin, trailer)
		}
	}
	for _, in := range []string{"hello", "fail"} {
		var header, trailer metadata.MD
		req, resp := []byte(in), []byte(nil)
		err := cc.Invoke(ctx, "/md.Echo/Echo", &req, &resp, grpcgo.Header(&header), grpcgo.Trailer(&trailer))
		if in == "fail" {
			if gstatus.Code(err) != gcodes.NotFound {
				t.Fatalf("fail: %v, want NotFound", err)
			}
		} else if err != nil || string(resp) != in {
			t.Fatalf("echo: %q %v", resp, err)
		}
		if in == "fail" {
			// A trailers-only response: grpc-go reads its header
			// metadata, which Osprey sends there, as trailer.
			header = trailer
		}
		check(in, header, trailer)
	}

	st, err := cc.NewStream(ctx, &grpcgo.StreamDesc{ClientStreams: true, ServerStreams: true}, "/md.Echo/Chat")
	if err != nil {
		t.Fatal(err)
	}
	// The headers come before any message: the handler sent them first.
	header, err := st.Header()
	if err != nil {
		t.Fatal(err)
	}
	if got := header.Get("sent-early"); len(got) != 1 || got[0] != "yes" || header.Get("too-late") != nil {
		t.Errorf("stream headers %v", header)
	}
	for _, m := range []string{"a", "b"} {
		b := []byte(m)
		if err := st.SendMsg(&b); err != nil {
			t.Fatal(err)
		}
		var out []byte
		if err := st.RecvMsg(&out); err != nil || string(out) != m {
			t.Fatalf("chat %q: %q %v", m, out, err)
		}
	}
	st.CloseSend()
	var out []byte
	if err := st.RecvMsg(&out); err != io.EOF {
		t.Fatalf("end of chat: %v", err)
	}
	check("chat", header, st.Trailer())
	if got := st.Trailer().Get("end"); len(got) != 1 || got[0] != "done" {
		t.Errorf("chat trailer %v", st.Trailer())
	}
}

// payloadSizes records the sizes of the messages a grpc-go client receives.
type payloadSizes struct {
	mu  sync.Mutex
	got []*stats.InPayload
}

func (p *payloadSizes) TagRPC(ctx context.Context, _ *stats.RPCTagInfo) context.Context { return ctx }
func (p *payloadSizes) TagConn(ctx context.Context, _ *stats.ConnTagInfo) context.Context {
	return ctx
}
func (p *payloadSizes) HandleConn(context.Context, stats.ConnStats) {}
func (p *payloadSizes) HandleRPC(_ context.Context, s stats.RPCStats) {
	if in, ok := s.(*stats.InPayload); ok {
		p.mu.Lock()
		p.got = append(p.got, in)
		p.mu.Unlock()
	}
}

func (p *payloadSizes) last() *stats.InPayload {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.got[len(p.got)-1]
}

// TestGRPCGoClientCompressedResponses reads gzip-compressed responses
// from Osprey with grpc-go: compressed by the server's default
// (server.WithSendCompression; grpc-go accepts gzip once its gzip package
// is linked), and by a handler's grpc.SetSendCompressor for that call only.
func TestGRPCGoClientCompressedResponses(t *testing.T) {
	big := []byte("compress " + strings.Repeat("z", 100_000))
	call := func(t *testing.T, addr string, in []byte) *stats.InPayload {
		t.Helper()
		sizes := &payloadSizes{}
		cc := dialRaw(t, addr, grpcgo.WithStatsHandler(sizes))
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		var out []byte
		if err := cc.Invoke(ctx, "/raw.Echo/Echo", &in, &out); err != nil || string(out) != string(in) {
			t.Fatalf("echo: %d bytes, %v", len(out), err)
		}
		return sizes.last()
	}
	t.Run("server default", func(t *testing.T) {
		addr := serveWith(t, []server.Option{server.WithSendCompression("gzip")}, &echoDesc)
		if p := call(t, addr, big); p.CompressedLength == 0 || p.CompressedLength >= p.Length/10 {
			t.Errorf("response of %d bytes came %d bytes compressed, want compressed", p.Length, p.CompressedLength)
		}
	})
	t.Run("per call", func(t *testing.T) {
		addr := serveWith(t, nil, &mdDesc)
		sizes := &payloadSizes{}
		cc := dialRaw(t, addr, grpcgo.WithStatsHandler(sizes), grpcgo.WithDefaultCallOptions(grpcgo.UseCompressor(gzip.Name)))
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		for _, in := range [][]byte{big, []byte("plain " + strings.Repeat("z", 100_000))} {
			var out []byte
			if err := cc.Invoke(ctx, "/md.Echo/Echo", &in, &out); err != nil || string(out) != string(in) {
				t.Fatalf("echo: %d bytes, %v", len(out), err)
			}
			p := sizes.last()
			if compressed := p.CompressedLength != 0 && p.CompressedLength < p.Length/10; compressed != (in[0] == 'c') {
				t.Errorf("%.8s...: compressed length %d of %d", in, p.CompressedLength, p.Length)
			}
		}
	})
}
