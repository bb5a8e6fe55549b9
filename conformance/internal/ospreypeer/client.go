package ospreypeer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/ospreyrpc/osprey/client"
	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/conformance/internal/interop/testpb"
	"github.com/ospreyrpc/osprey/protocol/grpc"
	"github.com/ospreyrpc/osprey/status"
)

// Clients are the stubs the test cases call, sharing one target.
type Clients struct {
	Test          *testpb.TestServiceClient
	Unimplemented *testpb.UnimplementedServiceClient
}

// Dial returns the test cases' clients of target (host:port); opts are
// client options such as client.WithTLS.
func Dial(target string, opts ...client.Option) (*Clients, error) {
	c, err := client.New(target, testpb.TestServiceDesc(), opts...)
	if err != nil {
		return nil, err
	}
	return &Clients{
		Test:          testpb.NewTestServiceClientFrom(c),
		Unimplemented: testpb.NewUnimplementedServiceClientFrom(c.ForService(testpb.UnimplementedServiceDesc())),
	}, nil
}

// Close closes the clients and their connections.
func (cs *Clients) Close() error {
	cs.Unimplemented.Close()
	return cs.Test.Close()
}

type testCase func(ctx context.Context, cs *Clients) error

// cases are the interop test cases, named and specified as in gRPC's
// interop test descriptions.
var cases = map[string]testCase{
	"empty_unary":                 emptyUnary,
	"large_unary":                 largeUnary,
	"client_streaming":            clientStreaming,
	"server_streaming":            serverStreaming,
	"ping_pong":                   pingPong,
	"empty_stream":                emptyStream,
	"timeout_on_sleeping_server":  timeoutOnSleepingServer,
	"cancel_after_begin":          cancelAfterBegin,
	"cancel_after_first_response": cancelAfterFirstResponse,
	"custom_metadata":             customMetadata,
	"status_code_and_message":     statusCodeAndMessage,
	"special_status_message":      specialStatusMessage,
	"unimplemented_method":        unimplementedMethod,
	"unimplemented_service":       unimplementedService,
	"client_compressed_unary":     clientCompressedUnary,
	"server_compressed_unary":     serverCompressedUnary,
	"client_compressed_streaming": clientCompressedStreaming,
	"server_compressed_streaming": serverCompressedStreaming,
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

// Run runs the test case name; ok is false for an unknown name.
func Run(ctx context.Context, cs *Clients, name string) (ok bool, err error) {
	tc := cases[name]
	if tc == nil {
		return false, nil
	}
	return true, tc(ctx, cs)
}

// The sizes the interop test descriptions use.
var (
	streamReqSizes  = []int{27182, 8, 1828, 45904}
	streamRespSizes = []int{31415, 9, 2653, 58979}
)

const (
	largeReqSize  = 271828
	largeRespSize = 314159
)

func zeros(n int) *testpb.Payload {
	return &testpb.Payload{Type: testpb.PayloadType_COMPRESSABLE, Body: make([]byte, n)}
}

// checkPayload fails unless p is n zero bytes of type COMPRESSABLE.
func checkPayload(p *testpb.Payload, n int) error {
	if p.GetType() != testpb.PayloadType_COMPRESSABLE {
		return fmt.Errorf("payload type %v, want COMPRESSABLE", p.GetType())
	}
	if len(p.GetBody()) != n {
		return fmt.Errorf("payload of %d bytes, want %d", len(p.GetBody()), n)
	}
	if !bytes.Equal(p.GetBody(), make([]byte, n)) {
		return errors.New("payload is not all zeros")
	}
	return nil
}

// wantCode fails unless err is a status with code c (and message msg,
// when not empty).
func wantCode(err error, c codes.Code, msg string) error {
	if err == nil {
		return fmt.Errorf("call succeeded, want %v", c)
	}
	se := status.Convert(err)
	if se.Code() != c {
		return fmt.Errorf("code %v (%v), want %v", se.Code(), err, c)
	}
	if msg != "" && se.Message() != msg {
		return fmt.Errorf("message %q, want %q", se.Message(), msg)
	}
	return nil
}

func emptyUnary(ctx context.Context, cs *Clients) error {
	reply, err := cs.Test.EmptyCall(ctx, &testpb.Empty{})
	if err != nil {
		return err
	}
	if reply == nil {
		return errors.New("nil reply")
	}
	return nil
}

func largeUnary(ctx context.Context, cs *Clients) error {
	reply, err := cs.Test.UnaryCall(ctx, &testpb.SimpleRequest{
		ResponseType: testpb.PayloadType_COMPRESSABLE, ResponseSize: largeRespSize, Payload: zeros(largeReqSize),
	})
	if err != nil {
		return err
	}
	return checkPayload(reply.GetPayload(), largeRespSize)
}

func clientStreaming(ctx context.Context, cs *Clients) error {
	st, err := cs.Test.StreamingInputCall(ctx)
	if err != nil {
		return err
	}
	sum := 0
	for _, n := range streamReqSizes {
		if err := st.Send(&testpb.StreamingInputCallRequest{Payload: zeros(n)}); err != nil {
			return err
		}
		sum += n
	}
	reply, err := st.CloseAndRecv()
	if err != nil {
		return err
	}
	if int(reply.GetAggregatedPayloadSize()) != sum {
		return fmt.Errorf("aggregated size %d, want %d", reply.GetAggregatedPayloadSize(), sum)
	}
	return nil
}

func serverStreaming(ctx context.Context, cs *Clients) error {
	req := &testpb.StreamingOutputCallRequest{ResponseType: testpb.PayloadType_COMPRESSABLE}
	for _, n := range streamRespSizes {
		req.ResponseParameters = append(req.ResponseParameters, &testpb.ResponseParameters{Size: int32(n)})
	}
	st, err := cs.Test.StreamingOutputCall(ctx, req)
	if err != nil {
		return err
	}
	for i, n := range streamRespSizes {
		reply, err := st.Recv()
		if err != nil {
			return fmt.Errorf("response %d: %w", i, err)
		}
		if err := checkPayload(reply.GetPayload(), n); err != nil {
			return fmt.Errorf("response %d: %w", i, err)
		}
	}
	if _, err := st.Recv(); !errors.Is(err, io.EOF) {
		return fmt.Errorf("after the last response: %v, want io.EOF", err)
	}
	return nil
}

func pingPong(ctx context.Context, cs *Clients) error {
	st, err := cs.Test.FullDuplexCall(ctx)
	if err != nil {
		return err
	}
	for i := range streamReqSizes {
		req := &testpb.StreamingOutputCallRequest{
			ResponseType:       testpb.PayloadType_COMPRESSABLE,
			ResponseParameters: []*testpb.ResponseParameters{{Size: int32(streamRespSizes[i])}},
			Payload:            zeros(streamReqSizes[i]),
		}
		if err := st.Send(req); err != nil {
			return fmt.Errorf("request %d: %w", i, err)
		}
		reply, err := st.Recv()
		if err != nil {
			return fmt.Errorf("response %d: %w", i, err)
		}
		if err := checkPayload(reply.GetPayload(), streamRespSizes[i]); err != nil {
			return fmt.Errorf("response %d: %w", i, err)
		}
	}
	if err := st.CloseSend(); err != nil {
		return err
	}
	if _, err := st.Recv(); !errors.Is(err, io.EOF) {
		return fmt.Errorf("after CloseSend: %v, want io.EOF", err)
	}
	return nil
}

func emptyStream(ctx context.Context, cs *Clients) error {
	st, err := cs.Test.FullDuplexCall(ctx)
	if err != nil {
		return err
	}
	if err := st.CloseSend(); err != nil {
		return err
	}
	if _, err := st.Recv(); !errors.Is(err, io.EOF) {
		return fmt.Errorf("first Recv: %v, want io.EOF", err)
	}
	return nil
}

func timeoutOnSleepingServer(ctx context.Context, cs *Clients) error {
	ctx, cancel := context.WithTimeout(ctx, time.Millisecond)
	defer cancel()
	st, err := cs.Test.FullDuplexCall(ctx)
	if err != nil {
		return wantCode(err, codes.DeadlineExceeded, "")
	}
	err = st.Send(&testpb.StreamingOutputCallRequest{Payload: zeros(27182)})
	if err != nil && !errors.Is(err, io.EOF) {
		return wantCode(err, codes.DeadlineExceeded, "")
	}
	_, err = st.Recv()
	return wantCode(err, codes.DeadlineExceeded, "")
}

func cancelAfterBegin(ctx context.Context, cs *Clients) error {
	ctx, cancel := context.WithCancel(ctx)
	st, err := cs.Test.StreamingInputCall(ctx)
	if err != nil {
		cancel()
		return err
	}
	cancel()
	_, err = st.CloseAndRecv()
	return wantCode(err, codes.Canceled, "")
}

func cancelAfterFirstResponse(ctx context.Context, cs *Clients) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	st, err := cs.Test.FullDuplexCall(ctx)
	if err != nil {
		return err
	}
	req := &testpb.StreamingOutputCallRequest{
		ResponseType:       testpb.PayloadType_COMPRESSABLE,
		ResponseParameters: []*testpb.ResponseParameters{{Size: 31415}},
		Payload:            zeros(27182),
	}
	if err := st.Send(req); err != nil {
		return err
	}
	if _, err := st.Recv(); err != nil {
		return err
	}
	cancel()
	_, err = st.Recv()
	return wantCode(err, codes.Canceled, "")
}

