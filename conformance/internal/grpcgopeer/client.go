package grpcgopeer

import (
	"context"
	"crypto/tls"
	"fmt"
	"slices"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/interop"
	testpb "google.golang.org/grpc/interop/grpc_testing"
)

// testCase runs one named test case and returns an error if it failed.
// grpc-go's interop Do* functions do not return: on failure they log and
// exit the process with status 1.
type testCase func(ctx context.Context, cc *grpc.ClientConn) error

// cases are the test cases Run knows, by their names in gRPC's interop test
// descriptions.
var cases = map[string]testCase{
	"empty_unary":                 stub(interop.DoEmptyUnaryCall),
	"large_unary":                 stub(interop.DoLargeUnaryCall),
	"client_streaming":            stub(interop.DoClientStreaming),
	"server_streaming":            stub(interop.DoServerStreaming),
	"ping_pong":                   stub(interop.DoPingPong),
	"empty_stream":                stub(interop.DoEmptyStream),
	"timeout_on_sleeping_server":  stub(interop.DoTimeoutOnSleepingServer),
	"cancel_after_begin":          stub(interop.DoCancelAfterBegin),
	"cancel_after_first_response": stub(interop.DoCancelAfterFirstResponse),
	"custom_metadata":             stub(interop.DoCustomMetadata),
	"status_code_and_message":     stub(interop.DoStatusCodeAndMessage),
	"special_status_message":      stub(interop.DoSpecialStatusMessage),
	"unimplemented_method": func(ctx context.Context, cc *grpc.ClientConn) error {
		interop.DoUnimplementedMethod(ctx, cc)
		return nil
	},
	"unimplemented_service": func(ctx context.Context, cc *grpc.ClientConn) error {
		interop.DoUnimplementedService(ctx, testpb.NewUnimplementedServiceClient(cc))
		return nil
	},
	"client_compressed_unary":     clientCompressedUnary,
	"server_compressed_unary":     serverCompressedUnary,
	"client_compressed_streaming": clientCompressedStreaming,
	"server_compressed_streaming": serverCompressedStreaming,
}

// stub adapts an interop Do* function that takes a TestService client.
func stub(do func(context.Context, testpb.TestServiceClient, ...grpc.CallOption)) testCase {
	return func(ctx context.Context, cc *grpc.ClientConn) error {
		do(ctx, testpb.NewTestServiceClient(cc))
		return nil
	}
}

// TestCases returns the names of the test cases Run knows, sorted.
func TestCases() []string {
	names := make([]string, 0, len(cases))
	for name := range cases {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// Dial returns a grpc-go client of target (host:port), over TLS when
// tlsConfig is not nil, claiming authority as the :authority when it is not
// empty.
func Dial(target string, tlsConfig *tls.Config, authority string) (*grpc.ClientConn, error) {
	creds := insecure.NewCredentials()
	if tlsConfig != nil {
		creds = credentials.NewTLS(tlsConfig)
	}
	opts := []grpc.DialOption{grpc.WithTransportCredentials(creds), grpc.WithStatsHandler(compressionStats{})}
	if authority != "" {
		opts = append(opts, grpc.WithAuthority(authority))
	}
	return grpc.NewClient(target, opts...)
}

// Run runs the test case called name over cc.
func Run(ctx context.Context, cc *grpc.ClientConn, name string) error {
	tc, ok := cases[name]
	if !ok {
		return fmt.Errorf("unknown test case %q; known: %s", name, strings.Join(TestCases(), ", "))
	}
	return tc(ctx, cc)
}
