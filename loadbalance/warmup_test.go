package loadbalance_test

import (
	"math"
	"testing"
	"time"

	"github.com/ospreyrpc/osprey/loadbalance"
)

func TestWarmUp(t *testing.T) {
	for name, b := range map[string]loadbalance.Balancer{
		"WeightedRoundRobin": loadbalance.WeightedRoundRobin(),
		"WeightedRandom":     loadbalance.WeightedRandom(),
	} {
		t.Run(name, func(t *testing.T) {
			clock := newClock()
			b := loadbalance.WithClock(loadbalance.WithWarmUp(b, 10*time.Second), clock.now)
			ns := nodes(3)
			// The first build's nodes start at full weight.
			if c := counts(t, b.Build(ns[:2]), 20000); math.Abs(share(c, 1)-0.5) > 0.02 {
				t.Fatalf("first nodes: shares %v, want even", c)
			}
			// A node added later ramps up from 10% to 100% of its weight.
			p := b.Build(ns)
			for _, step := range []struct {
				at   time.Duration
				want float64 // share of the new node
			}{
				{0, 10.0 / 210},
				{5 * time.Second, 55.0 / 255},
				{10 * time.Second, 1.0 / 3},
				{time.Minute, 1.0 / 3},
			} {
				clock.t.Store(int64(time.Hour + step.at))
				c := counts(t, p, 30000)
				if got := share(c, 2); math.Abs(got-step.want) > 0.015 {
					t.Errorf("at %v: new node's share %.3f, want %.3f", step.at, got, step.want)
				}
			}
		})
	}
}

func TestWarmUpP2C(t *testing.T) {
	clock := newClock()
	b := loadbalance.WithClock(loadbalance.WithWarmUp(loadbalance.P2C(), 10*time.Second), clock.now)
	ns := nodes(3)
	b.Build(ns[:2])
	p := b.Build(ns)
	for _, n := range ns {
		n.Start()
		n.End(time.Millisecond, false)
	}
	// Equal latency and load: the warming node costs 10 times as much,
	// so it loses every comparison.
	if c := counts(t, p, 1000); c[2] != 0 {
		t.Fatalf("warming node picked %d times of 1000", c[2])
	}
	clock.advance(10 * time.Second)
	for _, n := range ns { // fresh samples after the wait
		n.Start()
		n.End(time.Millisecond, false)
	}
	if c := counts(t, p, 3000); c[2] < 700 {
		t.Fatalf("warm node picked %d times of 3000", c[2])
	}
}

func TestWithInstanceKeepsState(t *testing.T) {
	clock := newClock()
	b := loadbalance.WithClock(loadbalance.WithWarmUp(loadbalance.WeightedRoundRobin(), 10*time.Second), clock.now)
	ns := nodes(3)
	b.Build(ns[:2])
	b.Build(ns) // node 2 warms up
	ns[2].Start()
	changed := ns[2].WithInstance(ns[2].Instance) // e.g. new tags
	if changed.InFlight() != 1 || changed.Transport != ns[2].Transport {
		t.Fatalf("in flight %d, transport %v: state not shared", changed.InFlight(), changed.Transport)
	}
	changed.End(time.Millisecond, false)
	if ns[2].InFlight() != 0 || ns[2].Latency() != time.Millisecond {
		t.Fatalf("in flight %d, latency %v after End on the new node", ns[2].InFlight(), ns[2].Latency())
	}
	p := b.Build([]*loadbalance.Node{ns[0], ns[1], changed})
	if got := share(counts(t, p, 21000), 2); math.Abs(got-10.0/210) > 0.01 {
		t.Fatalf("changed node's share %.3f: its warm-up started again or ended", got)
	}
}
