package client

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/discovery"
	"github.com/ospreyrpc/osprey/endpoint"
	"github.com/ospreyrpc/osprey/loadbalance"
	"github.com/ospreyrpc/osprey/rpcinfo"
	"github.com/ospreyrpc/osprey/service"
	"github.com/ospreyrpc/osprey/status"
)

// target is what clients of one New share: the resolver's instances, a
// node with a transport (a connection pool) per instance, and the picker
// over them.
type target struct {
	name  string // as given to New
	opts  options
	proto string // rpcinfo.Info.Protocol

	state  atomic.Pointer[targetState]
	ready  chan struct{} // closed at the first resolver update
	cancel context.CancelFunc
	refs   atomic.Int32
	cw     *cancelWatch

	mu       sync.Mutex
	nodes    map[string]*loadbalance.Node // by Instance.String()
	balancer loadbalance.Balancer         // SetBalancer changes it
	closed   bool

	// gRPC
	paths          paths
	acceptEncoding string // grpc-accept-encoding, "" without compressors
}

// targetState is one resolver update's nodes and the picker built on them.
type targetState struct {
	nodes  []*loadbalance.Node
	picker loadbalance.Picker // nil when there are no nodes
}

// transport is a node's way of making calls: a ping-pong connection pool,
// a multiplexed one, or HTTP/2 connections for gRPC.
type transport interface {
	call(ctx context.Context, t *target, a attempt) error
	// warm opens up to n connections before any call (WithWarmUp).
	warm(ctx context.Context, now, deadline time.Time, n int)
	close()
}

func newTarget(name string, o options) (*target, error) {
	r, err := resolverFor(name, &o)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	t := &target{
		name: name, opts: o, proto: o.protocolName(),
		ready: make(chan struct{}), cancel: cancel,
		nodes: map[string]*loadbalance.Node{}, balancer: o.balancer,
		cw: newCancelWatch(),
	}
	t.refs.Store(1)
	for i, c := range o.compressors {
		if i > 0 {
			t.acceptEncoding += ","
		}
		t.acceptEncoding += c.Name()
	}
	var once sync.Once
	if err := r.Watch(ctx, func(insts []*discovery.Instance) {
		t.update(insts)
		once.Do(func() { close(t.ready) })
	}); err != nil {
		cancel()
		t.cw.stop()
		return nil, fmt.Errorf("client: target %q: %w", name, err)
	}
	return t, nil
}

// resolverFor returns the resolver for a target string; the grammar is
// docs/spec/targets.md's. Every error names the target and what is wrong
// with it.
func resolverFor(name string, o *options) (discovery.Resolver, error) {
	if o.resolver != nil {
		return o.resolver, nil
	}
	bad := func(format string, args ...any) error {
		return fmt.Errorf("client: target %q: %s", name, fmt.Sprintf(format, args...))
	}
	if strings.TrimSpace(name) == "" {
		return nil, bad("empty target: want host:port, a comma-separated list of them, unix:/path or scheme://host/name")
	}
	if rest, ok := strings.CutPrefix(name, "unix:"); ok {
		rest = strings.TrimPrefix(rest, "//")
		if rest == "" {
			return nil, bad("empty socket path")
		}
		return discovery.Static{{Network: "unix", Addr: rest}}, nil
	}
	if scheme, _, ok := strings.Cut(name, "://"); ok {
		if scheme == "" {
			return nil, bad("empty scheme before ://")
		}
		u, err := url.Parse(name)
		if err != nil {
			return nil, bad("%v", err)
		}
		if b := o.builders[scheme]; b != nil {
			return b.Build(u)
		}
		if scheme == "dns" {
			return dnsResolver(u, bad)
		}
		return nil, bad("no resolver for scheme %q: give one with WithResolverBuilder", scheme)
	}
	var list discovery.Static
	for item := range strings.SplitSeq(name, ",") {
		addr := strings.TrimSpace(item)
		if err := checkHostPort(addr); err != nil {
			return nil, bad("address %q: %v (want host:port, or a comma-separated list of them)", addr, err)
		}
		list = append(list, discovery.TCP(addr))
	}
	return list, nil
}

// dnsResolver returns the resolver of a "dns:///host:port" or
// "dns:///_service._proto.domain" target.
func dnsResolver(u *url.URL, bad func(string, ...any) error) (discovery.Resolver, error) {
	if u.Host != "" {
		return nil, bad("a DNS server (%q) in a dns target is not supported: want dns:///host:port", u.Host)
	}
	name := strings.TrimPrefix(u.Path, "/")
	switch {
	case name == "":
		return nil, bad("no name after dns:///: want dns:///host:port or dns:///_service._proto.domain")
	case strings.HasPrefix(name, "_"):
		r, err := discovery.NewSRV(name)
		if err != nil {
			return nil, bad("%v", err)
		}
		return r, nil
	}
	if err := checkHostPort(name); err != nil {
		return nil, bad("%q: %v (want dns:///host:port or dns:///_service._proto.domain)", name, err)
	}
	d, err := discovery.NewDNS(name)
	if err != nil {
		return nil, bad("%v", err)
	}
	return d, nil
}

