package grpcgopeer

import (
	"context"
	"crypto/tls"
	"io"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/encoding"
	_ "google.golang.org/grpc/encoding/gzip" // registers "gzip"
	"google.golang.org/grpc/interop"
	testpb "google.golang.org/grpc/interop/grpc_testing"
	"google.golang.org/grpc/status"
)

// NewServer returns a grpc-go server with grpc.testing.TestService
// registered, using TLS when tlsConfig is not nil. grpc.testing.UnimplementedService
// is not registered, so calls to it fail with Unimplemented.
//
// The service is grpc-go's interop.NewTestServer, which implements the
// descriptions' server features except the compression ones, with these
// added (interop.NewTestServer ignores the fields):
//
//   - CompressedRequest: UnaryCall and StreamingInputCall fail with
//     InvalidArgument when a message with expect_compressed=true arrived
//     uncompressed.
//   - CompressedResponse: UnaryCall compresses its response with gzip when
//     response_compressed is true and not when it is false (unset: like the
//     request); StreamingOutputCall compresses every response when any
//     response_parameters asks for compression (grpc-go cannot compress
//     some messages of a stream and not others).
func NewServer(tlsConfig *tls.Config) *grpc.Server {
	opts := []grpc.ServerOption{grpc.StatsHandler(compressionStats{server: true})}
	if tlsConfig != nil {
		opts = append(opts, grpc.Creds(credentials.NewTLS(tlsConfig)))
	}
	s := grpc.NewServer(opts...)
	testpb.RegisterTestServiceServer(s, &testService{TestServiceServer: interop.NewTestServer()})
	return s
}

// testService adds the compression features to grpc-go's test service.
type testService struct {
	testpb.TestServiceServer
}

// errNotCompressed is the CompressedRequest feature's failure.
var errNotCompressed = status.Error(codes.InvalidArgument, "expect_compressed is true but the request was not compressed")

func (s *testService) UnaryCall(ctx context.Context, in *testpb.SimpleRequest) (*testpb.SimpleResponse, error) {
	if in.GetExpectCompressed().GetValue() && !lastCompressed(ctx) {
		return nil, errNotCompressed
	}
	if rc := in.GetResponseCompressed(); rc != nil {
		if err := setSendCompressor(ctx, rc.GetValue()); err != nil {
			return nil, err
		}
	}
	return s.TestServiceServer.UnaryCall(ctx, in)
}

func (s *testService) StreamingInputCall(stream testpb.TestService_StreamingInputCallServer) error {
	var sum int
	for {
		in, err := stream.Recv()
		if err == io.EOF {
			return stream.SendAndClose(&testpb.StreamingInputCallResponse{AggregatedPayloadSize: int32(sum)})
		}
		if err != nil {
			return err
		}
		if in.GetExpectCompressed().GetValue() && !lastCompressed(stream.Context()) {
			return errNotCompressed
		}
		sum += len(in.GetPayload().GetBody())
	}
}

func (s *testService) StreamingOutputCall(in *testpb.StreamingOutputCallRequest, stream testpb.TestService_StreamingOutputCallServer) error {
	set, compress := false, false
	for _, p := range in.GetResponseParameters() {
		if c := p.GetCompressed(); c != nil {
			set, compress = true, compress || c.GetValue()
		}
	}
	if set {
		if err := setSendCompressor(stream.Context(), compress); err != nil {
			return err
		}
	}
	return s.TestServiceServer.StreamingOutputCall(in, stream)
}

// setSendCompressor makes the call's responses gzip-compressed or not.
func setSendCompressor(ctx context.Context, compress bool) error {
	name := encoding.Identity
	if compress {
		name = "gzip"
	}
	if err := grpc.SetSendCompressor(ctx, name); err != nil {
		return status.Errorf(codes.FailedPrecondition, "cannot compress the response with %s: %v", name, err)
	}
	return nil
}
