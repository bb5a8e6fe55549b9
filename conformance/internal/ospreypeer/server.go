package ospreypeer

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/conformance/internal/interop/testpb"
	"github.com/ospreyrpc/osprey/protocol/grpc"
	"github.com/ospreyrpc/osprey/server"
	"github.com/ospreyrpc/osprey/status"
)

// The metadata keys the interop test cases echo (custom_metadata).
const (
	echoInitialKey  = "x-grpc-test-echo-initial"
	echoTrailingKey = "x-grpc-test-echo-trailing-bin"
)

// Register adds grpc.testing.TestService to s. grpc.testing.UnimplementedService
// is deliberately not registered (unimplemented_service).
func Register(s *server.Server) error {
	return testpb.RegisterTestService(s, testService{})
}

// testService implements the interop TestService as the interop test
// descriptions ask of a server.
type testService struct {
	testpb.UnimplementedTestService
}

func (testService) EmptyCall(ctx context.Context, _ *testpb.Empty) (*testpb.Empty, error) {
	if err := echoMetadata(ctx); err != nil {
		return nil, err
	}
	return &testpb.Empty{}, nil
}

func (testService) UnaryCall(ctx context.Context, req *testpb.SimpleRequest) (*testpb.SimpleResponse, error) {
	if err := echoMetadata(ctx); err != nil {
		return nil, err
	}
	if err := checkCompressed(ctx, req.GetExpectCompressed()); err != nil {
		return nil, err
	}
	if err := echoStatus(req.GetResponseStatus()); err != nil {
		return nil, err
	}
	if req.GetResponseCompressed().GetValue() {
		if err := grpc.SetSendCompressor(ctx, grpc.Gzip); err != nil {
			return nil, err
		}
	}
	p, err := payload(req.GetResponseType(), req.GetResponseSize())
	if err != nil {
		return nil, err
	}
	return &testpb.SimpleResponse{Payload: p}, nil
}

func (s testService) CacheableUnaryCall(ctx context.Context, req *testpb.SimpleRequest) (*testpb.SimpleResponse, error) {
	return s.UnaryCall(ctx, req)
}

func (testService) StreamingOutputCall(ctx context.Context, req *testpb.StreamingOutputCallRequest, stream testpb.TestService_StreamingOutputCallServer) error {
	if err := echoMetadata(ctx); err != nil {
		return err
	}
	if err := sendResponses(ctx, req, stream); err != nil {
		return err
	}
	return echoStatus(req.GetResponseStatus())
}

func (testService) StreamingInputCall(ctx context.Context, stream testpb.TestService_StreamingInputCallServer) error {
	if err := echoMetadata(ctx); err != nil {
		return err
	}
	var sum int32
	for {
		req, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return stream.SendAndClose(&testpb.StreamingInputCallResponse{AggregatedPayloadSize: sum})
		}
		if err != nil {
			return err
		}
		if err := checkCompressed(ctx, req.GetExpectCompressed()); err != nil {
			return err
		}
		sum += int32(len(req.GetPayload().GetBody()))
	}
}

func (testService) FullDuplexCall(ctx context.Context, stream testpb.TestService_FullDuplexCallServer) error {
	if err := echoMetadata(ctx); err != nil {
		return err
	}
	for {
		req, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := echoStatus(req.GetResponseStatus()); err != nil {
			return err
		}
		if err := sendResponses(ctx, req, stream); err != nil {
			return err
		}
	}
}

func (testService) HalfDuplexCall(ctx context.Context, stream testpb.TestService_HalfDuplexCallServer) error {
	if err := echoMetadata(ctx); err != nil {
		return err
	}
	var reqs []*testpb.StreamingOutputCallRequest
	for {
		req, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		reqs = append(reqs, req)
	}
	for _, req := range reqs {
		if err := sendResponses(ctx, req, stream); err != nil {
			return err
		}
	}
	return nil
}

// sender is the send side of a server stream of StreamingOutputCallResponses.
type sender interface {
	Send(*testpb.StreamingOutputCallResponse) error
}

// sendResponses sends one response per ResponseParameters of req, each
// after its interval and compressed as it asks.
func sendResponses(ctx context.Context, req *testpb.StreamingOutputCallRequest, stream sender) error {
	params := req.GetResponseParameters()
	for _, p := range params {
		if p.GetCompressed().GetValue() {
			// The encoding goes in the response headers: pick it before
			// the first message; a later one is allowed to fail.
			_ = grpc.SetSendCompressor(ctx, grpc.Gzip)
			break
		}
	}
	for _, p := range params {
		if d := time.Duration(p.GetIntervalUs()) * time.Microsecond; d > 0 {
			t := time.NewTimer(d)
			select {
			case <-ctx.Done():
				t.Stop()
				return status.Convert(ctx.Err())
			case <-t.C:
			}
		}
		if err := grpc.SetMessageCompression(ctx, p.GetCompressed().GetValue()); err != nil {
			return err
		}
		body, err := payload(req.GetResponseType(), p.GetSize())
		if err != nil {
			return err
		}
		if err := stream.Send(&testpb.StreamingOutputCallResponse{Payload: body}); err != nil {
			return err
		}
	}
	return nil
}

// echoMetadata returns the request's echo metadata in the response's
// headers and trailers (custom_metadata).
func echoMetadata(ctx context.Context) error {
	in, _ := grpc.IncomingFromContext(ctx)
	if v := in[echoInitialKey]; len(v) > 0 {
		if err := grpc.SetHeader(ctx, grpc.MD{echoInitialKey: v}); err != nil {
			return err
		}
	}
	if v := in[echoTrailingKey]; len(v) > 0 {
		if err := grpc.SetTrailer(ctx, grpc.MD{echoTrailingKey: v}); err != nil {
			return err
		}
	}
	return nil
}

// checkCompressed fails a request that expected to arrive compressed and
// did not (client_compressed_unary, client_compressed_streaming).
func checkCompressed(ctx context.Context, expect *testpb.BoolValue) error {
	if expect.GetValue() && !grpc.RecvCompressed(ctx) {
		return status.New(codes.InvalidArgument, "expected a compressed request message")
	}
	return nil
}

// echoStatus returns the status a request asks for, nil for none or OK.
func echoStatus(s *testpb.EchoStatus) error {
	if s.GetCode() == 0 {
		return nil
	}
	return status.New(codes.Code(s.GetCode()), s.GetMessage())
}

// payload returns a payload of n zero bytes; only COMPRESSABLE exists.
func payload(t testpb.PayloadType, n int32) (*testpb.Payload, error) {
	if t != testpb.PayloadType_COMPRESSABLE {
		return nil, status.Errorf(codes.InvalidArgument, "unsupported payload type %v", t)
	}
	if n < 0 {
		return nil, status.Errorf(codes.InvalidArgument, "negative payload size %d", n)
	}
	return &testpb.Payload{Type: t, Body: make([]byte, n)}, nil
}
