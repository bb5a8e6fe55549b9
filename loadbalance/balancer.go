package loadbalance

import (
	"context"
	"errors"
	"sync/atomic"

	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/rpcinfo"
	"github.com/ospreyrpc/osprey/status"
)

// Balancer builds pickers.
type Balancer interface {
	// Build returns a Picker over nodes, the current instances, in the
	// resolver's order; it is called again on every change. nodes is never
	// empty and must not be modified.
	Build(nodes []*Node) Picker
}

// Picker picks the node for one attempt.
type Picker interface {
	// Pick returns the node for the attempt described by info (service,
	// method, metadata, attempt number). It must be safe for concurrent
	// use.
	Pick(ctx context.Context, info *rpcinfo.Info) (*Node, error)
}

// ErrNoInstance is the error of a pick when there is no instance to call.
var ErrNoInstance = status.New(codes.Unavailable, "no instance available").WithNotSent()

// IsNoInstance reports whether err is ErrNoInstance.
func IsNoInstance(err error) bool { return errors.Is(err, ErrNoInstance) }

// BalancerFunc adapts a function to Balancer.
type BalancerFunc func(nodes []*Node) Picker

// Build calls f.
func (f BalancerFunc) Build(nodes []*Node) Picker { return f(nodes) }

// builtIn makes the Balancer of a built-in picker: it sets up the nodes
// with the default health policy (unless WithHealth or WithWarmUp did)
// before building.
func builtIn(build func(nodes []*Node) Picker) Balancer {
	return BalancerFunc(func(nodes []*Node) Picker {
		defaultConfig.setup(nodes)
		return build(nodes)
	})
}

// RoundRobin returns the balancer that sends each attempt to the next
// available node in turn, ignoring weights. When no node is available it
// uses them all.
func RoundRobin() Balancer { return builtIn(newRoundRobin) }

type roundRobin struct {
	nodes []*Node
	next  atomic.Uint64
}

func newRoundRobin(nodes []*Node) Picker { return &roundRobin{nodes: nodes} }

func (r *roundRobin) Pick(ctx context.Context, info *rpcinfo.Info) (*Node, error) {
	if len(r.nodes) == 1 {
		return r.nodes[0], nil
	}
	n := uint64(len(r.nodes))
	start := r.next.Add(1) - 1
	for i := range n {
		if node := r.nodes[(start+i)%n]; node.Available() {
			return node, nil
		}
	}
	return r.nodes[start%n], nil
}
