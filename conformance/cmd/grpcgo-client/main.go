// Command grpcgo-client is grpc-go's gRPC interop test client: it runs one
// test case of gRPC's interop test descriptions against a
// grpc.testing.TestService server and exits 0 if it passed, 1 if it failed,
// 2 for bad flags. The flags are those of gRPC's interop clients:
//
//	grpcgo-client --server_host=localhost --server_port=10000 \
//		--test_case=large_unary [--use_tls [--server_host_override=NAME]]
//
// --use_tls trusts only the certificate of internal/testcert;
// --server_host_override is the name to verify and the :authority to send
// (default: --server_host). --list prints the test cases it knows.
package main

import (
	"context"
	"crypto/tls"
	"flag"
	"fmt"
	"net"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ospreyrpc/osprey/conformance/internal/grpcgopeer"
	"github.com/ospreyrpc/osprey/conformance/internal/testcert"
)

// timeout bounds one test case.
const timeout = 30 * time.Second

func main() {
	host := flag.String("server_host", "localhost", "server host")
	port := flag.Int("server_port", 10000, "server port")
	override := flag.String("server_host_override", "", "server name for TLS and :authority (default: --server_host)")
	testCase := flag.String("test_case", "large_unary", "test case to run")
	useTLS := flag.Bool("use_tls", false, "connect over TLS, trusting the interop test certificate")
	list := flag.Bool("list", false, "print the known test cases and exit")
	flag.Parse()
	if *list {
		fmt.Println(strings.Join(grpcgopeer.TestCases(), "\n"))
		return
	}
	if flag.NArg() > 0 || !slices.Contains(grpcgopeer.TestCases(), *testCase) {
		fmt.Fprintf(os.Stderr, "grpcgo-client: bad arguments %q or unknown test case %q (known: %s)\n",
			flag.Args(), *testCase, strings.Join(grpcgopeer.TestCases(), ", "))
		os.Exit(2)
	}
	var tlsConfig *tls.Config
	if *useTLS {
		name := *override
		if name == "" {
			name = *host
		}
		var err error
		if tlsConfig, err = testcert.ClientConfig(name); err != nil {
			fail(err)
		}
	}
	cc, err := grpcgopeer.Dial(net.JoinHostPort(*host, strconv.Itoa(*port)), tlsConfig, *override)
	if err != nil {
		fail(err)
	}
	defer cc.Close()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := grpcgopeer.Run(ctx, cc, *testCase); err != nil {
		cc.Close()
		fail(fmt.Errorf("%s: %v", *testCase, err))
	}
	fmt.Printf("%s: PASSED\n", *testCase)
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "grpcgo-client: FAILED %v\n", err)
	os.Exit(1)
}
