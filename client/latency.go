package client

import (
	"math"
	"math/bits"
	"sync/atomic"
	"time"
)

// latencyBuckets is the number of buckets of a latency histogram: four per
// power of two of nanoseconds, up to 2^63.
const latencyBuckets = 64 * 4

// latencyMinSamples is how many samples the current and previous windows
// must hold together before their percentile replaces the fixed delay.
const latencyMinSamples = 100

// latencyPeriod is how long a window lasts; the percentile covers the
// current window and the one before, so between one and two periods.
const latencyPeriod = 10 * time.Second

// latencyWindow records a method's recent attempt latencies and answers
// one percentile of them, for backup requests. Recording costs two atomic
// adds; the percentile is worked out again every 64 samples.
type latencyWindow struct {
	pct      float64
	fallback time.Duration
	cached   atomic.Int64 // the percentile, ns; 0 until there are enough samples
	hist     [2]latencyHist
	cur      atomic.Uint32 // index of the current window
	rotated  atomic.Int64  // when cur last changed, unix ns
}

type latencyHist struct {
	total  atomic.Int64
	counts [latencyBuckets]atomic.Int64
}

func newLatencyWindow(pct float64, fallback time.Duration) *latencyWindow {
	w := &latencyWindow{pct: pct, fallback: fallback}
	w.rotated.Store(time.Now().UnixNano())
	return w
}

// bucketOf returns the histogram bucket of d: the position of its top bit
// and the two bits below it.
func bucketOf(d time.Duration) int {
	if d <= 0 {
		return 0
	}
	n := bits.Len64(uint64(d)) // 1..63
	if n < 3 {
		return n * 4
	}
	return n*4 + int(uint64(d)>>(n-3)&3)
}

// bucketTop returns the largest duration of bucket i.
func bucketTop(i int) time.Duration {
	n, sub := i/4, i%4
	if n < 3 {
		return time.Duration(1)<<n - 1
	}
	// Top bit n-1, then the two bits sub, then all ones.
	return time.Duration((4|uint64(sub))<<(n-3) | (1<<(n-3) - 1))
}

// record adds one attempt's latency at now.
func (w *latencyWindow) record(d time.Duration, now time.Time) {
	if at := w.rotated.Load(); now.UnixNano()-at > int64(latencyPeriod) && w.rotated.CompareAndSwap(at, now.UnixNano()) {
		next := 1 - w.cur.Load()
		h := &w.hist[next]
		for i := range h.counts {
			h.counts[i].Store(0)
		}
		h.total.Store(0)
		w.cur.Store(next)
	}
	h := &w.hist[w.cur.Load()]
	h.counts[bucketOf(d)].Add(1)
	if h.total.Add(1)%64 == 0 {
		w.update()
	}
}

// update works out the percentile of both windows.
func (w *latencyWindow) update() {
	total := w.hist[0].total.Load() + w.hist[1].total.Load()
	if total < latencyMinSamples {
		return
	}
	want := max(int64(math.Ceil(float64(total)*w.pct/100)), 1) // the rank of the percentile
	var seen int64
	for i := range latencyBuckets {
		seen += w.hist[0].counts[i].Load() + w.hist[1].counts[i].Load()
		if seen >= want {
			w.cached.Store(int64(bucketTop(i)))
			return
		}
	}
}

// delay returns the percentile, or the fallback delay until there are
// enough samples.
func (w *latencyWindow) delay() time.Duration {
	if d := w.cached.Load(); d > 0 {
		return time.Duration(d)
	}
	return w.fallback
}
