package loadbalance_test

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/ospreyrpc/osprey/loadbalance"
	"github.com/ospreyrpc/osprey/metainfo"
	"github.com/ospreyrpc/osprey/rpcinfo"
)

type ctxKey struct{}

func ctxWithKey(k string) context.Context {
	return context.WithValue(context.Background(), ctxKey{}, k)
}

// owners maps each of k keys to the address of the node the picker
// sends it to.
func owners(t *testing.T, p loadbalance.Picker, k int) []string {
	t.Helper()
	out := make([]string, k)
	for i := range out {
		n, err := p.Pick(ctxWithKey(fmt.Sprintf("key-%d", i)), info())
		if err != nil {
			t.Fatal(err)
		}
		out[i] = n.Instance.Addr
	}
	return out
}

func TestConsistentHashRemap(t *testing.T) {
	const n, keys = 10, 10000
	b := loadbalance.ConsistentHash(loadbalance.HashContext(ctxKey{}))
	all := nodes(n + 1)
	before := owners(t, b.Build(all[:n]), keys)

	// Even spread: every node owns a fair share.
	share := map[string]int{}
	for _, o := range before {
		share[o]++
	}
	for addr, c := range share {
		if c < keys/n/2 || c > keys/n*2 {
			t.Errorf("%s owns %d keys of %d", addr, c, keys)
		}
	}

	// Adding a node moves about 1/(N+1) of the keys, all to it.
	added := all[n].Instance.Addr
	after := owners(t, b.Build(all), keys)
	moved := 0
	for i := range before {
		if before[i] != after[i] {
			moved++
			if after[i] != added {
				t.Fatalf("key %d moved from %s to %s, not to the new node", i, before[i], after[i])
			}
		}
	}
	checkMoved(t, "add", moved, keys, n+1)

	// Removing one moves its keys only.
	removed := all[3].Instance.Addr
	rest := append(append([]*loadbalance.Node{}, all[:3]...), all[4:n]...)
	after = owners(t, b.Build(rest), keys)
	moved = 0
	for i := range before {
		if before[i] != after[i] {
			moved++
			if before[i] != removed {
				t.Fatalf("key %d moved from %s, which was not removed", i, before[i])
			}
		}
	}
	checkMoved(t, "remove", moved, keys, n)
}

func checkMoved(t *testing.T, what string, moved, keys, n int) {
	t.Helper()
	frac, want := float64(moved)/float64(keys), 1/float64(n)
	if frac < 0.5*want || frac > 1.5*want {
		t.Errorf("%s: %.3f of keys moved, want about %.3f", what, frac, want)
	}
	t.Logf("%s: %.3f of keys moved (1/N = %.3f)", what, frac, want)
}

func TestConsistentHashStable(t *testing.T) {
	b := loadbalance.ConsistentHash(loadbalance.HashContext(ctxKey{}))
	ns := nodes(5)
	first := owners(t, b.Build(ns), 1000)
	if again := owners(t, b.Build(ns), 1000); fmt.Sprint(again) != fmt.Sprint(first) {
		t.Fatal("the same picker sent keys to other nodes")
	}
	// A rebuild with the same instances, in another order and as new
	// nodes (another client), places keys alike.
	other := nodes(5)
	reversed := []*loadbalance.Node{other[4], other[3], other[2], other[1], other[0]}
	if again := owners(t, b.Build(reversed), 1000); fmt.Sprint(again) != fmt.Sprint(first) {
		t.Fatal("a rebuild with the same set sent keys to other nodes")
	}
}

func TestConsistentHashUnavailable(t *testing.T) {
	b := loadbalance.ConsistentHash(loadbalance.HashContext(ctxKey{}))
	ns := nodes(5)
	p := b.Build(ns)
	before := owners(t, p, 2000)
	eject(t, p, ns[2])
	after := owners(t, p, 2000)
	out := ns[2].Instance.Addr
	for i := range before {
		switch {
		case after[i] == out:
			t.Fatalf("key %d still goes to the ejected node", i)
		case before[i] != out && after[i] != before[i]:
			t.Fatalf("key %d moved from %s although its node is in", i, before[i])
		}
	}
}

func TestConsistentHashWeights(t *testing.T) {
	p := loadbalance.ConsistentHash(loadbalance.HashContext(ctxKey{}), loadbalance.VirtualNodes(200)).Build(nodes(2, 100, 300))
	share := map[string]int{}
	for _, o := range owners(t, p, 20000) {
		share[o]++
	}
	if got := float64(share["10.0.0.1:80"]) / 20000; math.Abs(got-0.75) > 0.05 {
		t.Errorf("weight 300 of 400 owns %.3f of the keys", got)
	}
}

func TestConsistentHashNoKey(t *testing.T) {
	p := loadbalance.ConsistentHash(loadbalance.HashContext(ctxKey{})).Build(nodes(4))
	c := counts(t, p, 8000) // no key: weighted random
	for i := range 4 {
		if c[i] < 1600 || c[i] > 2400 {
			t.Errorf("no key: node %d has %d of 8000 picks", i, c[i])
		}
	}
}

func TestKeyFuncs(t *testing.T) {
	ctx := metainfo.WithPersistent(context.Background(), "user", "p")
	ctx = metainfo.WithTransient(ctx, "user", "t")
	ctx = metainfo.WithPersistent(ctx, "tenant", "acme")
	ri := &rpcinfo.Info{Metadata: *metainfo.FromContext(ctx)}
	for _, c := range []struct {
		f    loadbalance.KeyFunc
		ctx  context.Context
		ri   *rpcinfo.Info
		want string
		ok   bool
	}{
		{loadbalance.HashMetadata("user"), ctx, ri, "t", true},
		{loadbalance.HashMetadata("tenant"), ctx, ri, "acme", true},
		{loadbalance.HashMetadata("none"), ctx, ri, "", false},
		{loadbalance.HashMetadata("user"), ctx, info(), "", false},
		{loadbalance.HashContext(ctxKey{}), ctxWithKey("x"), ri, "x", true},
		{loadbalance.HashContext(ctxKey{}), ctxWithKey(""), ri, "", false},
		{loadbalance.HashContext(ctxKey{}), context.WithValue(context.Background(), ctxKey{}, 7), ri, "", false},
		{loadbalance.HashContext(ctxKey{}), context.Background(), ri, "", false},
	} {
		got, ok := c.f(c.ctx, c.ri)
		if got != c.want || ok != c.ok {
			t.Errorf("got %q %v, want %q %v", got, ok, c.want, c.ok)
		}
	}
}

func TestHashMetadataPicks(t *testing.T) {
	p := loadbalance.ConsistentHash(loadbalance.HashMetadata("user")).Build(nodes(8))
	pickFor := func(user string) string {
		md := *metainfo.FromContext(metainfo.WithTransient(context.Background(), "user", user))
		n, err := p.Pick(context.Background(), &rpcinfo.Info{Metadata: md})
		if err != nil {
			t.Fatal(err)
		}
		return n.Instance.Addr
	}
	seen := map[string]bool{}
	for i := range 100 {
		u := fmt.Sprint("u", i)
		a := pickFor(u)
		if b := pickFor(u); a != b {
			t.Fatalf("user %s went to %s, then %s", u, a, b)
		}
		seen[a] = true
	}
	if len(seen) < 4 {
		t.Fatalf("100 users went to %d nodes", len(seen))
	}
}
