// Command grpcgo-client is grpc-go's gRPC interop test client: it runs one
// test case of gRPC's interop test descriptions (see internal/grpcgopeer)
// against a grpc.testing.TestService server and exits 0 if it passed, 1 if
// it failed, 2 for bad flags or an unknown test case. The flags are those of
// gRPC's interop clients (see internal/interop.ParseClient):
//
//	grpcgo-client --server_host=localhost --server_port=10000 \
//		--test_case=large_unary [--use_tls [--server_host_override=NAME]]
//
// --use_tls trusts only the certificate of internal/testcert.
// --test_case=list prints the test cases it knows.
package main

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/ospreyrpc/osprey/conformance/internal/grpcgopeer"
	"github.com/ospreyrpc/osprey/conformance/internal/interop"
)

// timeout bounds one test case.
const timeout = 30 * time.Second

func main() {
	f, err := interop.ParseClient("grpcgo-client", os.Args[1:], os.Stderr)
	if err != nil {
		os.Exit(interop.ExitBadFlags)
	}
	if f.TestCase == "list" {
		fmt.Println(strings.Join(grpcgopeer.TestCases(), "\n"))
		return
	}
	if !slices.Contains(grpcgopeer.TestCases(), f.TestCase) {
		fmt.Fprintf(os.Stderr, "grpcgo-client: unknown test case %q (known: %s)\n", f.TestCase, strings.Join(grpcgopeer.TestCases(), ", "))
		os.Exit(interop.ExitBadFlags)
	}
	tlsConfig, err := f.TLSConfig()
	if err != nil {
		fail(f.TestCase, err)
	}
	cc, err := grpcgopeer.Dial(f.Addr(), tlsConfig, f.HostOverride)
	if err != nil {
		fail(f.TestCase, err)
	}
	defer cc.Close()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := grpcgopeer.Run(ctx, cc, f.TestCase); err != nil {
		fail(f.TestCase, err)
	}
	fmt.Printf("%s: PASSED\n", f.TestCase)
}

func fail(testCase string, err error) {
	fmt.Fprintf(os.Stderr, "grpcgo-client: %s: FAILED: %v\n", testCase, err)
	os.Exit(interop.ExitFailed)
}
