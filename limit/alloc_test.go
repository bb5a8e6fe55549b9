//go:build !race

package limit_test

import (
	"testing"
	"time"

	"github.com/ospreyrpc/osprey/limit"
)

func TestAcquireReleaseAllocateNothing(t *testing.T) {
	for name, p := range map[string]limit.Policy{
		"qps":         {QPS: 1e9, Burst: 1 << 20},
		"concurrency": {MaxInFlight: 10},
		"all":         {QPS: 1e9, Burst: 1 << 20, MaxInFlight: 10, Adaptive: &limit.AdaptivePolicy{Window: time.Millisecond}},
	} {
		l, err := limit.New(p)
		if err != nil {
			t.Fatal(err)
		}
		allocs := testing.AllocsPerRun(10000, func() {
			tk, r := l.Acquire()
			if r != limit.Admitted {
				t.Fatal(r)
			}
			l.Release(tk)
		})
		if allocs != 0 {
			t.Errorf("%s: %v allocations per call, want 0", name, allocs)
		}
	}
}

func BenchmarkAcquireRelease(b *testing.B) {
	l, _ := limit.New(limit.Policy{QPS: 1e9, Burst: 1 << 20, MaxInFlight: 1 << 20, Adaptive: &limit.AdaptivePolicy{}})
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			tk, _ := l.Acquire()
			l.Release(tk)
		}
	})
}
