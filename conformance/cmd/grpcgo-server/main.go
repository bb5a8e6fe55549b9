// Command grpcgo-server is grpc-go's gRPC interop test server
// (grpc.testing.TestService, see internal/grpcgopeer) with the flags of
// gRPC's interop servers:
//
//	grpcgo-server --port=10000 [--use_tls]
//
// --use_tls serves TLS with the certificate of internal/testcert. It prints
// "listening on ADDR" when ready and serves until SIGINT or SIGTERM, then
// stops gracefully. Exit status 2 means bad flags, 1 any other failure.
package main

import (
	"fmt"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/ospreyrpc/osprey/conformance/internal/grpcgopeer"
	"github.com/ospreyrpc/osprey/conformance/internal/interop"
)

func main() {
	f, err := interop.ParseServer("grpcgo-server", os.Args[1:], os.Stderr)
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
	s := grpcgopeer.NewServer(tlsConfig)
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		<-stop
		s.GracefulStop()
	}()
	fmt.Printf("listening on %s\n", ln.Addr())
	if err := s.Serve(ln); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "grpcgo-server: %v\n", err)
	os.Exit(interop.ExitFailed)
}
