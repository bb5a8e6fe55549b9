package h2_test

import (
	"context"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"golang.org/x/net/http2"

	"github.com/ospreyrpc/osprey/internal/h2"
	"github.com/ospreyrpc/osprey/internal/leakcheck"
)

// TestInteropXNetTransport: Go's own HTTP/2 client (x/net/http2.Transport,
// h2c with prior knowledge) POSTs a body and reads the echoed body and
// the trailers.
func TestInteropXNetTransport(t *testing.T) {
	leakcheck.Check(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	served := make(chan error, 1)
	var sc *h2.Conn
	accepted := make(chan struct{})
	go func() {
		nc, err := ln.Accept()
		if err != nil {
			served <- err
			close(accepted)
			return
		}
		sc, _ = h2.NewConn(nc, nil, h2.DefaultConfig(), echo)
		close(accepted)
		served <- sc.Serve()
	}()
	tr := &http2.Transport{
		AllowHTTP: true,
		DialTLSContext: func(ctx context.Context, network, addr string, _ *tls.Config) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, addr)
		},
	}
	body := strings.Repeat("osprey ", 50000) // 350 KB: more than the initial windows
	req, _ := http.NewRequest("POST", "http://"+ln.Addr().String()+"/echo.Echo/Echo", strings.NewReader(body))
	req.Header.Set("content-type", "application/grpc")
	resp, err := tr.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || string(got) != body {
		t.Fatalf("status %d, body %d bytes, want 200 and %d", resp.StatusCode, len(got), len(body))
	}
	if v := resp.Trailer.Get("grpc-status"); v != "0" {
		t.Fatalf("trailer grpc-status %q, trailers %v", v, resp.Trailer)
	}
	tr.CloseIdleConnections()
	<-accepted
	if err := <-served; err != nil {
		t.Fatalf("Serve: %v", err)
	}
}
