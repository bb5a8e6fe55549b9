package client

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/net/http2"

	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/discovery"
	"github.com/ospreyrpc/osprey/internal/h2"
	"github.com/ospreyrpc/osprey/status"
)

// grpcPool is the gRPC transport of one instance (docs/spec/grpc.md §15):
// HTTP/2 connections carrying a stream per call, one connection until it
// has as many streams open as the server allows, then more. A connection
// going away (GOAWAY) takes no new streams; the next call dials another.
type grpcPool struct {
	t         *target
	inst      *discovery.Instance
	cfg       h2.ClientConfig
	scheme    string // "http" or "https"
	authority string
	dialer    net.Dialer

	cur     atomic.Pointer[h2.ClientConn] // where calls go first
	waiters atomic.Int32                  // calls waiting for room: every connection is full
	timeout atomic.Pointer[timeoutValue]  // the last coarse grpc-timeout sent (grpc_header.go)

	mu      sync.Mutex
	conns   []*h2.ClientConn
	dialing chan struct{} // closed when the dial in progress ends
	room    chan struct{} // closed (and replaced) when a stream ends while calls wait
	closed  bool
}

func newGRPCPool(inst *discovery.Instance, t *target) *grpcPool {
	cfg := h2.DefaultClientConfig()
	if t.opts.keepalive > 0 {
		cfg.KeepaliveTime, cfg.KeepaliveTimeout = t.opts.keepalive, t.opts.keepaliveWait
	}
	p := &grpcPool{t: t, inst: inst, cfg: cfg, scheme: "http", authority: inst.Addr, room: make(chan struct{})}
	if t.opts.tls != nil {
		p.scheme = "https"
	}
	if inst.Network == "unix" {
		p.authority = "localhost"
	}
	return p
}

// maxGRPCConns bounds the connections of one instance: past it, a call
// waits for a stream of one of them to end.
const maxGRPCConns = 16

// streamEnded lets the calls waiting for room try again.
func (p *grpcPool) streamEnded() {
	if p.waiters.Load() > 0 {
		p.mu.Lock()
		close(p.room)
		p.room = make(chan struct{})
		p.mu.Unlock()
	}
}

// open opens a stream for req on a connection with room, dialing one if
// none has. Errors are *status.Error values.
func (p *grpcPool) open(ctx context.Context, req *h2.Request, deadline time.Time) (*h2.ClientStream, *h2.ClientConn, error) {
	for try := range 8 {
		cc := p.cur.Load()
		if cc == nil || try > 0 {
			var err error
			if cc, err = p.conn(ctx, deadline); err != nil {
				return nil, nil, err
			}
		}
		s, err := cc.Open(req)
		switch {
		case err == nil:
			return s, cc, nil
		case errors.Is(err, h2.ErrFull), errors.Is(err, h2.ErrGoingAway), errors.Is(err, h2.ErrClosed):
			continue // another connection
		case s != nil:
			s.Release()
			return nil, nil, p.streamError(ctx, err, "send")
		}
		return nil, nil, status.Wrap(codes.Internal, fmt.Errorf("client: %w", err)).WithNotSent()
	}
	return nil, nil, status.Errorf(codes.Unavailable, "client: no HTTP/2 connection to %s takes a stream", p.inst.Addr).WithNotSent()
}

