package client

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// WithWarmUp makes New connect to the target's instances before it
// returns, so the first calls do not pay for dialing: it waits for the
// resolver's first answer and opens conns connections to each instance
// (ping-pong pools; a multiplexed client opens all its WithMultiplex
// connections and a gRPC client one connection, whatever conns says). It
// waits at most the connect timeout (WithConnectTimeout) in all; an
// instance that cannot be reached by then is left for the calls to dial,
// and New still succeeds. Instances found later are dialed by their first
// calls. Default off; conns must be between 1 and 1024.
func WithWarmUp(conns int) Option {
	return optionFunc(func(o *options) error {
		if conns < 1 || conns > 1024 {
			return fmt.Errorf("client: WithWarmUp(%d): want 1 to 1024 connections", conns)
		}
		o.warmConns = conns
		return o.once("WithWarmUp")
	})
}

// warmUp opens the connections WithWarmUp asks for, within the connect
// timeout.
func (t *target) warmUp() {
	start := time.Now()
	deadline := start.Add(t.opts.connectTimeout)
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	select {
	case <-t.ready:
	case <-ctx.Done():
		return
	}
	var wg sync.WaitGroup
	for _, n := range t.state.Load().nodes {
		wg.Go(func() { n.Transport.(transport).warm(ctx, start, deadline, t.opts.warmConns) })
	}
	wg.Wait()
}

// warm opens up to n idle connections.
func (p *pool) warm(ctx context.Context, now, deadline time.Time, n int) {
	conns := make([]*conn, 0, n)
	for range n {
		c, err := p.get(ctx, now, deadline)
		if err != nil {
			break
		}
		conns = append(conns, c)
	}
	for _, c := range conns {
		p.put(c, now)
	}
}

// warm dials every connection slot.
func (m *muxPool) warm(ctx context.Context, now, deadline time.Time, _ int) {
	for range m.slots {
		if _, err := m.get(ctx, now, deadline); err != nil {
			return
		}
	}
}

// warm dials one connection and waits for its handshake.
func (p *grpcPool) warm(ctx context.Context, _, deadline time.Time, _ int) {
	p.conn(ctx, deadline) // a failed dial is left for the calls to retry
}
