package client

import (
	"context"
	"fmt"
	"net"
	"strings"
	"sync/atomic"
	"time"

	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/endpoint"
	"github.com/ospreyrpc/osprey/rpcinfo"
	"github.com/ospreyrpc/osprey/service"
	"github.com/ospreyrpc/osprey/status"
)

// errClosed is returned by calls on a closed Client.
var errClosed = status.New(codes.Canceled, "client: closed")

// Client calls one service at one target. Create it with New.
type Client struct {
	desc   *service.Desc
	opts   options
	proto  string // rpcinfo.Info.Protocol
	pool   *pool
	ep     endpoint.Endpoint
	closed atomic.Bool
}

// New returns a client for the service desc at target: "host:port" for
// TCP, or "unix:/path" (also "unix:///path") for a Unix domain socket. It
// returns an error for a malformed target and for a bad or repeated option;
// it does not connect until the first call.
func New(target string, desc *service.Desc, opts ...Option) (*Client, error) {
	if desc == nil || desc.Name == "" {
		return nil, fmt.Errorf("client: New with an empty service description")
	}
	network, addr, err := parseTarget(target)
	if err != nil {
		return nil, err
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
	c := &Client{
		desc:  desc,
		opts:  o,
		proto: "thrift/" + o.encoding.String() + "/" + o.framing.String(),
	}
	c.pool = newPool(network, addr, &c.opts)
	c.ep = endpoint.Chain(o.middleware...)(c.send)
	return c, nil
}

// parseTarget splits a target into a network and an address.
func parseTarget(target string) (network, addr string, err error) {
	if rest, ok := strings.CutPrefix(target, "unix:"); ok {
		rest = strings.TrimPrefix(rest, "//")
		if rest == "" {
			return "", "", fmt.Errorf("client: target %q: empty socket path", target)
		}
		return "unix", rest, nil
	}
	host, port, err := net.SplitHostPort(target)
	if err != nil || port == "" {
		return "", "", fmt.Errorf("client: target %q: want host:port or unix:/path", target)
	}
	return "tcp", net.JoinHostPort(host, port), nil
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
	deadline := now.Add(c.opts.callTimeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	h := call.Info
	if h == nil {
		h = new(rpcinfo.Holder)
	}
	ctx, ri := h.Init(ctx)
	ri.Role, ri.Service, ri.Method, ri.Oneway = rpcinfo.Client, c.desc.Name, m.Name, m.Oneway
	ri.Protocol, ri.Deadline, ri.Start = c.proto, deadline, now
	return c.ep(ctx, call.Args, call.Result)
}

// Close closes the client's connections. Calls in progress finish; later
// calls fail.
func (c *Client) Close() error {
	if c.closed.Swap(true) {
		return nil
	}
	c.pool.close()
	return nil
}