// checkHostPort says what is wrong with addr as "host:port", or nil.
func checkHostPort(addr string) error {
	if addr == "" {
		return errors.New("empty address")
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		if !strings.Contains(addr, ":") {
			return errors.New("no port")
		}
		return err
	}
	if host == "" {
		return errors.New("no host")
	}
	if port == "" {
		return errors.New("no port")
	}
	if p, err := strconv.Atoi(port); err != nil || p < 1 || p > 65535 {
		return fmt.Errorf("port %q is not a number from 1 to 65535", port)
	}
	return nil
}

// update installs a new set of instances. Nodes of instances that stay keep
// their connections; the transports of instances that went away close,
// letting their calls in flight finish.
func (t *target) update(insts []*discovery.Instance) {
	t.mu.Lock()
	if t.closed {
		t.mu.Unlock()
		return
	}
	old := t.nodes
	t.nodes = make(map[string]*loadbalance.Node, len(insts))
	nodes := make([]*loadbalance.Node, 0, len(insts))
	for _, inst := range insts {
		key := inst.String()
		if _, dup := t.nodes[key]; dup {
			continue
		}
		n := old[key]
		switch {
		case n == nil:
			n = loadbalance.NewNode(inst, t.newTransport(inst))
		case n.Instance != inst:
			// Same address, new weight or tags: the node keeps its
			// connections, load, health and warm-up.
			n = n.WithInstance(inst)
		}
		delete(old, key)
		t.nodes[key] = n
		nodes = append(nodes, n)
	}
	st := &targetState{nodes: nodes}
	if len(nodes) > 0 {
		st.picker = t.balancer.Build(nodes)
	}
	t.state.Store(st)
	t.mu.Unlock()
	for _, n := range old {
		n.Transport.(transport).close()
	}
}

// SetBalancer replaces how the client picks instances, while it is in
// use: the current instances get a picker from b at once (keeping their
// connections, load and health record); attempts already picked are not
// affected. It applies to every client sharing the target (ForService).
func (c *Client) SetBalancer(b loadbalance.Balancer) error {
	if b == nil {
		return fmt.Errorf("client: SetBalancer(nil)")
	}
	t := c.t
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return errClosed
	}
	t.balancer = b
	if st := t.state.Load(); st != nil && len(st.nodes) > 0 {
		t.state.Store(&targetState{nodes: st.nodes, picker: b.Build(st.nodes)})
	}
	return nil
}

func (t *target) newTransport(inst *discovery.Instance) transport {
	if t.opts.grpc {
		return newGRPCPool(inst, t)
	}
	if t.opts.muxConns > 0 {
		return newMuxPool(inst, t)
	}
	return newPool(inst, &t.opts, t.cw)
}

// stub returns a client of desc on t.
func (t *target) stub(desc *service.Desc) *Client {
	c := &Client{desc: desc, t: t}
	c.ep = endpoint.Chain(t.opts.middleware...)(c.invoke)
	c.policies.Store(newPolicyTable(t.opts.policy, t.opts.methodPolicies))
	c.sep = endpoint.ChainStream(t.opts.streamMW...)(t.openStream)
	return c
}

// release drops a client's reference, closing the target with the last.
func (t *target) release() {
	if t.refs.Add(-1) > 0 {
		return
	}
	t.cancel()
	t.mu.Lock()
	t.closed = true
	nodes := t.nodes
	t.nodes = nil
	t.mu.Unlock()
	for _, n := range nodes {
		n.Transport.(transport).close()
	}
	t.cw.stop()
}

// pick returns the node for an attempt, waiting for the resolver's first
// answer if it has not come yet.
func (t *target) pick(ctx context.Context, ri *rpcinfo.Info) (*loadbalance.Node, error) {
	st := t.state.Load()
	if st == nil {
		timer := time.NewTimer(time.Until(ri.Deadline))
		defer timer.Stop()
		select {
		case <-t.ready:
			st = t.state.Load()
		case <-ctx.Done():
			return nil, contextError(ctx, ctx.Err())
		case <-timer.C:
			return nil, status.Errorf(codes.DeadlineExceeded, "client: target %s not resolved before the deadline", t.name).WithNotSent()
		}
	}
	if st == nil || st.picker == nil {
		return nil, status.Errorf(codes.Unavailable, "client: target %s has no instances", t.name).WithNotSent()
	}
	return st.picker.Pick(ctx, ri)
}
