package server

import (
	"context"
	"fmt"
	"maps"
	"net"
	"sync"
	"time"

	"github.com/ospreyrpc/osprey/discovery"
	"github.com/ospreyrpc/osprey/registry"
)

// Defaults for registration (WithRegistry).
const (
	// DefaultRegistryTimeout bounds one Register or Deregister call.
	DefaultRegistryTimeout = 5 * time.Second
	// maxRegisterBackoff is the longest wait between failed Register calls.
	maxRegisterBackoff = 10 * time.Second
)

// WithRegistry makes the server announce itself in r as an instance of
// service: when Serve is first called (its listener is already up), the
// server calls r.Register in the background, and Stop calls r.Deregister
// before anything drains, so clients stop choosing the server before its
// connections close. A failed Register is logged and tried again, with a
// backoff from 100 ms doubling to 10 s, until it succeeds or Stop; it never
// stops the server from serving. Each Register and Deregister call gets
// DefaultRegistryTimeout (5 s); Deregister gets it even if Stop's ctx has
// already ended, since an instance left registered keeps drawing calls.
//
// inst describes the instance; nil means a default one. Its Addr and
// Network, when Addr is empty, are the first listener's, with an
// unspecified host (":9090", "0.0.0.0", "::") replaced by the first
// non-loopback address of the machine. The server copies inst. Serving
// several listeners registers once. An instance is registered until Stop,
// even if Serve returned for another reason (its listener closed by
// someone else). See WithDeregisterWait for a pause between deregistering
// and draining.
func WithRegistry(r registry.Registry, service string, inst *discovery.Instance) Option {
	return optionFunc(func(o *options) error {
		if r == nil || service == "" {
			return fmt.Errorf("server: WithRegistry needs a registry and a service name")
		}
		o.registry = r
		o.regService = service
		if inst != nil {
			c := *inst
			c.Tags = maps.Clone(inst.Tags)
			o.regInstance = &c
		}
		return o.once("WithRegistry")
	})
}

// WithDeregisterWait makes Stop wait for d (or until its ctx ends) after
// deregistering and before draining, for clients to see the instance go
// away before its connections close. gRPC clients learn it from GOAWAY
// anyway; for Thrift, a request sent on a connection the server closes as
// idle would be lost, so give the registry's watchers time to react.
// Default 0. It needs WithRegistry.
func WithDeregisterWait(d time.Duration) Option {
	return optionFunc(func(o *options) error {
		if d < 0 {
			return fmt.Errorf("server: WithDeregisterWait(%v): negative", d)
		}
		o.deregisterWait = d
		return o.once("WithDeregisterWait")
	})
}

// registration registers the server's instance once it serves and
// deregisters it when it stops.
type registration struct {
	s *Server

	mu      sync.Mutex
	started bool
	ended   bool // deregister has begun: never register again
	inst    *discovery.Instance
	cancel  context.CancelFunc
	done    chan struct{} // closed when the registering goroutine returns
	stopped chan struct{} // closed when deregister has finished
}

func newRegistration(s *Server) *registration {
	if s.opts.registry == nil {
		return nil
	}
	return &registration{s: s, stopped: make(chan struct{})}
}

// start registers the instance serving on ln, in the background, the
// first time it is called.
func (r *registration) start(ln net.Listener) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.started || r.ended {
		return
	}
	r.started = true
	r.inst = advertised(r.s.opts.regInstance, ln.Addr())
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	r.done = make(chan struct{})
	go r.register(ctx)
}

// register calls Register until it succeeds or ctx ends.
func (r *registration) register(ctx context.Context) {
	defer close(r.done)
	o := &r.s.opts
	delay := 100 * time.Millisecond
	for {
		rctx, cancel := context.WithTimeout(ctx, DefaultRegistryTimeout)
		err := o.registry.Register(rctx, o.regService, r.inst)
		cancel()
		if err == nil {
			o.logger.Info("osprey: registered", "service", o.regService, "instance", r.inst.String())
			return
		}
		if ctx.Err() != nil {
			return
		}
		o.logger.Warn("osprey: register failed; retrying", "service", o.regService, "instance", r.inst.String(), "err", err, "in", delay)
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		delay = min(2*delay, maxRegisterBackoff)
	}
}

// deregister stops registering, removes the instance from the registry if
// registering began, and waits WithDeregisterWait or until ctx ends.
// Concurrent calls wait for the first.
func (r *registration) deregister(ctx context.Context) {
	if r == nil {
		return
	}
	r.mu.Lock()
	if r.ended {
		r.mu.Unlock()
		select {
		case <-r.stopped:
		case <-ctx.Done():
		}
		return
	}
	r.ended = true
	started := r.started
	r.mu.Unlock()
	defer close(r.stopped)
	if !started {
		return
	}
	r.cancel()
	<-r.done
	o := &r.s.opts
	// A Register that timed out may still have been written: deregister
	// whenever registering began.
	dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), DefaultRegistryTimeout)
	err := o.registry.Deregister(dctx, o.regService, r.inst)
	cancel()
	if err != nil {
		o.logger.Warn("osprey: deregister failed", "service", o.regService, "instance", r.inst.String(), "err", err)
	}
	if o.deregisterWait > 0 {
		t := time.NewTimer(o.deregisterWait)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
		}
	}
}

// advertised returns the instance to register for a listener at addr: a
// copy of tmpl with the listener's address when tmpl has none.
func advertised(tmpl *discovery.Instance, addr net.Addr) *discovery.Instance {
	inst := &discovery.Instance{}
	if tmpl != nil {
		*inst = *tmpl
	}
	if inst.Addr != "" {
		if inst.Network == "" {
			inst.Network = "tcp"
		}
		return inst
	}
	switch a := addr.(type) {
	case *net.TCPAddr:
		ip := a.IP
		if ip == nil || ip.IsUnspecified() {
			ip = hostIP()
		}
		inst.Network, inst.Addr = "tcp", net.JoinHostPort(ip.String(), fmt.Sprint(a.Port))
	case *net.UnixAddr:
		inst.Network, inst.Addr = "unix", a.Name
	default:
		inst.Network, inst.Addr = addr.Network(), addr.String()
	}
	return inst
}

// hostIP returns the machine's first non-loopback unicast address, IPv4
// first, or 127.0.0.1 if it has none.
func hostIP() net.IP {
	addrs, _ := net.InterfaceAddrs()
	var v6 net.IP
	for _, a := range addrs {
		n, ok := a.(*net.IPNet)
		if !ok || !n.IP.IsGlobalUnicast() {
			continue
		}
		if ip4 := n.IP.To4(); ip4 != nil {
			return ip4
		}
		if v6 == nil {
			v6 = n.IP
		}
	}
	if v6 != nil {
		return v6
	}
	return net.IPv4(127, 0, 0, 1)
}
