package loadbalance_test

import (
	"testing"
	"time"
)

// weights of the benchmarks' 10 nodes.
var benchWeights = []int{100, 200, 100, 300, 100, 100, 50, 100, 100, 100}

func BenchmarkPick(b *testing.B) {
	for name, bal := range balancers() {
		b.Run(name, func(b *testing.B) {
			p := bal.Build(nodes(10, benchWeights...))
			ctx, ri := ctxWithKey("user-42"), info()
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					p.Pick(ctx, ri)
				}
			})
		})
	}
}

// BenchmarkPickStartEnd adds the bookkeeping of a call: in-flight count,
// latency average and health.
func BenchmarkPickStartEnd(b *testing.B) {
	for name, bal := range balancers() {
		b.Run(name, func(b *testing.B) {
			p := bal.Build(nodes(10, benchWeights...))
			ctx, ri := ctxWithKey("user-42"), info()
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					n, _ := p.Pick(ctx, ri)
					n.Start()
					n.End(time.Millisecond, false)
				}
			})
		})
	}
}
