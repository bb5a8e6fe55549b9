package loadbalance_test

import (
	"container/heap"
	"testing"
	"time"

	"github.com/ospreyrpc/osprey/loadbalance"
)

// completion is a simulated call that ends at a time.
type completion struct {
	at   time.Duration
	node *loadbalance.Node
	took time.Duration
}

type completions []completion

func (c completions) Len() int           { return len(c) }
func (c completions) Less(i, j int) bool { return c[i].at < c[j].at }
func (c completions) Swap(i, j int)      { c[i], c[j] = c[j], c[i] }
func (c *completions) Push(x any)        { *c = append(*c, x.(completion)) }
func (c *completions) Pop() any {
	old := *c
	x := old[len(old)-1]
	*c = old[:len(old)-1]
	return x
}

// loop simulates workers that each call, wait for the reply and call
// again, on a fake clock, until the clock has moved by d. latency gives
// each node's latency. It returns the picks of each node, by Transport.
type loop struct {
	t       *testing.T
	p       loadbalance.Picker
	clock   *fakeClock
	pending completions
}

func newLoop(t *testing.T, p loadbalance.Picker, clock *fakeClock, workers int, latency func(*loadbalance.Node) time.Duration) *loop {
	l := &loop{t: t, p: p, clock: clock}
	for range workers {
		l.start(latency)
	}
	return l
}

func (l *loop) start(latency func(*loadbalance.Node) time.Duration) int {
	n := pick(l.t, l.p)
	n.Start()
	d := latency(n)
	heap.Push(&l.pending, completion{at: l.clock.now() + d, node: n, took: d})
	return n.Transport.(int)
}

func (l *loop) run(d time.Duration, latency func(*loadbalance.Node) time.Duration) map[int]int {
	picks := map[int]int{}
	end := l.clock.now() + d
	for l.clock.now() < end {
		c := heap.Pop(&l.pending).(completion)
		l.clock.advance(c.at - l.clock.now())
		c.node.End(c.took, false)
		picks[l.start(latency)]++
	}
	return picks
}

func share(picks map[int]int, i int) float64 {
	total := 0
	for _, c := range picks {
		total += c
	}
	return float64(picks[i]) / float64(total)
}

func TestP2CAvoidsSlowNode(t *testing.T) {
	clock := newClock()
	ns := nodes(3)
	p := loadbalance.WithClock(loadbalance.P2C(), clock.now).Build(ns)
	slow := true
	latency := func(n *loadbalance.Node) time.Duration {
		if n.Transport.(int) == 2 && slow {
			return 51 * time.Millisecond
		}
		return time.Millisecond
	}
	l := newLoop(t, p, clock, 8, latency)
	picks := l.run(30*time.Second, latency)
	s := share(picks, 2)
	t.Logf("slow node: %.4f of %v", s, picks)
	if s >= 0.10 {
		t.Errorf("the node 50 ms slower got %.3f of the picks, want < 0.10", s)
	}
	if picks[2] == 0 {
		t.Errorf("the slow node was never tried again in 30 s")
	}

	// It recovers: as its average fades it is tried again, and then takes
	// its share.
	slow = false
	l.run(30*time.Second, latency)
	picks = l.run(10*time.Second, latency)
	s = share(picks, 2)
	t.Logf("recovered node: %.4f of %v", s, picks)
	if s < 0.25 {
		t.Errorf("the recovered node got %.3f of the picks, want about 1/3", s)
	}
}

func TestP2CTriesNewNodes(t *testing.T) {
	clock := newClock()
	ns := nodes(2)
	p := loadbalance.WithClock(loadbalance.P2C(), clock.now).Build(ns)
	ns[0].Start()
	ns[0].End(time.Millisecond, false)
	// Node 1 has no sample: it is tried first, and only once at a time.
	if n := pick(t, p); n != ns[1] {
		t.Fatalf("picked node %v, want the one without a sample", n.Transport)
	}
	ns[1].Start()
	if n := pick(t, p); n != ns[0] {
		t.Fatalf("picked node %v while the probe of node 1 is in flight", n.Transport)
	}
}

func TestP2CPrefersFewerInFlight(t *testing.T) {
	clock := newClock()
	ns := nodes(2)
	p := loadbalance.WithClock(loadbalance.P2C(), clock.now).Build(ns)
	for _, n := range ns {
		n.Start()
		n.End(10*time.Millisecond, false)
	}
	for range 3 {
		ns[0].Start()
	}
	for range 20 {
		if n := pick(t, p); n != ns[1] {
			t.Fatal("picked the node with 3 calls in flight over an idle one of the same latency")
		}
	}
}
