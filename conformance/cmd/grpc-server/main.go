// Command grpc-server is Osprey's gRPC interop server: grpc.testing.TestService
// as gRPC's interop test descriptions ask, on the standard flags (--port,
// --use_tls). It stops gracefully on SIGINT or SIGTERM.
package main

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/ospreyrpc/osprey/conformance/internal/interop"
	"github.com/ospreyrpc/osprey/conformance/internal/ospreypeer"
	"github.com/ospreyrpc/osprey/server"
)

func main() {
	f, err := interop.ParseServer("grpc-server", os.Args[1:], os.Stderr)
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
	if tlsConfig != nil {
		tlsConfig.NextProtos = []string{"h2"} // ALPN: gRPC over TLS is HTTP/2
		ln = tls.NewListener(ln, tlsConfig)
	}
	s, err := server.New()
	if err != nil {
		fail(err)
	}
	if err := ospreypeer.Register(s); err != nil {
		fail(err)
	}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		<-stop
		s.Stop(context.Background())
	}()
	fmt.Printf("listening on %s\n", ln.Addr())
	if err := s.Serve(ln); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "grpc-server: %v\n", err)
	os.Exit(interop.ExitFailed)
}
