package loadbalance

import (
	"fmt"
	"sync"
	"time"

	"github.com/ospreyrpc/osprey/internal/breaker"
)

// Defaults of the zero fields of a HealthPolicy.
const (
	DefaultOutlierMargin     = 0.2
	DefaultMaxEjectedPercent = 50
)

// HealthPolicy says when a node is ejected (not picked) and how it comes
// back. A node is ejected, after a failed call, when
//
//   - its last ConsecutiveFailures calls failed, or
//   - at least MinCalls calls to it ended in the Window and the share of
//     them that failed is at least ErrorRate (its instance breaker), or
//   - that share is above the mean share of its peers (the other nodes
//     with MinCalls calls in their windows and not ejected) by more than
//     OutlierMargin (outlier ejection),
//
// unless that would leave more than MaxEjectedPercent of the nodes ejected
// or being probed. An ejected node stays out for EjectFor, then is
// available for HalfOpenProbes probe calls at once: that many successes
// bring it back with an empty window, one failure ejects it again. Each
// ejection that follows closely on the last doubles the time out, up to
// MaxEjectFor (see package circuitbreak, whose breaker runs it).
//
// The zero value is the default policy, which every built-in balancer
// applies unless WithHealth gives another.
type HealthPolicy struct {
	// Window is how far back error rates look. 0 means 10 s.
	Window time.Duration
	// MinCalls is how many calls must have ended in a node's window
	// before its error rate counts. 0 means 20.
	MinCalls int
	// ConsecutiveFailures ejects a node after that many failures in a
	// row. 0 means 5; negative turns the rule off.
	ConsecutiveFailures int
	// ErrorRate ejects a node whose share of failed calls reaches it.
	// 0 means 0.5; above 1 turns the rule off.
	ErrorRate float64
	// OutlierMargin ejects a node whose share of failed calls is above
	// its peers' mean by more than it. 0 means DefaultOutlierMargin
	// (0.2); 1 or more turns the rule off.
	OutlierMargin float64
	// EjectFor is how long a node stays out the first time. 0 means 5 s.
	EjectFor time.Duration
	// MaxEjectFor bounds the time out as repeated ejections double it.
	// 0 means 1 minute, or EjectFor if that is longer.
	MaxEjectFor time.Duration
	// HalfOpenProbes is how many probe calls a node coming back takes at
	// once. 0 means 1.
	HalfOpenProbes int
	// MaxEjectedPercent bounds the share of nodes ejected or being probed
	// at once, from 1 to 100. 0 means DefaultMaxEjectedPercent (50). When
	// every node is out anyway, pickers use them all.
	MaxEjectedPercent int
}

// Validate returns an error naming the first field out of range.
func (p HealthPolicy) Validate() error {
	if err := p.breakerPolicy().Validate(); err != nil {
		return fmt.Errorf("loadbalance: HealthPolicy: %w", err)
	}
	switch {
	case p.ErrorRate < 0 || p.ErrorRate != p.ErrorRate:
		return fmt.Errorf("loadbalance: HealthPolicy: ErrorRate %v is not a rate (0 to 1, or above 1 to disable)", p.ErrorRate)
	case p.OutlierMargin < 0 || p.OutlierMargin != p.OutlierMargin:
		return fmt.Errorf("loadbalance: HealthPolicy: OutlierMargin %v is negative or NaN", p.OutlierMargin)
	case p.MaxEjectedPercent < 0 || p.MaxEjectedPercent > 100:
		return fmt.Errorf("loadbalance: HealthPolicy: MaxEjectedPercent %d is not from 0 to 100", p.MaxEjectedPercent)
	}
	return nil
}

// breakerPolicy is the policy of a node's breaker: the node decides when
// to open it (to apply MaxEjectedPercent), so the breaker's own rules are
// off.
func (p HealthPolicy) breakerPolicy() breaker.Policy {
	return breaker.Policy{
		Window:              p.Window,
		MinCalls:            p.MinCalls,
		ErrorRate:           2,
		ConsecutiveFailures: -1,
		OpenFor:             p.EjectFor,
		MaxOpenFor:          p.MaxEjectFor,
		HalfOpenProbes:      p.HalfOpenProbes,
	}
}

// withDefaults returns p with its zero fields set to the defaults.
func (p HealthPolicy) withDefaults() HealthPolicy {
	if p.MinCalls == 0 {
		p.MinCalls = breaker.DefaultMinCalls
	}
	if p.ConsecutiveFailures == 0 {
		p.ConsecutiveFailures = breaker.DefaultConsecutiveFailures
	}
	if p.ErrorRate == 0 {
		p.ErrorRate = breaker.DefaultErrorRate
	}
	if p.OutlierMargin == 0 {
		p.OutlierMargin = DefaultOutlierMargin
	}
	if p.MaxEjectedPercent == 0 {
		p.MaxEjectedPercent = DefaultMaxEjectedPercent
	}
	return p
}

// group is the nodes of one picker: the peers a node is compared with.
type group struct {
	nodes []*Node
	mu    sync.Mutex // held to eject
}

// judge decides, after a failed call in closed state, whether to eject
// the node.
func (n *Node) judge(c *nodeConfig) {
	p, h := c.policy, c.health
	eject := p.ConsecutiveFailures > 0 && h.Consecutive() >= p.ConsecutiveFailures
	if !eject {
		calls, failures := h.Counts()
		if calls < p.MinCalls || calls == 0 {
			return
		}
		rate := float64(failures) / float64(calls)
		eject = p.ErrorRate <= 1 && rate >= p.ErrorRate
		if !eject && p.OutlierMargin < 1 && rate > p.OutlierMargin {
			mean, ok := n.peerRate(p.MinCalls)
			eject = ok && rate > mean+p.OutlierMargin
		}
	}
	if eject {
		n.eject(c)
	}
}

// peerRate returns the mean error rate of the node's peers that are in
// service and have minCalls calls in their windows.
func (n *Node) peerRate(minCalls int) (mean float64, ok bool) {
	g := n.s.group.Load()
	if g == nil {
		return 0, false
	}
	sum, count := 0.0, 0
	for _, m := range g.nodes {
		h := m.config().health
		if m.s == n.s || h == nil || h.State() != breaker.Closed {
			continue
		}
		if calls, failures := h.Counts(); calls >= minCalls && calls > 0 {
			sum += float64(failures) / float64(calls)
			count++
		}
	}
	if count == 0 {
		return 0, false
	}
	return sum / float64(count), true
}

// eject opens the node's breaker unless that would put more than
// MaxEjectedPercent of its group out of service.
func (n *Node) eject(c *nodeConfig) {
	g := n.s.group.Load()
	if g == nil {
		c.health.Trip()
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if c.health.State() != breaker.Closed {
		return
	}
	out := 1
	for _, m := range g.nodes {
		if h := m.config().health; m.s != n.s && h != nil && h.State() != breaker.Closed {
			out++
		}
	}
	if out*100 > c.policy.MaxEjectedPercent*len(g.nodes) {
		return
	}
	c.health.Trip()
}
