package grpcgopeer

import (
	"context"
	"errors"
	"fmt"
	"io"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	testpb "google.golang.org/grpc/interop/grpc_testing"
	"google.golang.org/grpc/status"
)

// Sizes from the interop test descriptions.
const (
	largeRequestSize  = 271828
	largeResponseSize = 314159
)

// gzip is the call option that compresses a call's messages.
var gzip = grpc.UseCompressor("gzip")

// clientCompressedUnary: a probe (uncompressed, expect_compressed=true) must
// fail with InvalidArgument; then a compressed and an uncompressed call with
// expect_compressed saying so must succeed with a 314159-byte payload.
func clientCompressedUnary(ctx context.Context, cc *grpc.ClientConn) error {
	tc := testpb.NewTestServiceClient(cc)
	request := func(expect bool) *testpb.SimpleRequest {
		return &testpb.SimpleRequest{
			ExpectCompressed: &testpb.BoolValue{Value: expect},
			ResponseSize:     largeResponseSize,
			Payload:          zeros(largeRequestSize),
		}
	}
	if _, err := tc.UnaryCall(ctx, request(true)); status.Code(err) != codes.InvalidArgument {
		return fmt.Errorf("probe (uncompressed, expect_compressed=true): got %v, want code InvalidArgument", err)
	}
	for _, compressed := range []bool{true, false} {
		var opts []grpc.CallOption
		if compressed {
			opts = append(opts, gzip)
		}
		resp, err := tc.UnaryCall(ctx, request(compressed), opts...)
		if err != nil {
			return fmt.Errorf("compressed=%v: %v", compressed, err)
		}
		if err := checkPayload(resp.GetPayload(), largeResponseSize); err != nil {
			return fmt.Errorf("compressed=%v: %v", compressed, err)
		}
	}
	return nil
}

// serverCompressedUnary: with response_compressed true, then false, the
// response must come with the compressed flag set, then not set.
func serverCompressedUnary(ctx context.Context, cc *grpc.ClientConn) error {
	tc := testpb.NewTestServiceClient(cc)
	for _, compressed := range []bool{true, false} {
		ctx, rec := withReceived(ctx)
		resp, err := tc.UnaryCall(ctx, &testpb.SimpleRequest{
			ResponseCompressed: &testpb.BoolValue{Value: compressed},
			ResponseSize:       largeResponseSize,
			Payload:            zeros(largeRequestSize),
		})
		if err != nil {
			return fmt.Errorf("response_compressed=%v: %v", compressed, err)
		}
		if got := rec.compressed.Load(); got != compressed {
			return fmt.Errorf("response_compressed=%v: the response's compressed flag is %v", compressed, got)
		}
		if err := checkPayload(resp.GetPayload(), largeResponseSize); err != nil {
			return fmt.Errorf("response_compressed=%v: %v", compressed, err)
		}
	}
	return nil
}

// clientCompressedStreaming: a probe stream sending one uncompressed
// message with expect_compressed=true must fail with InvalidArgument; then
// a compressed stream of a 27182-byte message (expect_compressed=true) and
// a 45904-byte one (expect_compressed=false) must report 73086 bytes.
//
// The descriptions send the second message uncompressed; grpc-go cannot
// switch compression off for one message of a stream, so it is compressed
// too, which servers accept (they check only expect_compressed=true).
func clientCompressedStreaming(ctx context.Context, cc *grpc.ClientConn) error {
	tc := testpb.NewTestServiceClient(cc)
	probe, err := tc.StreamingInputCall(ctx)
	if err != nil {
		return fmt.Errorf("probe: %v", err)
	}
	// Send may see the server's early end as io.EOF; the status follows.
	if err := probe.Send(&testpb.StreamingInputCallRequest{
		ExpectCompressed: &testpb.BoolValue{Value: true},
		Payload:          zeros(27182),
	}); err != nil && err != io.EOF {
		return fmt.Errorf("probe: Send: %v", err)
	}
	if _, err := probe.CloseAndRecv(); status.Code(err) != codes.InvalidArgument {
		return fmt.Errorf("probe (uncompressed, expect_compressed=true): got %v, want code InvalidArgument", err)
	}

	stream, err := tc.StreamingInputCall(ctx, gzip)
	if err != nil {
		return err
	}
	for _, m := range []*testpb.StreamingInputCallRequest{
		{ExpectCompressed: &testpb.BoolValue{Value: true}, Payload: zeros(27182)},
		{ExpectCompressed: &testpb.BoolValue{Value: false}, Payload: zeros(45904)},
	} {
		if err := stream.Send(m); err != nil {
			_, err = stream.CloseAndRecv()
			return fmt.Errorf("send: %v", err)
		}
	}
	resp, err := stream.CloseAndRecv()
	if err != nil {
		return err
	}
	if got := resp.GetAggregatedPayloadSize(); got != 73086 {
		return fmt.Errorf("aggregated_payload_size %d, want 73086", got)
	}
	return nil
}

// serverCompressedStreaming: asking for a compressed 31415-byte response and
// an uncompressed 92653-byte one, exactly those two must arrive, the first
// with the compressed flag set, the second without.
//
// grpc-go's server cannot do this (see NewServer): against it this case
// fails on the second response, as it should.
func serverCompressedStreaming(ctx context.Context, cc *grpc.ClientConn) error {
	tc := testpb.NewTestServiceClient(cc)
	want := []struct {
		compressed bool
		size       int
	}{{true, 31415}, {false, 92653}}
	req := &testpb.StreamingOutputCallRequest{}
	for _, w := range want {
		req.ResponseParameters = append(req.ResponseParameters, &testpb.ResponseParameters{
			Compressed: &testpb.BoolValue{Value: w.compressed},
			Size:       int32(w.size),
		})
	}
	ctx, rec := withReceived(ctx)
	stream, err := tc.StreamingOutputCall(ctx, req)
	if err != nil {
		return err
	}
	for i, w := range want {
		resp, err := stream.Recv()
		if err != nil {
			return fmt.Errorf("response %d: %v", i+1, err)
		}
		if got := rec.compressed.Load(); got != w.compressed {
			return fmt.Errorf("response %d: compressed flag %v, want %v", i+1, got, w.compressed)
		}
		if err := checkPayload(resp.GetPayload(), w.size); err != nil {
			return fmt.Errorf("response %d: %v", i+1, err)
		}
	}
	if _, err := stream.Recv(); err != io.EOF {
		return fmt.Errorf("after two responses: got %v, want the end of the stream", err)
	}
	return nil
}

// zeros returns a payload of n zero bytes.
func zeros(n int) *testpb.Payload {
	return &testpb.Payload{Type: testpb.PayloadType_COMPRESSABLE, Body: make([]byte, n)}
}

// checkPayload checks that p is a COMPRESSABLE payload of size zero bytes.
func checkPayload(p *testpb.Payload, size int) error {
	if p.GetType() != testpb.PayloadType_COMPRESSABLE {
		return fmt.Errorf("payload type %v, want COMPRESSABLE", p.GetType())
	}
	if len(p.GetBody()) != size {
		return fmt.Errorf("payload of %d bytes, want %d", len(p.GetBody()), size)
	}
	for _, b := range p.GetBody() {
		if b != 0 {
			return errors.New("payload body is not all zeros")
		}
	}
	return nil
}