func customMetadata(ctx context.Context, cs *Clients) error {
	const initial, trailing = "test_initial_metadata_value", "\xab\xab\xab"
	ctx = grpc.AppendToOutgoingContext(ctx, echoInitialKey, initial, echoTrailingKey, trailing)
	check := func(what string, md *grpc.ResponseMD) error {
		if v := md.Header[echoInitialKey]; len(v) != 1 || v[0] != initial {
			return fmt.Errorf("%s: header %s = %q, want [%q]", what, echoInitialKey, v, initial)
		}
		if v := md.Trailer[echoTrailingKey]; len(v) != 1 || v[0] != trailing {
			return fmt.Errorf("%s: trailer %s = %q, want [%q]", what, echoTrailingKey, v, trailing)
		}
		return nil
	}
	var unary grpc.ResponseMD
	reply, err := cs.Test.UnaryCall(grpc.WithResponseMD(ctx, &unary), &testpb.SimpleRequest{
		ResponseType: testpb.PayloadType_COMPRESSABLE, ResponseSize: largeRespSize, Payload: zeros(largeReqSize),
	})
	if err != nil {
		return err
	}
	if err := checkPayload(reply.GetPayload(), largeRespSize); err != nil {
		return err
	}
	if err := check("UnaryCall", &unary); err != nil {
		return err
	}
	var stream grpc.ResponseMD
	st, err := cs.Test.FullDuplexCall(grpc.WithResponseMD(ctx, &stream))
	if err != nil {
		return err
	}
	err = st.Send(&testpb.StreamingOutputCallRequest{
		ResponseType:       testpb.PayloadType_COMPRESSABLE,
		ResponseParameters: []*testpb.ResponseParameters{{Size: largeRespSize}},
		Payload:            zeros(largeReqSize),
	})
	if err != nil {
		return err
	}
	if reply, err := st.Recv(); err != nil {
		return err
	} else if err := checkPayload(reply.GetPayload(), largeRespSize); err != nil {
		return err
	}
	if err := st.CloseSend(); err != nil {
		return err
	}
	if _, err := st.Recv(); !errors.Is(err, io.EOF) {
		return fmt.Errorf("FullDuplexCall: %v, want io.EOF", err)
	}
	return check("FullDuplexCall", &stream)
}

