// Command connect-server serves grpc.testing.TestService's EmptyCall,
// UnaryCall and FullDuplexCall with connect-go handlers, which speak the
// gRPC protocol (see internal/connectpeer), with the flags of gRPC's interop
// servers:
//
//	connect-server --port=10000 [--use_tls]
//
// Without --use_tls it serves HTTP/2 without TLS (h2c); with it, TLS with
// the certificate of internal/testcert. It prints "listening on ADDR" when
// ready and serves until SIGINT or SIGTERM, then shuts down gracefully.
// Exit status 2 means bad flags, 1 any other failure.
package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/ospreyrpc/osprey/conformance/internal/connectpeer"
	"github.com/ospreyrpc/osprey/conformance/internal/interop"
)

func main() {
	f, err := interop.ParseServer("connect-server", os.Args[1:], os.Stderr)
	if err != nil {
		os.Exit(interop.ExitBadFlags)
	}
	tlsConfig, err := f.TLSConfig()
	if err != nil {
		fail(err)
	}
	ln, err := net.Listen("tcp", f.Addr())
	if err != nil {
		fail(err)
	}
	s := connectpeer.NewServer(tlsConfig)
	stopped := make(chan struct{})
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		defer close(stopped)
		<-stop
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		s.Shutdown(ctx)
	}()
	fmt.Printf("listening on %s\n", ln.Addr())
	if tlsConfig != nil {
		err = s.ServeTLS(ln, "", "")
	} else {
		err = s.Serve(ln)
	}
	if !errors.Is(err, http.ErrServerClosed) {
		fail(err)
	}
	<-stopped
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "connect-server: %v\n", err)
	os.Exit(interop.ExitFailed)
}
