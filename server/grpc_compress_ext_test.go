package server_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/internal/leakcheck"
	"github.com/ospreyrpc/osprey/protocol/grpc"
	"github.com/ospreyrpc/osprey/server"
	"github.com/ospreyrpc/osprey/service"
	"github.com/ospreyrpc/osprey/status"
)

// rawMsg is a gRPC message that is its bytes.
type rawMsg struct{ b []byte }

func (m *rawMsg) MarshalGRPC(dst []byte) ([]byte, error) { return append(dst, m.b...), nil }
func (m *rawMsg) UnmarshalGRPC(b []byte) error           { m.b = append(m.b[:0], b...); return nil }

// rawEcho is "raw.Echo"/"Echo": it echoes its request; one starting with
// "gzip" asks for gzip responses first (grpc.SetSendCompressor), and the
// error of that is the reply's text if it fails; "big" answers 2 KiB.
var rawEcho = service.Desc{Name: "raw.Echo", Protobuf: true, Methods: []service.Method{{
	Name:    "Echo",
	NewCall: func() service.Call { return service.Call{Args: new(rawMsg), Result: new(rawMsg)} },
	Handler: func(ctx context.Context, _ any, args, result any) error {
		in := args.(*rawMsg).b
		switch {
		case bytes.HasPrefix(in, []byte("gzip")):
			if err := grpc.SetSendCompressor(ctx, "gzip"); err != nil {
				result.(*rawMsg).b = []byte(status.Code(err).String())
				return nil
			}
		case string(in) == "big":
			in = make([]byte, 2048)
		}
		result.(*rawMsg).b = in
		return nil
	},
}}}

func serveRaw(t *testing.T, opts ...server.Option) string {
	t.Helper()
	s, err := server.New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Register(&rawEcho, struct{}{}); err != nil {
		t.Fatal(err)
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
		s.Stop(ctx)
	})
	return ln.Addr().String()
}

// grpcResult is what a raw HTTP/2 gRPC call got.
type grpcResult struct {
	encoding, accept string // response grpc-encoding, grpc-accept-encoding
	compressed       bool   // the message's flag
	msg              []byte // decompressed
	status           string // grpc-status, from trailers or trailers-only headers
}

// callRaw posts one message to raw.Echo/Echo with the given headers.
func callRaw(t *testing.T, hc *http.Client, addr string, body []byte, compressed bool, hdr map[string]string) grpcResult {
	t.Helper()
	frame := grpc.AppendMessage(nil, compressed, body)
	req, err := http.NewRequest("POST", "http://"+addr+"/raw.Echo/Echo", bytes.NewReader(frame))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("content-type", "application/grpc")
	req.Header.Set("te", "trailers")
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	r := grpcResult{encoding: resp.Header.Get("grpc-encoding"), accept: resp.Header.Get("grpc-accept-encoding"),
		status: resp.Trailer.Get("grpc-status")}
	if r.status == "" {
		r.status = resp.Header.Get("grpc-status")
	}
	if len(out) >= 5 {
		r.compressed = out[0] == 1
		r.msg = out[5:]
		if n := binary.BigEndian.Uint32(out[1:5]); int(n) != len(r.msg) {
			t.Fatalf("message length %d, %d bytes follow", n, len(r.msg))
		}
		if r.compressed {
			zr, err := gzip.NewReader(bytes.NewReader(r.msg))
			if err != nil {
				t.Fatal(err)
			}
			if r.msg, err = io.ReadAll(zr); err != nil {
				t.Fatal(err)
			}
		}
	}
	return r
}

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// TestGRPCCompression checks the response encoding as the server's default
// and per call, against what the client accepts, and the request
// encodings the server reads.
func TestGRPCCompression(t *testing.T) {
	leakcheck.Check(t)
	hc := h2cClient(t)
	acceptGzip := map[string]string{"grpc-accept-encoding": "identity, gzip"}
	long := []byte(strings.Repeat("long ", 1000))

	def := serveRaw(t, server.WithSendCompression("gzip"))
	for _, c := range []struct {
		name           string
		hdr            map[string]string
		wantCompressed bool
	}{
		{"client accepts gzip", acceptGzip, true},
		{"client accepts nothing", nil, false},
		{"client accepts another", map[string]string{"grpc-accept-encoding": "snappy"}, false},
	} {
		r := callRaw(t, hc, def, long, false, c.hdr)
		if r.status != "0" || !bytes.Equal(r.msg, long) || r.compressed != c.wantCompressed || (r.encoding == "gzip") != c.wantCompressed {
			t.Errorf("%s: status %s, compressed %v, grpc-encoding %q", c.name, r.status, r.compressed, r.encoding)
		}
	}

	plain := serveRaw(t)
	if r := callRaw(t, hc, plain, long, false, acceptGzip); r.compressed || r.encoding != "" || r.accept != "gzip" {
		t.Errorf("no default: compressed %v, grpc-encoding %q, accept %q", r.compressed, r.encoding, r.accept)
	}
	if r := callRaw(t, hc, plain, []byte("gzip me"), false, acceptGzip); !r.compressed || string(r.msg) != "gzip me" {
		t.Errorf("SetSendCompressor: compressed %v, %q", r.compressed, r.msg)
	}
	// A client that does not accept gzip makes SetSendCompressor fail.
	if r := callRaw(t, hc, plain, []byte("gzip me"), false, nil); r.compressed || string(r.msg) != codes.Internal.String() {
		t.Errorf("SetSendCompressor without the client's consent: compressed %v, %q", r.compressed, r.msg)
	}

	// Requests: gzip is read; an unknown encoding is Unimplemented, and
	// the response lists what the server reads.
	if r := callRaw(t, hc, plain, gzipBytes(long), true, map[string]string{"grpc-encoding": "gzip"}); r.status != "0" || !bytes.Equal(r.msg, long) {
		t.Errorf("gzip request: status %s, %d bytes", r.status, len(r.msg))
	}
	if r := callRaw(t, hc, plain, []byte("x"), true, map[string]string{"grpc-encoding": "snappy"}); r.status != "12" || r.accept != "gzip" {
		t.Errorf("snappy request: status %s, accept %q", r.status, r.accept)
	}
	if r := callRaw(t, hc, plain, []byte("x"), true, nil); r.status != "13" {
		t.Errorf("compressed flag without grpc-encoding: status %s, want 13", r.status)
	}
}

