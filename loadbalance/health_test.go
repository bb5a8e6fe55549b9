package loadbalance_test

import (
	"testing"
	"time"

	"github.com/ospreyrpc/osprey/loadbalance"
)

func TestFailingNodeEjectedAndBack(t *testing.T) {
	clock := newClock()
	b := loadbalance.WithClock(loadbalance.WithHealth(loadbalance.WeightedRoundRobin(), loadbalance.HealthPolicy{EjectFor: time.Second}), clock.now)
	ns := nodes(3)
	p := b.Build(ns)
	broken := true
	fail := func(n *loadbalance.Node) bool { return broken && n == ns[1] }
	// 5 failures in a row eject it: within 15 calls of the three.
	for range 15 {
		call(t, p, time.Millisecond, fail)
	}
	if ns[1].Available() {
		t.Fatal("node failing every call still available after 5 failures")
	}
	if c := counts(t, p, 300); c[1] != 0 {
		t.Fatalf("ejected node picked %d times", c[1])
	}
	// After EjectFor it gets one probe; the probe fails; it is out for
	// twice as long.
	clock.advance(time.Second)
	if !ns[1].Available() {
		t.Fatal("node not available for a probe after EjectFor")
	}
	for i := 0; ns[1].Available(); i++ {
		if i > 10 {
			t.Fatal("probe not picked within 10 picks")
		}
		call(t, p, time.Millisecond, fail)
	}
	clock.advance(time.Second)
	if ns[1].Available() {
		t.Fatal("node back after EjectFor although its probe failed: no backoff")
	}
	// It recovers; after the longer ejection its probe succeeds, and it
	// takes its share again.
	broken = false
	clock.advance(time.Second)
	c := map[int]int{}
	for range 300 {
		c[call(t, p, time.Millisecond, fail).Transport.(int)]++
	}
	if c[1] < 90 || loadbalance.Ejected(ns[1]) {
		t.Fatalf("recovered node picked %d times of 300 (ejected: %v)", c[1], loadbalance.Ejected(ns[1]))
	}
}

// failEvery returns a fail function failing the given number of calls of
// every 100 to node bad, spread evenly (never two in a row below 50).
func failEvery(bad *loadbalance.Node, per100 int) func(*loadbalance.Node) bool {
	calls := 0
	return func(n *loadbalance.Node) bool {
		if n != bad {
			return false
		}
		calls++
		return calls*per100%100 < per100
	}
}

func TestOutlierEjection(t *testing.T) {
	for _, c := range []struct {
		per100 int
		eject  bool
	}{{30, true}, {1, false}, {10, false}} {
		clock := newClock()
		b := loadbalance.WithClock(loadbalance.WithHealth(loadbalance.RoundRobin(), loadbalance.HealthPolicy{ErrorRate: 2, ConsecutiveFailures: -1}), clock.now)
		ns := nodes(4)
		p := b.Build(ns)
		fail := failEvery(ns[0], c.per100)
		ejected := false
		for range 1000 {
			call(t, p, time.Millisecond, fail)
			clock.advance(time.Millisecond)
			ejected = ejected || loadbalance.Ejected(ns[0])
		}
		if ejected != c.eject {
			t.Errorf("%d%% errors among peers with none: ejected %v, want %v", c.per100, ejected, c.eject)
		}
		for _, n := range ns[1:] {
			if loadbalance.Ejected(n) {
				t.Errorf("%d%%: a healthy peer was ejected", c.per100)
			}
		}
	}
}

