// Command connect-client is a connect-go client speaking the gRPC protocol
// (see internal/connectpeer): it runs one gRPC interop test case
// (empty_unary, large_unary or ping_pong) against a grpc.testing.TestService
// server and exits 0 if it passed, 1 if it failed, 2 for bad flags or an
// unknown test case. The flags are those of gRPC's interop clients (see
// internal/interop.ParseClient):
//
//	connect-client --server_host=localhost --server_port=10000 \
//		--test_case=large_unary [--use_tls [--server_host_override=NAME]]
//
// Without --use_tls it speaks HTTP/2 without TLS (h2c); --use_tls trusts
// only the certificate of internal/testcert. --test_case=list prints the
// test cases it knows.
package main

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/ospreyrpc/osprey/conformance/internal/connectpeer"
	"github.com/ospreyrpc/osprey/conformance/internal/interop"
)

// timeout bounds one test case.
const timeout = 30 * time.Second

func main() {
	f, err := interop.ParseClient("connect-client", os.Args[1:], os.Stderr)
	if err != nil {
		os.Exit(interop.ExitBadFlags)
	}
	if f.TestCase == "list" {
		fmt.Println(strings.Join(connectpeer.TestCases(), "\n"))
		return
	}
	if !slices.Contains(connectpeer.TestCases(), f.TestCase) {
		fmt.Fprintf(os.Stderr, "connect-client: unknown test case %q (known: %s)\n", f.TestCase, strings.Join(connectpeer.TestCases(), ", "))
		os.Exit(interop.ExitBadFlags)
	}
	tlsConfig, err := f.TLSConfig()
	if err != nil {
		fail(f.TestCase, err)
	}
	c := connectpeer.NewClient(f.Addr(), tlsConfig, f.HostOverride)
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := c.Run(ctx, f.TestCase); err != nil {
		fail(f.TestCase, err)
	}
	fmt.Printf("%s: PASSED\n", f.TestCase)
}

func fail(testCase string, err error) {
	fmt.Fprintf(os.Stderr, "connect-client: %s: FAILED: %v\n", testCase, err)
	os.Exit(interop.ExitFailed)
}
