package loadbalance

import (
	"context"
	"math"
	"math/rand/v2"

	"github.com/ospreyrpc/osprey/discovery"
	"github.com/ospreyrpc/osprey/rpcinfo"
)

// P2C returns the balancer that picks two available nodes at random and
// sends the attempt to the less loaded: power of two choices. A node's
// load is its cost
//
//	(InFlight + 1) × latency × DefaultWeight / weight
//
// where latency is its moving average Latency faded by the time since its
// last call ended (see LatencyHalfLife), and weight its instance's weight,
// scaled down while it warms up (see WithWarmUp). A node without a latency
// sample costs nothing while no call to it is in flight, so new nodes are
// tried at once, and a node that was slow is tried again once its average
// has faded below its peers' costs; its next call's latency then counts
// in full. When fewer than two nodes are available it uses the one, or, if
// none is, all of them. A pick takes no lock and allocates nothing.
func P2C() Balancer { return builtIn(newP2C) }

// unsampledCost is the latency counted for a node without a latency sample
// while calls to it are in flight: it takes no more until the first ends.
const unsampledCost = 1e9 // 1 s

type p2c struct {
	nodes []*Node
	warm  warmth
}

func newP2C(nodes []*Node) Picker {
	p := &p2c{nodes: nodes}
	p.warm.init(nodes)
	return p
}

func (p *p2c) Pick(ctx context.Context, info *rpcinfo.Info) (*Node, error) {
	if len(p.nodes) == 1 {
		return p.nodes[0], nil
	}
	now := p.warm.clock()
	warmNow := p.warm.now()
	for range 3 {
		a, b := p.pair()
		switch aok, bok := a.Available(), b.Available(); {
		case aok && bok:
			if b.cost(now, warmNow) < a.cost(now, warmNow) {
				return b, nil
			}
			return a, nil
		case aok:
			return a, nil
		case bok:
			return b, nil
		}
	}
	// Most nodes are out: the cheapest available one, or the cheaper of a
	// pair if none is.
	var best *Node
	bestCost := math.Inf(1)
	for _, n := range p.nodes {
		if !n.Available() {
			continue
		}
		if c := n.cost(now, warmNow); c < bestCost {
			best, bestCost = n, c
		}
	}
	if best != nil {
		return best, nil
	}
	a, b := p.pair()
	if b.cost(now, warmNow) < a.cost(now, warmNow) {
		return b, nil
	}
	return a, nil
}

// pair returns two different nodes at random.
func (p *p2c) pair() (*Node, *Node) {
	n := len(p.nodes)
	i := rand.IntN(n)
	j := rand.IntN(n - 1)
	if j >= i {
		j++
	}
	return p.nodes[i], p.nodes[j]
}

// cost returns the node's load at now (see P2C); warmNow is now if a node
// may be warming up, else 0.
func (n *Node) cost(now, warmNow int64) float64 {
	inflight := float64(n.s.inflight.Load())
	lat := float64(n.s.latency.Load())
	if lat == 0 {
		if inflight <= 0 {
			return 0
		}
		lat = unsampledCost
	} else {
		lat *= fade(now - n.s.lastEnd.Load())
	}
	return (inflight + 1) * lat * discovery.DefaultWeight / float64(n.weight(warmNow))
}