func TestErrorRateEjection(t *testing.T) {
	// Peers fail as often (all at 60%): not an outlier, but over the
	// absolute ErrorRate.
	clock := newClock()
	b := loadbalance.WithClock(loadbalance.WithHealth(loadbalance.RoundRobin(), loadbalance.HealthPolicy{ConsecutiveFailures: -1, MaxEjectedPercent: 100}), clock.now)
	ns := nodes(2)
	p := b.Build(ns)
	i := 0
	fail := func(*loadbalance.Node) bool { i++; return i%5 < 3 }
	for range 100 {
		call(t, p, time.Millisecond, fail)
	}
	if !loadbalance.Ejected(ns[0]) && !loadbalance.Ejected(ns[1]) {
		t.Fatal("nodes failing 60% of calls not ejected")
	}
	// Off, it does not.
	b = loadbalance.WithClock(loadbalance.WithHealth(loadbalance.RoundRobin(), loadbalance.HealthPolicy{ConsecutiveFailures: -1, ErrorRate: 2, OutlierMargin: 1}), clock.now)
	ns = nodes(2)
	p = b.Build(ns)
	for range 100 {
		call(t, p, time.Millisecond, func(*loadbalance.Node) bool { return true })
	}
	if loadbalance.Ejected(ns[0]) || loadbalance.Ejected(ns[1]) {
		t.Fatal("ejected with every rule off")
	}
}

func TestMaxEjectedPercent(t *testing.T) {
	for _, c := range []struct{ percent, max int }{{0, 5}, {20, 2}, {100, 10}, {1, 0}} {
		clock := newClock()
		b := loadbalance.WithClock(loadbalance.WithHealth(loadbalance.WeightedRandom(), loadbalance.HealthPolicy{MaxEjectedPercent: c.percent, EjectFor: 10 * time.Millisecond}), clock.now)
		ns := nodes(10)
		p := b.Build(ns)
		most := 0
		for range 5000 {
			call(t, p, time.Millisecond, func(*loadbalance.Node) bool { return true })
			clock.advance(time.Millisecond)
			out := 0
			for _, n := range ns {
				if loadbalance.Ejected(n) {
					out++
				}
			}
			if out > c.max {
				t.Fatalf("MaxEjectedPercent %d: %d of 10 nodes out", c.percent, out)
			}
			most = max(most, out)
		}
		if most != c.max {
			t.Errorf("MaxEjectedPercent %d: at most %d of 10 out at once, want %d", c.percent, most, c.max)
		}
	}
}

func TestHealthPolicyValidate(t *testing.T) {
	for _, p := range []loadbalance.HealthPolicy{
		{Window: -1}, {MinCalls: -1}, {ErrorRate: -1}, {OutlierMargin: -0.1},
		{EjectFor: -1}, {EjectFor: time.Hour, MaxEjectFor: time.Minute}, {HalfOpenProbes: -1},
		{MaxEjectedPercent: -1}, {MaxEjectedPercent: 101},
	} {
		if p.Validate() == nil {
			t.Errorf("%+v: no error", p)
		}
	}
	if err := (loadbalance.HealthPolicy{}).Validate(); err != nil {
		t.Error(err)
	}
	mustPanic(t, "WithHealth", func() { loadbalance.WithHealth(loadbalance.P2C(), loadbalance.HealthPolicy{MinCalls: -1}) })
	mustPanic(t, "WithWarmUp", func() { loadbalance.WithWarmUp(loadbalance.P2C(), -time.Second) })
	mustPanic(t, "VirtualNodes", func() { loadbalance.VirtualNodes(0) })
	mustPanic(t, "ConsistentHash", func() { loadbalance.ConsistentHash(nil) })
}

func mustPanic(t *testing.T, name string, f func()) {
	t.Helper()
	defer func() {
		if recover() == nil {
			t.Errorf("%s did not panic", name)
		}
	}()
	f()
}

func TestNoHealthWithoutSetUp(t *testing.T) {
	// A custom balancer that does not wrap sees nodes always available.
	ns := nodes(2)
	loadbalance.BalancerFunc(func(nodes []*loadbalance.Node) loadbalance.Picker { return nil }).Build(ns)
	for range 10 {
		ns[1].Start()
		ns[1].End(time.Millisecond, true)
	}
	if !ns[1].Available() {
		t.Fatal("node never set up by a balancer was ejected")
	}
}