// echoStatusCase asks for status (2, msg) on a unary and a streaming call.
func echoStatusCase(ctx context.Context, cs *Clients, msg string) error {
	want := &testpb.EchoStatus{Code: int32(codes.Unknown), Message: msg}
	_, err := cs.Test.UnaryCall(ctx, &testpb.SimpleRequest{ResponseStatus: want})
	if err := wantCode(err, codes.Unknown, msg); err != nil {
		return fmt.Errorf("UnaryCall: %w", err)
	}
	st, err := cs.Test.FullDuplexCall(ctx)
	if err != nil {
		return err
	}
	if err := st.Send(&testpb.StreamingOutputCallRequest{ResponseStatus: want}); err != nil {
		return err
	}
	if err := st.CloseSend(); err != nil {
		return err
	}
	_, err = st.Recv()
	if err := wantCode(err, codes.Unknown, msg); err != nil {
		return fmt.Errorf("FullDuplexCall: %w", err)
	}
	return nil
}

func statusCodeAndMessage(ctx context.Context, cs *Clients) error {
	return echoStatusCase(ctx, cs, "test status message")
}

func specialStatusMessage(ctx context.Context, cs *Clients) error {
	return echoStatusCase(ctx, cs, "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n")
}

func unimplementedMethod(ctx context.Context, cs *Clients) error {
	_, err := cs.Test.UnimplementedCall(ctx, &testpb.Empty{})
	return wantCode(err, codes.Unimplemented, "")
}

func unimplementedService(ctx context.Context, cs *Clients) error {
	_, err := cs.Unimplemented.UnimplementedCall(ctx, &testpb.Empty{})
	return wantCode(err, codes.Unimplemented, "")
}

func boolValue(v bool) *testpb.BoolValue { return &testpb.BoolValue{Value: v} }

