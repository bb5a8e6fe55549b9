package loadbalance_test

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/ospreyrpc/osprey/loadbalance"
)

// eject makes every call to n fail until its health ejects it.
func eject(t *testing.T, p loadbalance.Picker, n *loadbalance.Node) {
	t.Helper()
	for range 5 {
		n.Start()
		n.End(time.Millisecond, true)
	}
	if n.Available() {
		t.Fatal("node still available after 5 failures in a row")
	}
}

func TestRoundRobin(t *testing.T) {
	ns := nodes(3)
	p := loadbalance.RoundRobin().Build(ns)
	got := ""
	for range 6 {
		got += string(rune('a' + pick(t, p).Transport.(int)))
	}
	if want := "abcabc"; got != want {
		t.Fatalf("sequence %q, want %q", got, want)
	}
	eject(t, p, ns[1])
	if c := counts(t, p, 300); c[1] != 0 || c[0]+c[2] != 300 {
		t.Fatalf("picks with node 1 out: %v", c)
	}
}

func TestWeightedRoundRobinSmooth(t *testing.T) {
	p := loadbalance.WeightedRoundRobin().Build(nodes(3, 5, 1, 1))
	got := ""
	for range 14 {
		got += string(rune('a' + pick(t, p).Transport.(int)))
	}
	if want := "aabacaaaabacaa"; got != want {
		t.Fatalf("sequence %q, want %q", got, want)
	}
}

func TestWeightedRoundRobinShares(t *testing.T) {
	ns := nodes(4, 100, 200, 0, 300) // 0: the default weight, 100
	p := loadbalance.WeightedRoundRobin().Build(ns)
	c := counts(t, p, 7000)
	for i, want := range []int{1000, 2000, 1000, 3000} {
		if c[i] != want {
			t.Errorf("node %d: %d picks, want %d (%v)", i, c[i], want, c)
		}
	}
	eject(t, p, ns[3])
	c = counts(t, p, 4000)
	for i, want := range []int{1000, 2000, 1000, 0} {
		if math.Abs(float64(c[i]-want)) > 2 {
			t.Errorf("node 3 out: node %d: %d picks, want %d (%v)", i, c[i], want, c)
		}
	}
}

func TestWeightedRandomShares(t *testing.T) {
	ns := nodes(3, 100, 300, 0)
	p := loadbalance.WeightedRandom().Build(ns)
	const k = 50000
	c := counts(t, p, k)
	for i, want := range []float64{0.2, 0.6, 0.2} {
		if got := float64(c[i]) / k; math.Abs(got-want) > 0.02 {
			t.Errorf("node %d: share %.3f, want %.2f", i, got, want)
		}
	}
	eject(t, p, ns[1])
	c = counts(t, p, k)
	if c[1] != 0 || math.Abs(float64(c[0])/k-0.5) > 0.02 {
		t.Errorf("node 1 out: %v", c)
	}
}

// TestPanicMode checks that every picker falls back to all nodes when none
// is available.
func TestPanicMode(t *testing.T) {
	for name, b := range balancers() {
		t.Run(name, func(t *testing.T) {
			ns := nodes(3)
			p := loadbalance.WithHealth(b, loadbalance.HealthPolicy{MaxEjectedPercent: 100}).Build(ns)
			for _, n := range ns {
				eject(t, p, n)
			}
			seen := map[int]bool{}
			for i := range 300 {
				n, err := p.Pick(ctxWithKey(fmt.Sprint(i)), info())
				if err != nil {
					t.Fatal(err)
				}
				seen[n.Transport.(int)] = true
			}
			if len(seen) != 3 {
				t.Fatalf("with every node out, picks went to %d of 3", len(seen))
			}
		})
	}
}

func balancers() map[string]loadbalance.Balancer {
	return map[string]loadbalance.Balancer{
		"RoundRobin":         loadbalance.RoundRobin(),
		"WeightedRoundRobin": loadbalance.WeightedRoundRobin(),
		"WeightedRandom":     loadbalance.WeightedRandom(),
		"ConsistentHash":     loadbalance.ConsistentHash(loadbalance.HashContext(ctxKey{})),
		"P2C":                loadbalance.P2C(),
	}
}
