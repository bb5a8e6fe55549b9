package server_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ospreyrpc/osprey/internal/echotest"
	"github.com/ospreyrpc/osprey/internal/gen/echo"
	"github.com/ospreyrpc/osprey/internal/leakcheck"
)

// h2cClient is net/http's client speaking HTTP/2 without TLS, with prior
// knowledge, as gRPC clients do.
func h2cClient(t *testing.T) *http.Client {
	t.Helper()
	var p http.Protocols
	p.SetUnencryptedHTTP2(true)
	tr := &http.Transport{Protocols: &p}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: 5 * time.Second}
}

// TestHTTP2OnTheSharedPort calls the echo server over HTTP/2 and over
// Thrift on the same port. gRPC calls are answered UNIMPLEMENTED until the
// gRPC layer lands, each with the reason.
func TestHTTP2OnTheSharedPort(t *testing.T) {
	leakcheck.Check(t)
	srv := echotest.Serve(t, "tcp")
	hc := h2cClient(t)
	for _, c := range []struct {
		path, contentType string
		status            int
		grpcStatus, msg   string
	}{
		{"/Echo/echo", "application/grpc", 200, "12", "method echo of service Echo cannot be called over gRPC yet"},
		{"/pkg.Echo/echo", "application/grpc+proto", 200, "12", "method echo of service Echo cannot be called over gRPC yet"},
		{"/Echo/nope", "application/grpc", 200, "12", "unknown method nope of service Echo"},
		{"/pkg.Other/Get", "application/grpc", 200, "12", "unknown service Other"},
		{"/Echo/echo", "application/json", 415, "", ""},
	} {
		req, err := http.NewRequest("POST", "http://"+srv.Target+c.path, bytes.NewReader([]byte{0, 0, 0, 0, 0}))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("content-type", c.contentType)
		req.Header.Set("te", "trailers")
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", c.path, err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.ProtoMajor != 2 || resp.StatusCode != c.status {
			t.Errorf("%s: %s %d, want HTTP/2 %d", c.path, resp.Proto, resp.StatusCode, c.status)
		}
		// A trailers-only response carries the status in its headers.
		if got := resp.Header.Get("grpc-status"); got != c.grpcStatus {
			t.Errorf("%s: grpc-status %q, want %q", c.path, got, c.grpcStatus)
		}
		if got := resp.Header.Get("grpc-message"); !strings.Contains(strings.ReplaceAll(got, "%20", " "), c.msg) {
			t.Errorf("%s: grpc-message %q, want %q", c.path, got, c.msg)
		}
	}
	// Thrift on the same port, at the same time.
	cli := newClient(t, srv.Target)
	if resp, err := cli.Echo(context.Background(), &echo.Request{Msg: "still thrift"}); err != nil || resp.Msg != "still thrift" {
		t.Fatalf("thrift beside HTTP/2: %v %v", resp, err)
	}
	// The HTTP/2 connection is still open (pooled by the client): Stop
	// must close it with a GOAWAY, not wait for its idle timeout.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := srv.Stop(ctx); err != nil {
		t.Fatalf("Stop with an HTTP/2 connection open: %v", err)
	}
}
