package connectpeer

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"

	"connectrpc.com/connect"
	testpb "google.golang.org/grpc/interop/grpc_testing"
)

// Client is a connect-go client of grpc.testing.TestService speaking the
// gRPC protocol.
type Client struct {
	empty  *connect.Client[testpb.Empty, testpb.Empty]
	unary  *connect.Client[testpb.SimpleRequest, testpb.SimpleResponse]
	duplex *connect.Client[testpb.StreamingOutputCallRequest, testpb.StreamingOutputCallResponse]
	http   *http.Client
}

// NewClient returns a client of the server at addr (host:port), over TLS
// when tlsConfig is not nil, else over HTTP/2 without TLS. authority, when
// not empty, is the host the requests name instead of addr's (the
// connection still goes to addr).
func NewClient(addr string, tlsConfig *tls.Config, authority string) *Client {
	var protocols http.Protocols
	scheme := "http://"
	if tlsConfig != nil {
		protocols.SetHTTP2(true)
		scheme = "https://"
	} else {
		protocols.SetUnencryptedHTTP2(true)
	}
	dialer := &net.Dialer{}
	transport := &http.Transport{
		Protocols:       &protocols,
		TLSClientConfig: tlsConfig,
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return dialer.DialContext(ctx, network, addr)
		},
	}
	host := addr
	if authority != "" {
		host = authority
	}
	hc := &http.Client{Transport: transport}
	base := scheme + host
	return &Client{
		empty:  connect.NewClient[testpb.Empty, testpb.Empty](hc, base+emptyCall, connect.WithGRPC()),
		unary:  connect.NewClient[testpb.SimpleRequest, testpb.SimpleResponse](hc, base+unaryCall, connect.WithGRPC()),
		duplex: connect.NewClient[testpb.StreamingOutputCallRequest, testpb.StreamingOutputCallResponse](hc, base+fullDuplexCall, connect.WithGRPC()),
		http:   hc,
	}
}

// Close closes the client's idle connections.
func (c *Client) Close() { c.http.CloseIdleConnections() }

// cases are the test cases Run knows.
var cases = map[string]func(*Client, context.Context) error{
	"empty_unary": (*Client).emptyUnary,
	"large_unary": (*Client).largeUnary,
	"ping_pong":   (*Client).pingPong,
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

// Run runs the test case called name.
func (c *Client) Run(ctx context.Context, name string) error {
	tc, ok := cases[name]
	if !ok {
		return fmt.Errorf("unknown test case %q; known: %s", name, strings.Join(TestCases(), ", "))
	}
	return tc(c, ctx)
}

// emptyUnary: EmptyCall with an empty message returns an empty message.
func (c *Client) emptyUnary(ctx context.Context) error {
	resp, err := c.empty.CallUnary(ctx, connect.NewRequest(&testpb.Empty{}))
	if err != nil {
		return err
	}
	if resp.Msg == nil {
		return errors.New("no response message")
	}
	return nil
}

// largeUnary: UnaryCall with 271828 zero bytes asking for 314159 returns a
// COMPRESSABLE payload of 314159 zero bytes.
func (c *Client) largeUnary(ctx context.Context) error {
	resp, err := c.unary.CallUnary(ctx, connect.NewRequest(&testpb.SimpleRequest{
		ResponseType: testpb.PayloadType_COMPRESSABLE,
		ResponseSize: 314159,
		Payload:      zeros(271828),
	}))
	if err != nil {
		return err
	}
	return checkPayload(resp.Msg.GetPayload(), 314159)
}

// pingPong: FullDuplexCall, four requests each answered before the next is
// sent, with the descriptions' sizes; then the client half-closes and the
// call ends with OK and no more responses.
func (c *Client) pingPong(ctx context.Context) error {
	requestSizes := []int{27182, 8, 1828, 45904}
	responseSizes := []int{31415, 9, 2653, 58979}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream := c.duplex.CallBidiStream(ctx)
	for i := range requestSizes {
		if err := stream.Send(&testpb.StreamingOutputCallRequest{
			ResponseType:       testpb.PayloadType_COMPRESSABLE,
			ResponseParameters: []*testpb.ResponseParameters{{Size: int32(responseSizes[i])}},
			Payload:            zeros(requestSizes[i]),
		}); err != nil {
			_, err = stream.Receive() // the stream's error, if it ended
			return fmt.Errorf("send %d: %v", i+1, err)
		}
		resp, err := stream.Receive()
		if err != nil {
			return fmt.Errorf("response %d: %v", i+1, err)
		}
		if err := checkPayload(resp.GetPayload(), responseSizes[i]); err != nil {
			return fmt.Errorf("response %d: %v", i+1, err)
		}
	}
	if err := stream.CloseRequest(); err != nil {
		return fmt.Errorf("half-close: %v", err)
	}
	if resp, err := stream.Receive(); !errors.Is(err, io.EOF) {
		return fmt.Errorf("after four responses: got %v, %v, want the end of the stream", resp, err)
	}
	return stream.CloseResponse()
}

// zeros returns a COMPRESSABLE payload of n zero bytes.
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
	if slices.ContainsFunc(p.GetBody(), func(b byte) bool { return b != 0 }) {
		return errors.New("payload body is not all zeros")
	}
	return nil
}
