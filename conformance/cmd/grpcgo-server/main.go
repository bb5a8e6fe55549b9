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
	"crypto/tls"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"strconv"
	"syscall"

	"github.com/ospreyrpc/osprey/conformance/internal/grpcgopeer"
	"github.com/ospreyrpc/osprey/conformance/internal/testcert"
)

func main() {
	port := flag.Int("port", 10000, "port to listen on (0 picks a free one)")
	useTLS := flag.Bool("use_tls", false, "serve TLS with the interop test certificate")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "grpcgo-server: unexpected arguments %q\n", flag.Args())
		os.Exit(2)
	}
	var tlsConfig *tls.Config
	if *useTLS {
		var err error
		if tlsConfig, err = testcert.ServerConfig(); err != nil {
			fail(err)
		}
	}
	ln, err := net.Listen("tcp", net.JoinHostPort("", strconv.Itoa(*port)))
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
	os.Exit(1)
}
