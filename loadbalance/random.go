package loadbalance

import (
	"context"
	"math/rand/v2"
	"slices"

	"github.com/ospreyrpc/osprey/rpcinfo"
)

// WeightedRandom returns the balancer that sends each attempt to an
// available node chosen at random with probability in proportion to its
// weight (discovery.Instance.Weight, scaled down while a node warms up, see
// WithWarmUp). When no node is available it uses them all. A pick takes
// no lock: a binary search, or a pass over the nodes while some are
// warming up or ejected.
func WeightedRandom() Balancer { return builtIn(newWeightedRandom) }

type weightedRandom struct {
	nodes []*Node
	sums  []int64 // sums[i]: total weight of nodes[:i+1]
	warm  warmth
}

func newWeightedRandom(nodes []*Node) Picker {
	p := &weightedRandom{nodes: nodes, sums: make([]int64, len(nodes))}
	total := int64(0)
	for i, n := range nodes {
		total += n.weight(0)
		p.sums[i] = total
	}
	p.warm.init(nodes)
	return p
}

func (p *weightedRandom) Pick(ctx context.Context, info *rpcinfo.Info) (*Node, error) {
	if len(p.nodes) == 1 {
		return p.nodes[0], nil
	}
	now := p.warm.now()
	if now == 0 {
		// Static weights: a binary search, again if it lands on a node
		// that is out.
		for range 3 {
			if n := p.nodes[p.search()]; n.Available() {
				return n, nil
			}
		}
	}
	if n := p.scan(now, true); n != nil {
		return n, nil
	}
	return p.scan(now, false), nil
}

// search returns the index of a node chosen by static weight.
func (p *weightedRandom) search() int {
	i, _ := slices.BinarySearch(p.sums, rand.Int64N(p.sums[len(p.sums)-1])+1)
	return i
}

// scan chooses a node by its weight at now among all nodes, or the
// available ones; nil if there is none.
func (p *weightedRandom) scan(now int64, onlyAvailable bool) *Node {
	total := int64(0)
	for _, n := range p.nodes {
		if !onlyAvailable || n.Available() {
			total += n.weight(now)
		}
	}
	if total == 0 {
		return nil
	}
	r := rand.Int64N(total)
	var last *Node
	for _, n := range p.nodes {
		if onlyAvailable && !n.Available() {
			continue
		}
		last = n
		if r -= n.weight(now); r < 0 {
			break
		}
	}
	return last // nil only if every node went out between the passes
}
