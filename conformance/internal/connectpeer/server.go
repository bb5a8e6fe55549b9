package connectpeer

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"connectrpc.com/connect"
	testpb "google.golang.org/grpc/interop/grpc_testing"
)

// Procedures of grpc.testing.TestService.
const (
	emptyCall      = "/grpc.testing.TestService/EmptyCall"
	unaryCall      = "/grpc.testing.TestService/UnaryCall"
	fullDuplexCall = "/grpc.testing.TestService/FullDuplexCall"
)

// unimplemented answers a gRPC call of any other method with a
// trailers-only UNIMPLEMENTED response (connect-go's mux would answer
// HTTP 404, which gRPC clients also read as UNIMPLEMENTED).
func unimplemented(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/grpc")
	w.Header().Set("Grpc-Status", strconv.Itoa(int(connect.CodeUnimplemented)))
	w.Header().Set("Grpc-Message", "unknown method "+url.PathEscape(r.URL.Path))
	w.WriteHeader(http.StatusOK)
}

// Metadata the server echoes (the descriptions' Echo Metadata feature).
const (
	echoInitial  = "X-Grpc-Test-Echo-Initial"
	echoTrailing = "X-Grpc-Test-Echo-Trailing-Bin"
)

// NewServer returns an HTTP server (HTTP/2, and HTTP/2 without TLS when
// tlsConfig is nil) serving EmptyCall, UnaryCall and FullDuplexCall of
// grpc.testing.TestService with connect-go handlers. It implements the
// descriptions' server features for them: response sizes, COMPRESSABLE
// payloads (other types fail with InvalidArgument), Echo Status and Echo
// Metadata. Other paths answer UNIMPLEMENTED.
func NewServer(tlsConfig *tls.Config) *http.Server {
	mux := http.NewServeMux()
	mux.Handle(emptyCall, connect.NewUnaryHandler(emptyCall, func(context.Context, *connect.Request[testpb.Empty]) (*connect.Response[testpb.Empty], error) {
		return connect.NewResponse(&testpb.Empty{}), nil
	}))
	mux.Handle(unaryCall, connect.NewUnaryHandler(unaryCall, unary))
	mux.Handle(fullDuplexCall, connect.NewBidiStreamHandler(fullDuplexCall, fullDuplex))
	mux.HandleFunc("/", unimplemented)
	var protocols http.Protocols
	protocols.SetHTTP2(true)
	protocols.SetUnencryptedHTTP2(tlsConfig == nil)
	return &http.Server{Handler: mux, TLSConfig: tlsConfig, Protocols: &protocols, ReadHeaderTimeout: 10 * time.Second}
}

func unary(_ context.Context, req *connect.Request[testpb.SimpleRequest]) (*connect.Response[testpb.SimpleResponse], error) {
	if err := statusError(req.Msg.GetResponseStatus()); err != nil {
		return nil, err
	}
	p, err := payload(req.Msg.GetResponseType(), int(req.Msg.GetResponseSize()))
	if err != nil {
		return nil, err
	}
	resp := connect.NewResponse(&testpb.SimpleResponse{Payload: p})
	echoMetadata(req.Header(), resp.Header(), resp.Trailer())
	return resp, nil
}

func fullDuplex(_ context.Context, stream *connect.BidiStream[testpb.StreamingOutputCallRequest, testpb.StreamingOutputCallResponse]) error {
	echoMetadata(stream.RequestHeader(), stream.ResponseHeader(), stream.ResponseTrailer())
	for {
		req, err := stream.Receive()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := statusError(req.GetResponseStatus()); err != nil {
			return err
		}
		for _, rp := range req.GetResponseParameters() {
			p, err := payload(req.GetResponseType(), int(rp.GetSize()))
			if err != nil {
				return err
			}
			if err := stream.Send(&testpb.StreamingOutputCallResponse{Payload: p}); err != nil {
				return err
			}
		}
	}
}

// echoMetadata copies the echo headers of a request to the response's
// header and trailer.
func echoMetadata(req, header, trailer http.Header) {
	if v := req.Values(echoInitial); len(v) > 0 {
		header.Set(echoInitial, v[0])
	}
	if v := req.Values(echoTrailing); len(v) > 0 {
		trailer.Set(echoTrailing, v[0])
	}
}

// statusError returns the error a response_status asks for, or nil.
func statusError(s *testpb.EchoStatus) error {
	if s.GetCode() == 0 {
		return nil
	}
	return connect.NewError(connect.Code(s.GetCode()), errors.New(s.GetMessage()))
}

// payload returns a payload of size zero bytes of type t.
func payload(t testpb.PayloadType, size int) (*testpb.Payload, error) {
	if t != testpb.PayloadType_COMPRESSABLE {
		return nil, connect.NewError(connect.CodeInvalidArgument, errors.New("unsupported payload type"))
	}
	if size < 0 {
		return nil, connect.NewError(connect.CodeInvalidArgument, errors.New("negative response size"))
	}
	return &testpb.Payload{Type: t, Body: make([]byte, size)}, nil
}
