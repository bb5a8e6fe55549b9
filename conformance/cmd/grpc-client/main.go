// Command grpc-client is Osprey's gRPC interop client: it runs one of
// gRPC's interop test cases (--test_case; "list" prints them) against a
// grpc.testing.TestService server (--server_host, --server_port,
// --server_host_override, --use_tls) and exits 0 when it passes, 1 when it
// fails and 2 for bad flags or an unknown case.
package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/ospreyrpc/osprey/client"
	"github.com/ospreyrpc/osprey/conformance/internal/interop"
	"github.com/ospreyrpc/osprey/conformance/internal/ospreypeer"
)

func main() {
	f, err := interop.ParseClient("grpc-client", os.Args[1:], os.Stderr)
	if err != nil {
		os.Exit(interop.ExitBadFlags)
	}
	if f.TestCase == "list" {
		fmt.Println(strings.Join(ospreypeer.TestCases(), "\n"))
		return
	}
	tlsConfig, err := f.TLSConfig()
	if err != nil {
		fail(err)
	}
	var opts []client.Option
	if tlsConfig != nil {
		opts = append(opts, client.WithTLS(tlsConfig))
	}
	cs, err := ospreypeer.Dial(f.Addr(), opts...)
	if err != nil {
		fail(err)
	}
	defer cs.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	known, err := ospreypeer.Run(ctx, cs, f.TestCase)
	if !known {
		fmt.Fprintf(os.Stderr, "grpc-client: unknown test case %q\n", f.TestCase)
		os.Exit(interop.ExitBadFlags)
	}
	if err != nil {
		fail(fmt.Errorf("%s: %w", f.TestCase, err))
	}
	fmt.Printf("%s: PASSED\n", f.TestCase)
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "grpc-client: %v\n", err)
	os.Exit(interop.ExitFailed)
}
