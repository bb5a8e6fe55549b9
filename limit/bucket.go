package limit

import (
	"math"
	"sync/atomic"
)

// bucket is a token bucket kept as the generic cell rate algorithm: tat,
// the theoretical arrival time, is when the bucket would be full again.
// A call at now passes if, after it, the bucket is not more than burst
// tokens in debt: max(tat, now) + interval - now <= span.
type bucket struct {
	interval int64 // nanoseconds per token
	span     int64 // burst × interval
	tat      atomic.Int64
}

func newBucket(qps float64, burst int) *bucket {
	iv := max(1, int64(math.Round(1e9/qps)))
	return &bucket{interval: iv, span: int64(burst) * iv}
}

// take takes a token at now, reporting whether there was one.
func (b *bucket) take(now int64) bool {
	for {
		tat := b.tat.Load()
		next := max(tat, now) + b.interval
		if next-now > b.span {
			return false
		}
		if b.tat.CompareAndSwap(tat, next) {
			return true
		}
	}
}

// refund gives a token back.
func (b *bucket) refund() { b.tat.Add(-b.interval) }
