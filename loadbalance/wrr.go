package loadbalance

import (
	"context"
	"sync"

	"github.com/ospreyrpc/osprey/rpcinfo"
)

// WeightedRoundRobin returns the balancer that spreads attempts over the
// available nodes in proportion to their weights (discovery.Instance.Weight,
// scaled down while a node warms up, see WithWarmUp), interleaved rather
// than in runs: smooth weighted round robin as nginx does it. Weights 5, 1,
// 1 give a a b a c a a, then again. When no node is available it uses them
// all. Each pick takes a mutex and visits every node, which suits the tens
// of instances a service usually has.
func WeightedRoundRobin() Balancer { return builtIn(newWRR) }

type wrr struct {
	nodes []*Node
	warm  warmth

	mu      sync.Mutex
	current []int64
}

func newWRR(nodes []*Node) Picker {
	p := &wrr{nodes: nodes, current: make([]int64, len(nodes))}
	p.warm.init(nodes)
	return p
}

func (p *wrr) Pick(ctx context.Context, info *rpcinfo.Info) (*Node, error) {
	if len(p.nodes) == 1 {
		return p.nodes[0], nil
	}
	now := p.warm.now()
	p.mu.Lock()
	defer p.mu.Unlock()
	if i := p.next(now, true); i >= 0 {
		return p.nodes[i], nil
	}
	return p.nodes[p.next(now, false)], nil
}

// next runs one round of smooth weighted round robin over the nodes (the
// available ones if onlyAvailable) and returns the index chosen, or -1.
func (p *wrr) next(now int64, onlyAvailable bool) int {
	best, total := -1, int64(0)
	for i, n := range p.nodes {
		if onlyAvailable && !n.Available() {
			continue
		}
		w := n.weight(now)
		p.current[i] += w
		total += w
		if best < 0 || p.current[i] > p.current[best] {
			best = i
		}
	}
	if best >= 0 {
		p.current[best] -= total
	}
	return best
}
