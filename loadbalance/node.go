package loadbalance

import (
	"math"
	"sync/atomic"
	"time"

	"github.com/ospreyrpc/osprey/discovery"
	"github.com/ospreyrpc/osprey/internal/breaker"
)

// LatencyHalfLife is how fast a node's latency average fades while no call
// to it ends: by half every LatencyHalfLife. The next call's latency
// weighs in as much as the average has faded, and P2C compares the faded
// averages, so a node that was slow once is tried again after a while
// instead of being avoided for good.
const LatencyHalfLife = 5 * time.Second

// Node is an instance as a client tracks it: its description, its live
// load and its health. The client owns it; pickers read it.
type Node struct {
	// Instance is what the resolver reported.
	Instance *discovery.Instance
	// Transport is the client's own state for the node, such as its
	// connection pool. Pickers leave it alone.
	Transport any

	s *nodeState // shared with the nodes WithInstance makes
}

// nodeState is a node's live state.
type nodeState struct {
	inflight   atomic.Int64
	latency    atomic.Int64 // moving average, nanoseconds; 0 until a call ends
	lastEnd    atomic.Int64 // clock time of the last End
	unadmitted atomic.Int64 // Starts the breaker did not admit and no End has matched yet
	cfg        atomic.Pointer[nodeConfig]
	group      atomic.Pointer[group]
}

// nodeConfig is what the first balancer that builds a picker over a node
// sets up for it. Until then a node has no health tracking, no warm-up
// and the real clock.
type nodeConfig struct {
	clock     breaker.Clock
	health    *breaker.Breaker // nil: always available
	policy    *HealthPolicy    // with defaults; nil without health
	warmStart int64            // clock time
	warmEnd   int64            // 0: not warming up
}

var bareConfig = &nodeConfig{clock: breaker.Monotonic}

// NewNode returns a node for inst. The first balancer to build a picker
// over it sets up its health and warm-up (see WithHealth, WithWarmUp); a
// node no balancer has set up is always available.
func NewNode(inst *discovery.Instance, transport any) *Node {
	return &Node{Instance: inst, Transport: transport, s: new(nodeState)}
}

// WithInstance returns a node for inst (the same address with a new
// weight or tags) that shares n's transport and live state: its calls in
// flight, latency, health and warm-up carry over. The client uses it when
// the resolver reports a changed instance.
func (n *Node) WithInstance(inst *discovery.Instance) *Node {
	return &Node{Instance: inst, Transport: n.Transport, s: n.s}
}

func (n *Node) config() *nodeConfig {
	if c := n.s.cfg.Load(); c != nil {
		return c
	}
	return bareConfig
}

// InFlight returns the number of attempts sent to the node that have not
// ended.
func (n *Node) InFlight() int64 { return n.s.inflight.Load() }

// Latency returns the node's moving average latency as of the last call
// that ended, or 0 before any call to it has ended.
func (n *Node) Latency() time.Duration { return time.Duration(n.s.latency.Load()) }

// Available reports whether the node may be picked: false while its
// health (see WithHealth) has it ejected; true again once the ejection
// has run out, for as many probe calls as the policy allows at once.
func (n *Node) Available() bool {
	h := n.config().health
	return h == nil || h.Ready()
}

// Start records that an attempt goes to the node. Every Start must be
// followed by one End.
func (n *Node) Start() {
	n.s.inflight.Add(1)
	if h := n.config().health; h != nil && !h.Allow() {
		// Picked although not available (every node was ejected, or a
		// race for the last probe): its End is not the breaker's business.
		n.s.unadmitted.Add(1)
	}
}

// End records that an attempt to the node ended after d, and whether it
// failed for a reason that speaks of the instance (it could not be
// reached, reset the connection, timed out, was overloaded) rather than of
// the request.
func (n *Node) End(d time.Duration, failed bool) {
	s := n.s
	s.inflight.Add(-1)
	c := n.config()
	now := c.clock()
	s.observe(now, int64(d))
	if c.health == nil || s.takeUnadmitted() {
		return
	}
	c.health.DoneAt(failed, now)
	if failed && c.health.State() == breaker.Closed {
		n.judge(c)
	}
}

// takeUnadmitted consumes one Start the breaker did not admit, if any.
func (s *nodeState) takeUnadmitted() bool {
	for {
		u := s.unadmitted.Load()
		if u == 0 {
			return false
		}
		if s.unadmitted.CompareAndSwap(u, u-1) {
			return true
		}
	}
}

// observe adds a latency sample d taken at now to the moving average: with
// weight 1/8 when the average is fresh, more as it has faded (see
// LatencyHalfLife). Racing updates may lose a sample, which an average can
// afford.
func (s *nodeState) observe(now, d int64) {
	old := s.latency.Load()
	last := s.lastEnd.Swap(now)
	d = max(d, 1) // 0 means no sample
	if old == 0 {
		s.latency.Store(d)
		return
	}
	keep := fade(now-last) * 7 / 8
	if keep == 7.0/8 {
		s.latency.Store(old + (d-old)/8)
		return
	}
	s.latency.Store(max(int64(float64(old)*keep+float64(d)*(1-keep)), 1))
}

// fade returns how much of a latency average is left after elapsed
// nanoseconds without a sample: 1 for the first 1/64 of a half-life.
func fade(elapsed int64) float64 {
	if elapsed < int64(LatencyHalfLife/64) {
		return 1
	}
	return math.Exp2(-float64(elapsed) / float64(LatencyHalfLife))
}

// weight returns the node's weight at now: the instance's weight, scaled
// down while the node warms up. now is 0 when no node is warming up.
func (n *Node) weight(now int64) int64 {
	w := int64(n.Instance.EffectiveWeight())
	if now == 0 {
		return w
	}
	c := n.config()
	if c.warmEnd == 0 || now >= c.warmEnd {
		return w
	}
	f := warmFloor + (1-warmFloor)*float64(max(now-c.warmStart, 0))/float64(c.warmEnd-c.warmStart)
	return max(int64(float64(w)*f), 1)
}