// conn returns a connection with room for a stream, dialing one if none
// has, and makes it the first tried.
func (p *grpcPool) conn(ctx context.Context, deadline time.Time) (*h2.ClientConn, error) {
	p.mu.Lock()
	for {
		if p.closed {
			p.mu.Unlock()
			return nil, errClosed
		}
		live := p.conns[:0]
		var pick *h2.ClientConn
		usable := 0
		for _, cc := range p.conns {
			if cc.Err() != nil {
				continue
			}
			live = append(live, cc)
			if !cc.GoingAway() {
				usable++
			}
			if pick == nil && cc.Available() {
				pick = cc
			}
		}
		clear(p.conns[len(live):])
		p.conns = live
		if pick != nil {
			p.cur.Store(pick)
			p.mu.Unlock()
			return pick, nil
		}
		ch := p.dialing
		if ch == nil && usable < maxGRPCConns {
			break
		}
		counted := ch == nil
		if counted {
			ch = p.room // every connection is full: wait for a stream to end
			p.waiters.Add(1)
		}
		p.mu.Unlock()
		err := p.waitRoom(ctx, ch, counted, deadline)
		if err != nil {
			return nil, err
		}
		p.mu.Lock()
	}
	ch := make(chan struct{})
	p.dialing = ch
	p.mu.Unlock()

	cc, err := p.dial(ctx, deadline)
	p.mu.Lock()
	close(ch)
	p.dialing = nil
	if err == nil && p.closed {
		cc.Close()
		cc, err = nil, errClosed
	}
	if err == nil {
		p.conns = append(p.conns, cc)
		p.cur.Store(cc)
	}
	p.mu.Unlock()
	if err != nil {
		if ctx.Err() != nil {
			return nil, contextError(ctx, ctx.Err())
		}
		if se, ok := err.(*status.Error); ok {
			return nil, se
		}
		return nil, status.Wrap(codes.Unavailable, fmt.Errorf("client: connect to %s: %w", p.inst.Addr, err)).WithNotSent()
	}
	return cc, nil
}

// waitRoom waits for ch (a dial's end, or room), the context's end or the
// deadline; counted says the wait was counted in waiters.
func (p *grpcPool) waitRoom(ctx context.Context, ch chan struct{}, counted bool, deadline time.Time) error {
	if counted {
		defer p.waiters.Add(-1)
	}
	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return contextError(ctx, ctx.Err())
	case <-timer.C:
		return status.Errorf(codes.DeadlineExceeded, "client: no connection to %s had room for the call before its deadline", p.inst.Addr).WithNotSent()
	}
}

// dial connects, with TLS and ALPN h2 when configured.
func (p *grpcPool) dial(ctx context.Context, deadline time.Time) (*h2.ClientConn, error) {
	deadline = p.t.opts.dialBy(time.Now(), deadline)
	dctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	nc, err := p.dialer.DialContext(dctx, p.inst.Network, p.inst.Addr)
	if err != nil {
		return nil, err
	}
	if cfg := p.t.opts.tls; cfg != nil {
		if cfg.ServerName == "" {
			cfg = cfg.Clone()
			cfg.ServerName, _, _ = strings.Cut(p.inst.Addr, ":")
			if host, _, err := net.SplitHostPort(p.inst.Addr); err == nil {
				cfg.ServerName = host
			}
		}
		tc := tls.Client(nc, cfg)
		if err := tc.HandshakeContext(dctx); err != nil {
			nc.Close()
			return nil, err
		}
		if proto := tc.ConnectionState().NegotiatedProtocol; proto != "h2" {
			tc.Close()
			return nil, fmt.Errorf("TLS: server negotiated %q, not h2", proto)
		}
		nc = tc
	}
	return h2.NewClientConn(nc, p.cfg)
}

// streamError turns a stream's error into the call's.
func (p *grpcPool) streamError(ctx context.Context, err error, what string) error {
	var refused *h2.RefusedError
	var reset *h2.ResetError
	switch {
	case errors.As(err, &refused):
		return status.Wrap(codes.Unavailable, fmt.Errorf("client: %s: %w", p.inst.Addr, err)).WithNotSent()
	case ctx.Err() != nil:
		return contextError(ctx, ctx.Err())
	case errors.As(err, &reset) && reset.Remote:
		if d, ok := ctx.Deadline(); ok && reset.Code == http2.ErrCodeCancel && !time.Now().Before(d) {
			// The server gave up at the deadline it got in grpc-timeout,
			// a moment before ctx's own timer fired here.
			return contextError(ctx, context.DeadlineExceeded)
		}
		return status.Remote(resetCode(reset), "client: stream reset by "+p.inst.Addr+": "+reset.Code.String(), err)
	}
	return status.Wrap(codes.Unavailable, fmt.Errorf("client: %s %s: %w", what, p.inst.Addr, err))
}

// close drains every connection: calls in flight finish, and each closes
// once idle.
func (p *grpcPool) close() {
	p.mu.Lock()
	p.closed = true
	conns := p.conns
	p.conns = nil
	p.cur.Store(nil)
	p.mu.Unlock()
	for _, cc := range conns {
		cc.Drain()
	}
}
