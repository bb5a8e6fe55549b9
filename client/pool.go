package client

import (
	"context"
	"net"
	"sync"
	"time"

	"github.com/ospreyrpc/osprey/discovery"
)

// aliveCheckAfter is how long a connection must have been idle before get
// checks that the peer has not closed it.
var aliveCheckAfter = time.Second

// pool keeps idle ping-pong connections to one instance, most recently
// used on top.
type pool struct {
	network, addr string
	opts          *options
	cw            *cancelWatch
	dialer        net.Dialer

	mu      sync.Mutex
	idle    []*conn // idle[len-1] was used last
	closed  bool
	stop    chan struct{}
	stopped chan struct{}
}

func newPool(inst *discovery.Instance, o *options, cw *cancelWatch) *pool {
	p := &pool{
		network: inst.Network, addr: inst.Addr, opts: o, cw: cw,
		stop: make(chan struct{}), stopped: make(chan struct{}),
	}
	go p.reap()
	return p
}

// get returns an idle connection, or dials a new one by deadline; now is
// the time the call started.
func (p *pool) get(ctx context.Context, now, deadline time.Time) (*conn, error) {
	for {
		p.mu.Lock()
		n := len(p.idle)
		if n == 0 {
			p.mu.Unlock()
			break
		}
		c := p.idle[n-1]
		p.idle[n-1] = nil
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		// A connection that sat idle may have been closed by the server.
		if now.Sub(c.lastUsed) < aliveCheckAfter || c.alive() {
			return c, nil
		}
		c.close()
	}
	deadline = p.opts.dialBy(now, deadline)
	dctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	nc, err := p.dialer.DialContext(dctx, p.network, p.addr)
	if err != nil {
		return nil, err
	}
	return newConn(nc, p.opts, p.cw), nil
}

// put gives a healthy connection back, last used at now, closing it if
// the pool is full or closed.
func (p *pool) put(c *conn, now time.Time) {
	c.lastUsed = now
	p.mu.Lock()
	if p.closed || len(p.idle) >= p.opts.maxIdle {
		p.mu.Unlock()
		c.close()
		return
	}
	p.idle = append(p.idle, c)
	p.mu.Unlock()
}

// reap closes connections idle longer than the idle timeout.
func (p *pool) reap() {
	defer close(p.stopped)
	t := time.NewTicker(min(max(p.opts.idleTimeout/4, 10*time.Millisecond), 10*time.Second))
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case now := <-t.C:
			var expired []*conn
			p.mu.Lock()
			i := 0
			for i < len(p.idle) && now.Sub(p.idle[i].lastUsed) >= p.opts.idleTimeout {
				i++
			}
			if i > 0 {
				expired = append(expired, p.idle[:i]...)
				n := copy(p.idle, p.idle[i:])
				clear(p.idle[n:])
				p.idle = p.idle[:n]
			}
			p.mu.Unlock()
			for _, c := range expired {
				c.close()
			}
		}
	}
}

// close closes the idle connections and stops the reaper. Connections in
// use are closed when they come back.
func (p *pool) close() {
	p.mu.Lock()
	p.closed = true
	idle := p.idle
	p.idle = nil
	p.mu.Unlock()
	for _, c := range idle {
		c.close()
	}
	close(p.stop)
	<-p.stopped
}
