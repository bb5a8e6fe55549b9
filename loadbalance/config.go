package loadbalance

import (
	"fmt"
	"sync/atomic"
	"time"

	"github.com/ospreyrpc/osprey/internal/breaker"
)

// warmFloor is the share of its weight a node has when its warm-up starts.
const warmFloor = 0.1

// config is how a balancer sets up the nodes it sees first.
type config struct {
	health HealthPolicy // with defaults
	warmUp time.Duration
	clock  breaker.Clock
}

// defaultConfig is the set-up of the built-in balancers: the default
// health policy, no warm-up.
var defaultConfig = &config{health: HealthPolicy{}.withDefaults(), clock: breaker.Monotonic}

// tuned is a balancer with a set-up of its own.
type tuned struct {
	inner Balancer
	cfg   config
}

func (t *tuned) Build(nodes []*Node) Picker {
	t.cfg.setup(nodes)
	return t.inner.Build(nodes)
}

// tune returns b with its set-up changed by f.
func tune(b Balancer, f func(*config)) Balancer {
	t := &tuned{inner: b, cfg: *defaultConfig}
	if old, ok := b.(*tuned); ok {
		t.inner, t.cfg = old.inner, old.cfg
	}
	f(&t.cfg)
	return t
}

// WithHealth returns b with nodes' health tracked by policy p instead of
// the default HealthPolicy{}. Pickers of the built-in balancers skip nodes
// that are not Available; b's own pickers should too. It panics if p is
// not valid (see HealthPolicy.Validate).
func WithHealth(b Balancer, p HealthPolicy) Balancer {
	if err := p.Validate(); err != nil {
		panic(err)
	}
	return tune(b, func(c *config) { c.health = p.withDefaults() })
}

// WithWarmUp returns b with a node's weight ramping up linearly from 10%
// to 100% over window from when b first builds a picker over it, so that
// an instance that has just started (with cold caches and connections)
// takes its share gradually. Nodes of a build in which every node is new,
// such as the client's first resolver update, start at full weight: they
// have no warm peers to leave the load to. WeightedRoundRobin,
// WeightedRandom and P2C (whose cost it divides by the weight) honour it;
// RoundRobin and ConsistentHash do not. Default: no warm-up. It panics if
// window is negative.
func WithWarmUp(b Balancer, window time.Duration) Balancer {
	if window < 0 {
		panic(fmt.Sprintf("loadbalance: WithWarmUp(%v): negative window", window))
	}
	return tune(b, func(c *config) { c.warmUp = window })
}

// setup gives new nodes their health and warm-up, and every node its
// group, unless this exact node list has been set up (by a wrapping
// balancer).
func (c *config) setup(nodes []*Node) {
	if g := nodes[0].s.group.Load(); g != nil && len(g.nodes) == len(nodes) && &g.nodes[0] == &nodes[0] {
		return
	}
	allNew := true
	for _, n := range nodes {
		if n.s.cfg.Load() != nil {
			allNew = false
			break
		}
	}
	now := c.clock()
	g := &group{nodes: nodes}
	for _, n := range nodes {
		if n.s.cfg.Load() == nil {
			nc := &nodeConfig{clock: c.clock, policy: &c.health}
			nc.health = breaker.New(c.health.breakerPolicy(), c.clock)
			if c.warmUp > 0 && !allNew {
				nc.warmStart, nc.warmEnd = now, now+int64(c.warmUp)
			}
			n.s.cfg.CompareAndSwap(nil, nc)
		}
		n.s.group.Store(g)
	}
}

// warmth tells pickers whether any of their nodes is warming up, reading
// the clock only while one is.
type warmth struct {
	clock breaker.Clock
	until atomic.Int64 // last warmEnd of the nodes at build; 0: none
}

func (w *warmth) init(nodes []*Node) {
	w.clock = nodes[0].config().clock
	until := int64(0)
	for _, n := range nodes {
		until = max(until, n.config().warmEnd)
	}
	w.until.Store(until)
}

// now returns the time if a node may be warming up, or 0.
func (w *warmth) now() int64 {
	until := w.until.Load()
	if until == 0 {
		return 0
	}
	if now := w.clock(); now < until {
		return now
	}
	w.until.Store(0)
	return 0
}
