package server

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ospreyrpc/osprey/endpoint"
	"github.com/ospreyrpc/osprey/limit"
	"github.com/ospreyrpc/osprey/service"
)

// ErrStopped is returned by Serve once Stop has been called.
var ErrStopped = errors.New("server: stopped")

// Server serves registered services on any number of listeners. Create it
// with New. Its methods are safe for concurrent use.
type Server struct {
	opts    options
	baseCtx context.Context
	cancel  context.CancelFunc

	mu        sync.Mutex
	methods   methodTable
	descs     []*service.Desc // registered, in order
	serving   bool            // Serve was called; Register is closed
	stopping  bool
	listeners map[net.Listener]struct{}
	conns     map[*conn]struct{}
	connWG    sync.WaitGroup
	sweeping  bool
	sweepStop chan struct{}
	sweepDone chan struct{}
	stopped   chan struct{}
	stopErr   error

	reg *registration // nil without WithRegistry

	// limiter applies the server's limits (WithLimits, SetLimits); nil: none.
	limiter atomic.Pointer[limit.Limiter]

	draining atomic.Bool
	// pendingReplies counts replies finished through the poller because the
	// socket could not take them at once.
	pendingReplies atomic.Int64

	// clock is a coarse UnixNano the sweeper advances every tick: what
	// connections stamp their state changes with, cheaper than time.Now.
	clock atomic.Int64
}

// New returns a Server configured by opts. It returns an error for a bad or
// repeated option.
func New(opts ...Option) (*Server, error) {
	o := defaultOptions()
	for _, opt := range opts {
		if opt == nil {
			return nil, fmt.Errorf("server: nil Option")
		}
		if err := opt.apply(&o); err != nil {
			return nil, err
		}
	}
	if err := o.grpc.finish(); err != nil {
		return nil, err
	}
	if o.deregisterWait > 0 && o.registry == nil {
		return nil, fmt.Errorf("server: WithDeregisterWait without WithRegistry")
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{
		opts:      o,
		baseCtx:   ctx,
		cancel:    cancel,
		methods:   newMethodTable(),
		listeners: map[net.Listener]struct{}{},
		conns:     map[*conn]struct{}{},
		sweepStop: make(chan struct{}),
		sweepDone: make(chan struct{}),
		stopped:   make(chan struct{}),
	}
	s.reg = newRegistration(s)
	l, err := newLimiter(o.limits)
	if err != nil {
		return nil, fmt.Errorf("server: WithLimits: %w", err)
	}
	s.limiter.Store(l)
	return s, nil
}

// Register adds the service desc, implemented by impl, which must be of the
// type the generated code for desc expects. A service registered once is
// reachable over every protocol the server speaks that can carry its
// methods. Methods are found by service and method name, so two services
// may both have a method of the same name; protocols that carry only the
// method name (plain Thrift) reach it as long as one service has it, and
// always as "Service:method" (Thrift's multiplexed names). Register must be
// called before Serve.
func (s *Server) Register(desc *service.Desc, impl any) error {
	if desc == nil || impl == nil {
		return fmt.Errorf("server: Register with nil service description or implementation")
	}
	if err := validateDesc(desc); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.serving || s.stopping {
		return fmt.Errorf("server: Register(%s) after Serve", desc.Name)
	}
	if _, ok := s.methods.services[desc.Name]; ok {
		return fmt.Errorf("server: service %s registered twice", desc.Name)
	}
	mw := endpoint.Chain(s.opts.middleware...)
	ms := make([]*method, 0, len(desc.Methods))
	for i := range desc.Methods {
		md := &desc.Methods[i]
		m := &method{name: md.Name, service: desc.Name, desc: md}
		if p, ok := s.opts.methodLimits[methodKey{desc.Name, md.Name}]; ok {
			l, err := newLimiter(p)
			if err != nil {
				return fmt.Errorf("server: WithMethodLimits(%s, %s): %w", desc.Name, md.Name, err)
			}
			m.limiter.Store(l)
		}
		if md.Kind == service.Unary {
			m.ep = mw(s.handlerEndpoint(md, impl))
		} else {
			m.sep = endpoint.ChainStream(s.opts.streamMiddleware...)(s.streamEndpoint(md, impl))
		}
		ms = append(ms, m)
	}
	s.methods.add(desc.Name, ms)
	s.descs = append(s.descs, desc)
	return nil
}

// Services returns the descriptions of the registered services, in the
// order registered, as server reflection lists them. The slice is new; the
// descriptions are the ones given to Register, read-only.
func (s *Server) Services() []*service.Desc {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*service.Desc(nil), s.descs...)
}

