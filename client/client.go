package client

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/endpoint"
	"github.com/ospreyrpc/osprey/metainfo"
	"github.com/ospreyrpc/osprey/rpcinfo"
	"github.com/ospreyrpc/osprey/service"
	"github.com/ospreyrpc/osprey/status"
)

// errClosed is returned by calls on a closed Client.
var errClosed = status.New(codes.Canceled, "client: closed").WithNotSent()

// Client calls one service at one target. Create it with New; ForService
// gives clients of other services that share its target and connections.
type Client struct {
	desc   *service.Desc
	t      *target
	ep     endpoint.Endpoint
	sep    endpoint.StreamEndpoint
	closed atomic.Bool

	policies atomic.Pointer[policyTable] // policy.go
	policyMu sync.Mutex                  // serializes SetPolicy
}

// New returns a client for the service desc at target, which is
//
//   - "host:port" for one TCP address, or several separated by commas;
//   - "unix:/path" (also "unix:///path") for a Unix domain socket;
//   - "dns:///host:port" for the addresses a DNS name resolves to (A and
//     AAAA), looked up again every discovery.DefaultDNSInterval;
//   - "dns:///_service._proto.domain" for the instances of a DNS SRV name
//     (targets, ports and weights of its best priority), looked up again
//     as often;
//   - "scheme://..." for a resolver given with WithResolverBuilder, such
//     as "etcd://host:port/service" with contrib/etcd's builders.
//
// docs/spec/targets.md has the whole grammar. New returns an error naming
// the problem for a malformed target, and for a bad or repeated option. It does not connect until the first call.
func New(target string, desc *service.Desc, opts ...Option) (*Client, error) {
	if desc == nil || desc.Name == "" {
		return nil, fmt.Errorf("client: New with an empty service description")
	}
	o := defaultOptions()
	for _, opt := range opts {
		if opt == nil {
			return nil, fmt.Errorf("client: nil Option")
		}
		if err := opt.apply(&o); err != nil {
			return nil, err
		}
	}
	if desc.Protobuf {
		o.grpc = true
	}
	if err := o.validate(); err != nil {
		return nil, err
	}
	t, err := newTarget(target, o)
	if err != nil {
		return nil, err
	}
	if o.warmConns > 0 {
		t.warmUp()
	}
	return t.stub(desc), nil
}

// ForService returns a client for the service desc that shares c's target:
// its instances, connections and options. Each client ForService returns
// must be closed too; the connections close with the last one.
func (c *Client) ForService(desc *service.Desc) *Client {
	c.t.refs.Add(1)
	return c.t.stub(desc)
}

// Call calls method m of the client's service. call.Args and call.Result
// are the method's request and response values, such as pointers to the
// generated argument and result structs; call.Result is ignored for a
// oneway method. call.Info, if not nil, is where the call's rpcinfo lives.
// Call returns a declared exception as its own type, and every other error
// as a *status.Error.
func (c *Client) Call(ctx context.Context, m *service.Method, call service.Call) error {
	if c.closed.Load() {
		return errClosed
	}
	now := time.Now()
	timeout := c.t.opts.callTimeout
	if d := c.policies.Load().lookup(m.Name).Timeout; d > 0 {
		timeout = d
	}
	deadline := now.Add(timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	h := call.Info
	if h == nil {
		h = new(rpcinfo.Holder)
	}
	ctx, ri := c.beginInfo(ctx, h, m, now)
	ri.Oneway, ri.Deadline = m.Oneway, deadline
	return c.ep(ctx, call.Args, call.Result)
}

// Close closes the client. Calls in progress finish; later calls fail.
// The target's connections close when every client sharing them is closed.
func (c *Client) Close() error {
	if c.closed.Swap(true) {
		return nil
	}
	c.policyMu.Lock()
	c.policies.Load().close()
	c.policyMu.Unlock()
	c.t.release()
	return nil
}

// Stream opens a streaming call of method m (a method whose Kind is not
// service.Unary) and returns its stream once the stream middleware
// (WithStreamMiddleware) has run: Send, Recv and CloseSend on it; Recv
// returns io.EOF after the last message, and the call's error otherwise.
// The call's deadline is ctx's (the call timeout of WithCallTimeout does
// not apply to streams, which may last long); when ctx ends the stream is
// reset (RST_STREAM(CANCEL)). Streaming calls need the gRPC transport. A
// caller that stops before Recv has returned an error must cancel ctx, or
// the stream stays open.
func (c *Client) Stream(ctx context.Context, m *service.Method) (endpoint.Stream, error) {
	if c.closed.Load() {
		return nil, errClosed
	}
	if !c.t.opts.grpc {
		return nil, status.Errorf(codes.Unimplemented, "client: %s.%s: streaming calls need the gRPC transport", c.desc.Name, m.Name).WithNotSent()
	}
	ctx, ri := c.beginInfo(ctx, new(rpcinfo.Holder), m, time.Now())
	if d, ok := ctx.Deadline(); ok {
		ri.Deadline = d
	}
	call := &endpoint.StreamCall{}
	if err := c.sep(ctx, call); err != nil {
		return nil, err
	}
	if call.Stream == nil {
		return nil, status.New(codes.Internal, "client: stream middleware returned no stream").WithNotSent()
	}
	return call.Stream, nil
}

// beginInfo starts the Info of a call of m made at now, in h: the fields
// every call has, with the caller's metadata and, for a call made from a
// handler, the handler's method and log id.
func (c *Client) beginInfo(ctx context.Context, h *rpcinfo.Holder, m *service.Method, now time.Time) (context.Context, *rpcinfo.Info) {
	md := metainfo.FromContext(ctx)
	up := rpcinfo.FromContext(ctx) // the handler this call is made from, if any
	ctx, ri := h.Init(ctx)
	ri.Role, ri.Service, ri.Method = rpcinfo.Client, c.desc.Name, m.Name
	ri.Protocol, ri.Start, ri.Attempt = c.t.proto, now, 1
	ri.CallerService, ri.CalleeService = c.t.opts.callerName, c.t.opts.calleeName
	ri.Metadata = md.ForCall()
	if up != nil && up.Role == rpcinfo.Server {
		ri.CallerMethod, ri.LogID = up.Method, up.LogID
		if ri.CallerService == "" {
			ri.CallerService = up.Service
		}
	}
	return ctx, ri
}