func clientCompressedUnary(ctx context.Context, cs *Clients) error {
	req := func(expect bool) *testpb.SimpleRequest {
		return &testpb.SimpleRequest{
			ResponseType: testpb.PayloadType_COMPRESSABLE, ResponseSize: largeRespSize,
			Payload: zeros(largeReqSize), ExpectCompressed: boolValue(expect),
		}
	}
	// The probe: a server that checks expect_compressed refuses an
	// uncompressed message that says it is compressed.
	_, err := cs.Test.UnaryCall(ctx, req(true))
	if err := wantCode(err, codes.InvalidArgument, ""); err != nil {
		return fmt.Errorf("probe: %w", err)
	}
	for _, compressed := range []bool{true, false} {
		cctx := ctx
		if compressed {
			cctx = grpc.WithSendCompressor(ctx, grpc.Gzip)
		}
		reply, err := cs.Test.UnaryCall(cctx, req(compressed))
		if err != nil {
			return fmt.Errorf("compressed=%v: %w", compressed, err)
		}
		if err := checkPayload(reply.GetPayload(), largeRespSize); err != nil {
			return fmt.Errorf("compressed=%v: %w", compressed, err)
		}
	}
	return nil
}

func serverCompressedUnary(ctx context.Context, cs *Clients) error {
	for _, compressed := range []bool{true, false} {
		var md grpc.ResponseMD
		reply, err := cs.Test.UnaryCall(grpc.WithResponseMD(ctx, &md), &testpb.SimpleRequest{
			ResponseType: testpb.PayloadType_COMPRESSABLE, ResponseSize: largeRespSize,
			Payload: zeros(largeReqSize), ResponseCompressed: boolValue(compressed),
		})
		if err != nil {
			return fmt.Errorf("compressed=%v: %w", compressed, err)
		}
		if md.RecvCompressed != compressed {
			return fmt.Errorf("response compressed=%v, want %v", md.RecvCompressed, compressed)
		}
		if err := checkPayload(reply.GetPayload(), largeRespSize); err != nil {
			return fmt.Errorf("compressed=%v: %w", compressed, err)
		}
	}
	return nil
}

func clientCompressedStreaming(ctx context.Context, cs *Clients) error {
	// The probe: an uncompressed message that says it is compressed.
	st, err := cs.Test.StreamingInputCall(ctx)
	if err != nil {
		return err
	}
	if err := st.Send(&testpb.StreamingInputCallRequest{Payload: zeros(27182), ExpectCompressed: boolValue(true)}); err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("probe: %w", err)
	}
	_, err = st.CloseAndRecv()
	if err := wantCode(err, codes.InvalidArgument, ""); err != nil {
		return fmt.Errorf("probe: %w", err)
	}
	st, err = cs.Test.StreamingInputCall(grpc.WithSendCompressor(ctx, grpc.Gzip))
	if err != nil {
		return err
	}
	if err := st.Send(&testpb.StreamingInputCallRequest{Payload: zeros(27182), ExpectCompressed: boolValue(true)}); err != nil {
		return err
	}
	if err := grpc.SetMessageCompression(st.Context(), false); err != nil {
		return err
	}
	if err := st.Send(&testpb.StreamingInputCallRequest{Payload: zeros(45904), ExpectCompressed: boolValue(false)}); err != nil {
		return err
	}
	reply, err := st.CloseAndRecv()
	if err != nil {
		return err
	}
	if reply.GetAggregatedPayloadSize() != 73086 {
		return fmt.Errorf("aggregated size %d, want 73086", reply.GetAggregatedPayloadSize())
	}
	return nil
}

func serverCompressedStreaming(ctx context.Context, cs *Clients) error {
	params := []struct {
		size       int
		compressed bool
	}{{31415, true}, {92653, false}}
	req := &testpb.StreamingOutputCallRequest{ResponseType: testpb.PayloadType_COMPRESSABLE}
	for _, p := range params {
		req.ResponseParameters = append(req.ResponseParameters, &testpb.ResponseParameters{Size: int32(p.size), Compressed: boolValue(p.compressed)})
	}
	st, err := cs.Test.StreamingOutputCall(ctx, req)
	if err != nil {
		return err
	}
	for i, p := range params {
		reply, err := st.Recv()
		if err != nil {
			return fmt.Errorf("response %d: %w", i, err)
		}
		if got := grpc.RecvCompressed(st.Context()); got != p.compressed {
			return fmt.Errorf("response %d compressed=%v, want %v", i, got, p.compressed)
		}
		if err := checkPayload(reply.GetPayload(), p.size); err != nil {
			return fmt.Errorf("response %d: %w", i, err)
		}
	}
	if _, err := st.Recv(); !errors.Is(err, io.EOF) {
		return fmt.Errorf("after the last response: %v, want io.EOF", err)
	}
	return nil
}