// Serve accepts connections on ln and serves them until Stop is called, and
// then returns ErrStopped. It may be called for several listeners at once.
// Serve closes ln when it returns. Other errors are ln's: a listener closed
// by someone else, for example.
func (s *Server) Serve(ln net.Listener) error {
	s.mu.Lock()
	if s.stopping {
		s.mu.Unlock()
		ln.Close()
		return ErrStopped
	}
	if len(s.methods.services) == 0 {
		s.mu.Unlock()
		ln.Close()
		return fmt.Errorf("server: Serve with no services registered")
	}
	if err := s.checkMethodLimits(); err != nil {
		s.mu.Unlock()
		ln.Close()
		return err
	}
	s.serving = true
	s.listeners[ln] = struct{}{}
	if !s.sweeping {
		s.sweeping = true
		s.clock.Store(time.Now().UnixNano())
		go s.sweep()
	}
	s.mu.Unlock()
	s.reg.start(ln)
	defer func() {
		s.mu.Lock()
		delete(s.listeners, ln)
		s.mu.Unlock()
		ln.Close()
	}()

	var delay time.Duration
	for {
		nc, err := ln.Accept()
		if err != nil {
			if s.draining.Load() {
				return ErrStopped
			}
			if errors.Is(err, net.ErrClosed) {
				return err
			}
			// Out of file descriptors and the like: wait and go on.
			delay = min(max(2*delay, 5*time.Millisecond), time.Second)
			s.opts.logger.Warn("osprey: accept failed; retrying", "addr", ln.Addr(), "err", err, "in", delay)
			select {
			case <-time.After(delay):
			case <-s.sweepStop:
			}
			continue
		}
		delay = 0
		s.startConn(nc)
	}
}

func (s *Server) startConn(nc net.Conn) {
	c := newConn(s, nc)
	s.mu.Lock()
	if s.stopping {
		s.mu.Unlock()
		nc.Close()
		return
	}
	s.conns[c] = struct{}{}
	s.connWG.Add(1)
	s.mu.Unlock()
	go c.serve()
}

func (s *Server) removeConn(c *conn) {
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
	s.connWG.Done()
}

// Stop shuts the server down gracefully: it stops accepting, closes idle
// connections, lets calls in progress finish and send their replies, and
// closes each connection once its call is done. If ctx ends first, Stop
// cancels the contexts of the handlers still running, closes every
// connection, and returns ctx's error once they are gone. Calling Stop again
// waits for the first call to finish. With WithRegistry, Stop first
// deregisters the server (and waits WithDeregisterWait), while it still
// serves, and only then drains.
//
// Plain Thrift cannot tell a client the server is going away, so a request
// that reaches an idle connection just as it is closed is lost; the client
// sees the connection close without a reply.
func (s *Server) Stop(ctx context.Context) error {
	// Out of the registry first, while everything still serves.
	s.reg.deregister(ctx)
	s.mu.Lock()
	if s.stopping {
		s.mu.Unlock()
		select {
		case <-s.stopped:
			return s.stopErr
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	s.stopping = true
	s.draining.Store(true)
	for ln := range s.listeners {
		ln.Close()
	}
	conns := s.snapshot()
	sweeping := s.sweeping
	s.mu.Unlock()

	close(s.sweepStop)
	if sweeping {
		<-s.sweepDone
	}
	for _, c := range conns {
		c.drain()
	}
	done := make(chan struct{})
	go func() {
		s.connWG.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
		s.cancel()
		s.mu.Lock()
		conns = s.snapshot()
		s.mu.Unlock()
		// Concurrently: closing a connection waits for its goroutine to
		// leave the socket, which a handler still running delays.
		for _, c := range conns {
			go c.forceClose()
		}
		<-done
		s.stopErr = ctx.Err()
	}
	s.cancel()
	close(s.stopped)
	return s.stopErr
}

func (s *Server) snapshot() []*conn {
	conns := make([]*conn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	return conns
}
