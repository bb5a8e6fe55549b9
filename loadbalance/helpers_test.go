package loadbalance_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ospreyrpc/osprey/discovery"
	"github.com/ospreyrpc/osprey/loadbalance"
	"github.com/ospreyrpc/osprey/rpcinfo"
)

// fakeClock is a clock the test moves by hand.
type fakeClock struct{ t atomic.Int64 }

func newClock() *fakeClock {
	c := new(fakeClock)
	c.t.Store(int64(time.Hour)) // away from 0
	return c
}

func (c *fakeClock) now() time.Duration      { return time.Duration(c.t.Load()) }
func (c *fakeClock) advance(d time.Duration) { c.t.Add(int64(d)) }

// nodes returns n nodes named "tcp:10.0.0.<i>:80" with the given weights
// (default weight where weights runs out).
func nodes(n int, weights ...int) []*loadbalance.Node {
	out := make([]*loadbalance.Node, n)
	for i := range out {
		inst := discovery.TCP(fmt.Sprintf("10.0.0.%d:80", i))
		if i < len(weights) {
			inst.Weight = weights[i]
		}
		out[i] = loadbalance.NewNode(inst, i)
	}
	return out
}

func info() *rpcinfo.Info { return &rpcinfo.Info{Role: rpcinfo.Client, Service: "S", Method: "m"} }

// pick picks once, failing the test on an error.
func pick(t testing.TB, p loadbalance.Picker) *loadbalance.Node {
	t.Helper()
	n, err := p.Pick(context.Background(), info())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// call picks a node and makes a call to it that takes d and fails if
// fail says so.
func call(t testing.TB, p loadbalance.Picker, d time.Duration, fail func(*loadbalance.Node) bool) *loadbalance.Node {
	t.Helper()
	n := pick(t, p)
	n.Start()
	n.End(d, fail(n))
	return n
}

// counts picks k times and counts the picks of each node, by Transport.
func counts(t testing.TB, p loadbalance.Picker, k int) map[int]int {
	t.Helper()
	c := map[int]int{}
	for range k {
		c[pick(t, p).Transport.(int)]++
	}
	return c
}
