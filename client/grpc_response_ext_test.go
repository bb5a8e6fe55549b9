package client_test

import (
	"context"
	"io"
	"net"
	"strings"
	"testing"

	"golang.org/x/net/http2/hpack"

	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/internal/h2"
	"github.com/ospreyrpc/osprey/internal/leakcheck"
	"github.com/ospreyrpc/osprey/status"
)

// rawH2Server serves every stream with h on Osprey's HTTP/2 server
// connection, without the gRPC layer, so tests can send any response.
func rawH2Server(t *testing.T, h func(st *h2.Stream)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	var conns []*h2.Conn
	go func() {
		defer close(done)
		for {
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			c, err := h2.NewConn(nc, nil, h2.DefaultConfig(), h2.HandlerFunc(func(st *h2.Stream) {
				io.Copy(io.Discard, st)
				h(st)
			}))
			if err != nil {
				t.Error(err)
				return
			}
			conns = append(conns, c)
			go c.Serve()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		<-done
		for _, c := range conns {
			c.Close()
		}
	})
	return ln.Addr().String()
}

func fields(kv ...string) []hpack.HeaderField {
	var fs []hpack.HeaderField
	for i := 0; i < len(kv); i += 2 {
		fs = append(fs, hpack.HeaderField{Name: kv[i], Value: kv[i+1]})
	}
	return fs
}

// message is a length-prefixed StringValue "hi".
var message = []byte{0, 0, 0, 0, 4, 10, 2, 'h', 'i'}

// TestGRPCResponses feeds the client responses a gRPC server should not
// send, and some it may: each call must end with the code the gRPC spec
// gives.
func TestGRPCResponses(t *testing.T) {
	leakcheck.Check(t)
	ok200 := fields(":status", "200", "content-type", "application/grpc")
	for _, c := range []struct {
		name string
		h    func(st *h2.Stream)
		code codes.Code
		msg  string
	}{
		{"404", func(st *h2.Stream) { st.WriteTrailer(fields(":status", "404")) }, codes.Unimplemented, "HTTP status 404"},
		{"503", func(st *h2.Stream) { st.WriteTrailer(fields(":status", "503")) }, codes.Unavailable, ""},
		{"401", func(st *h2.Stream) { st.WriteTrailer(fields(":status", "401")) }, codes.Unauthenticated, ""},
		{"418", func(st *h2.Stream) { st.WriteTrailer(fields(":status", "418")) }, codes.Unknown, ""},
		{"html", func(st *h2.Stream) {
			st.WriteHeader(fields(":status", "200", "content-type", "text/html"))
			st.Write([]byte("<html>"))
		}, codes.Unknown, "content-type"},
		{"no grpc-status", func(st *h2.Stream) {
			st.WriteHeader(ok200)
			st.Write(message)
			st.WriteTrailer(fields("x", "y"))
		}, codes.Internal, "no grpc-status"},
		{"bad grpc-status", func(st *h2.Stream) {
			st.WriteTrailer(append(ok200, fields("grpc-status", "x1")...))
		}, codes.Internal, "malformed grpc-status"},
		{"two messages", func(st *h2.Stream) {
			st.WriteHeader(ok200)
			st.Write(append(append([]byte(nil), message...), message...))
			st.WriteTrailer(fields("grpc-status", "0"))
		}, codes.Internal, "more than one"},
		{"no message", func(st *h2.Stream) {
			st.WriteHeader(ok200)
			st.WriteTrailer(fields("grpc-status", "0"))
		}, codes.Internal, "no response message"},
		{"cut message", func(st *h2.Stream) {
			st.WriteHeader(ok200)
			st.Write(message[:6])
			st.WriteTrailer(fields("grpc-status", "0"))
		}, codes.Internal, "inside a message"},
		{"unknown encoding", func(st *h2.Stream) {
			st.WriteHeader(append(ok200, fields("grpc-encoding", "zstd")...))
			st.Write(message)
			st.WriteTrailer(fields("grpc-status", "0"))
		}, codes.Internal, "zstd"},
		{"trailers-only status", func(st *h2.Stream) {
			st.WriteTrailer(append(ok200, fields("grpc-status", "7", "grpc-message", "no%20way")...))
		}, codes.PermissionDenied, "no way"},
		{"reset", func(st *h2.Stream) { st.Reset(0x8) }, codes.Canceled, ""},
		{"ok", func(st *h2.Stream) {
			st.WriteHeader(ok200)
			st.Write(message)
			st.WriteTrailer(fields("grpc-status", "0"))
		}, codes.OK, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			addr := rawH2Server(t, c.h)
			cli := dialGreeter(t, addr)
			got, err := echoCall(context.Background(), cli, "x")
			if status.Code(err) != c.code || (err != nil && !strings.Contains(err.Error(), c.msg)) {
				t.Fatalf("error %v, want %v containing %q", err, c.code, c.msg)
			}
			if c.code == codes.OK && got != "hi" {
				t.Fatalf("response %q", got)
			}
		})
	}
}
