//lint:file-ignore SA1019 x/net/http2.Transport is deprecated for net/http's, but it is the x/net peer this test checks against, beside net/http's own.

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

// TestInterop: Go's HTTP/2 clients, h2c with prior knowledge, POST a body
// larger than the initial windows and read the echoed body and the
// trailers: x/net/http2.Transport, and net/http's Transport (its bundled
// copy of the same client).
func TestInterop(t *testing.T) {
	plainDial := func(ctx context.Context, network, addr string, _ *tls.Config) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}
	clients := []struct {
		name string
		new  func() (http.RoundTripper, func())
	}{
		{"x/net/http2.Transport", func() (http.RoundTripper, func()) {
			tr := &http2.Transport{AllowHTTP: true, DialTLSContext: plainDial}
			return tr, tr.CloseIdleConnections
		}},
		{"net/http.Transport", func() (http.RoundTripper, func()) {
			tr := &http.Transport{Protocols: new(http.Protocols)}
			tr.Protocols.SetUnencryptedHTTP2(true)
			return tr, tr.CloseIdleConnections
		}},
	}
	for _, cl := range clients {
		t.Run(cl.name, func(t *testing.T) {
			leakcheck.Check(t)
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer ln.Close()
			served := make(chan error, 1)
			go func() {
				nc, err := ln.Accept()
				if err != nil {
					served <- err
					return
				}
				sc, err := h2.NewConn(nc, nil, h2.DefaultConfig(), echo)
				if err != nil {
					served <- err
					return
				}
				served <- sc.Serve()
			}()
			rt, closeIdle := cl.new()
			body := strings.Repeat("osprey ", 50000) // 350 KB
			req, _ := http.NewRequest("POST", "http://"+ln.Addr().String()+"/echo.Echo/Echo", strings.NewReader(body))
			req.Header.Set("content-type", "application/grpc")
			resp, err := rt.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != 200 || resp.ProtoMajor != 2 || string(got) != body {
				t.Fatalf("status %d, proto %s, body %d bytes; want 200, HTTP/2, %d", resp.StatusCode, resp.Proto, len(got), len(body))
			}
			if v := resp.Trailer.Get("grpc-status"); v != "0" {
				t.Fatalf("trailer grpc-status %q, trailers %v", v, resp.Trailer)
			}
			closeIdle()
			if err := <-served; err != nil {
				t.Fatalf("Serve: %v", err)
			}
		})
	}
}
