package loadbalance

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/ospreyrpc/osprey/discovery"
	"github.com/ospreyrpc/osprey/metainfo"
	"github.com/ospreyrpc/osprey/rpcinfo"
)

// KeyFunc returns the key a call is hashed on, and false if it has none.
type KeyFunc func(ctx context.Context, info *rpcinfo.Info) (key string, ok bool)

// HashMetadata returns the KeyFunc that reads the call's metadata value
// name (transient first, then persistent; see package metainfo). A call
// without the value, or with an empty one, has no key.
func HashMetadata(name string) KeyFunc {
	return func(ctx context.Context, info *rpcinfo.Info) (string, bool) {
		persistent, transient := info.Metadata.Outgoing()
		for _, pairs := range [2][]metainfo.Pair{transient, persistent} {
			for i := len(pairs) - 1; i >= 0; i-- {
				if pairs[i].Key == name {
					return pairs[i].Value, pairs[i].Value != ""
				}
			}
		}
		return "", false
	}
}

// HashContext returns the KeyFunc that reads the string value of ctxKey in
// the call's context. A call whose context has no such value, a value that
// is not a string, or an empty one, has no key.
func HashContext(ctxKey any) KeyFunc {
	return func(ctx context.Context, info *rpcinfo.Info) (string, bool) {
		s, ok := ctx.Value(ctxKey).(string)
		return s, ok && s != ""
	}
}

// DefaultVirtualNodes is how many points on the hash ring an instance of
// the default weight has.
const DefaultVirtualNodes = 160

// HashOption configures ConsistentHash.
type HashOption interface{ applyHash(*hashOptions) }

type hashOptions struct{ virtualNodes int }

type hashOptionFunc func(*hashOptions)

func (f hashOptionFunc) applyHash(o *hashOptions) { f(o) }

// VirtualNodes sets how many points on the ring an instance of weight
// discovery.DefaultWeight has; others have points in proportion to their
// weight, at least one. Default DefaultVirtualNodes (160). More points
// spread keys more evenly and cost memory (12 bytes each) and a longer
// build. It panics unless n is from 1 to 10,000.
func VirtualNodes(n int) HashOption {
	if n < 1 || n > 10000 {
		panic(fmt.Sprintf("loadbalance: VirtualNodes(%d): want 1 to 10000", n))
	}
	return hashOptionFunc(func(o *hashOptions) { o.virtualNodes = n })
}

// ConsistentHash returns the balancer that sends every call with the same
// key (see KeyFunc) to the same node while the set of nodes stays the
// same: each node owns the arcs before its points on a ring of 64-bit
// hashes, so adding or removing one of N nodes moves about 1/N of the keys,
// all of them to or from that node. A key whose node is not available
// goes to the next available node on the ring; when none is, to its own.
// Calls without a key go to a node chosen by WeightedRandom. Weights scale
// a node's points; warm-up does not apply. It panics if key is nil.
func ConsistentHash(key KeyFunc, opts ...HashOption) Balancer {
	if key == nil {
		panic("loadbalance: ConsistentHash(nil)")
	}
	o := hashOptions{virtualNodes: DefaultVirtualNodes}
	for _, opt := range opts {
		opt.applyHash(&o)
	}
	return builtIn(func(nodes []*Node) Picker { return newRing(nodes, key, o) })
}

// point is a place on the ring.
type point struct {
	hash uint64
	node int32 // index in ring.nodes
}

type ring struct {
	nodes    []*Node
	points   []point // by hash
	key      KeyFunc
	fallback Picker
}

func newRing(nodes []*Node, key KeyFunc, o hashOptions) *ring {
	r := &ring{nodes: nodes, key: key, fallback: newWeightedRandom(nodes)}
	var buf []byte
	for i, n := range nodes {
		count := max(int(int64(o.virtualNodes)*int64(n.Instance.EffectiveWeight())/discovery.DefaultWeight), 1)
		for v := range count {
			buf = strconv.AppendInt(append(append(buf[:0], n.Instance.String()...), '#'), int64(v), 10)
			r.points = append(r.points, point{hash(buf), int32(i)})
		}
	}
	slices.SortFunc(r.points, func(a, b point) int {
		if c := cmp.Compare(a.hash, b.hash); c != 0 {
			return c
		}
		// Equal hashes (rare): the order must not depend on the
		// resolver's order.
		return cmp.Compare(nodes[a.node].Instance.String(), nodes[b.node].Instance.String())
	})
	return r
}

func (r *ring) Pick(ctx context.Context, info *rpcinfo.Info) (*Node, error) {
	k, ok := r.key(ctx, info)
	if !ok {
		return r.fallback.Pick(ctx, info)
	}
	h := hash(k)
	i, _ := slices.BinarySearchFunc(r.points, h, func(p point, h uint64) int { return cmp.Compare(p.hash, h) })
	if i == len(r.points) {
		i = 0
	}
	own := r.nodes[r.points[i].node]
	if own.Available() {
		return own, nil
	}
	for j := 1; j < len(r.points); j++ {
		if n := r.nodes[r.points[(i+j)%len(r.points)].node]; n != own && n.Available() {
			return n, nil
		}
		if j == 4*len(r.nodes) && !anyAvailable(r.nodes) {
			break // do not walk the whole ring to learn that every node is out
		}
	}
	return own, nil
}

func anyAvailable(nodes []*Node) bool {
	for _, n := range nodes {
		if n.Available() {
			return true
		}
	}
	return false
}

// The ring's hash: 64-bit FNV-1a, whose low bits mix poorly, finished with
// the mixer of MurmurHash3 so that points spread over the whole ring. It
// must never change: clients in different processes place keys alike.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func hash[S ~string | ~[]byte](s S) uint64 {
	h := uint64(fnvOffset)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * fnvPrime
	}
	return mix(h)
}

func mix(h uint64) uint64 {
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}