// TestGRPCMessageLimits checks the receive limit, after decompression, and
// the send limit.
func TestGRPCMessageLimits(t *testing.T) {
	hc := h2cClient(t)
	addr := serveRaw(t, server.WithGRPCMaxRecvMsgSize(1024), server.WithGRPCMaxSendMsgSize(1024))
	for _, c := range []struct {
		name       string
		body       []byte
		compressed bool
		want       string
	}{
		{"at the limit", make([]byte, 1024), false, "0"},
		{"over the limit", make([]byte, 1025), false, "8"},
		{"over the limit once decompressed", gzipBytes(make([]byte, 1025)), true, "8"},
		{"a reply over the send limit", []byte("big"), false, "8"},
	} {
		if r := callRaw(t, hc, addr, c.body, c.compressed, map[string]string{"grpc-encoding": "gzip"}); r.status != c.want {
			t.Errorf("%s: grpc-status %s, want %s", c.name, r.status, c.want)
		}
	}
}

// fakeCompressor is a Compressor named name that copies.
type fakeCompressor struct{ name string }

func (f fakeCompressor) Name() string                           { return f.name }
func (fakeCompressor) Compress(dst, src []byte) ([]byte, error) { return append(dst, src...), nil }
func (fakeCompressor) Decompress(dst, src []byte, max int) ([]byte, error) {
	return append(dst, src...), nil
}

func TestGRPCCompressionOptions(t *testing.T) {
	for _, c := range []struct {
		name string
		opts []server.Option
		ok   bool
	}{
		{"gzip default", []server.Option{server.WithSendCompression("gzip")}, true},
		{"added compressor", []server.Option{server.WithSendCompression("copy"), server.WithCompressors(fakeCompressor{"copy"})}, true},
		{"unknown send compression", []server.Option{server.WithSendCompression("snappy")}, false},
		{"repeated name", []server.Option{server.WithCompressors(fakeCompressor{"a"}, fakeCompressor{"a"})}, false},
		{"identity", []server.Option{server.WithCompressors(fakeCompressor{"identity"})}, false},
		{"nil", []server.Option{server.WithCompressors(nil)}, false},
		{"recv too small", []server.Option{server.WithGRPCMaxRecvMsgSize(10)}, false},
		{"send zero", []server.Option{server.WithGRPCMaxSendMsgSize(0)}, false},
	} {
		if _, err := server.New(c.opts...); (err == nil) != c.ok {
			t.Errorf("%s: %v, want ok=%v", c.name, err, c.ok)
		}
	}
	// An added compressor is advertised and used.
	addr := serveRaw(t, server.WithCompressors(fakeCompressor{"copy"}))
	r := callRaw(t, h2cClient(t), addr, []byte("x"), true, map[string]string{"grpc-encoding": "copy"})
	if r.status != "0" || r.accept != "gzip,copy" || string(r.msg) != "x" {
		t.Errorf("copy encoding: %+v", r)
	}
}
