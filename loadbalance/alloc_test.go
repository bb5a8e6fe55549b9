//go:build !race

package loadbalance_test

import (
	"context"
	"testing"
	"time"
)

func TestPickAllocs(t *testing.T) {
	for name, b := range balancers() {
		t.Run(name, func(t *testing.T) {
			p := b.Build(nodes(10))
			ctx, ri := ctxWithKey("user-1"), info()
			if n := testing.AllocsPerRun(1000, func() {
				n, _ := p.Pick(ctx, ri)
				n.Start()
				n.End(time.Millisecond, false)
			}); n != 0 {
				t.Errorf("Pick+Start+End: %v allocations, want 0", n)
			}
			if n := testing.AllocsPerRun(1000, func() { p.Pick(context.Background(), ri) }); n != 0 {
				t.Errorf("Pick without a key: %v allocations, want 0", n)
			}
		})
	}
}
