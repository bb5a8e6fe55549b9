package stats

import (
	"math/bits"
	"time"
)

// subBits sets the precision: each power of two is split into 2^subBits
// buckets, so a recorded value is off by less than 1/2^subBits (under 1%).
const subBits = 7

const buckets = 64 << subBits

// Histogram counts durations. The zero value is empty and ready. Not safe
// for concurrent use: give each goroutine its own and Merge them.
type Histogram struct {
	counts [buckets]uint64
	n      uint64
	max    time.Duration
}

func bucketOf(ns uint64) int {
	if ns < 1<<subBits {
		return int(ns)
	}
	exp := bits.Len64(ns) - 1 - subBits
	return (exp+1)<<subBits | int(ns>>uint(exp))&(1<<subBits-1)
}

// lowerBound returns the smallest value bucket b holds.
func lowerBound(b int) uint64 {
	if b < 1<<subBits {
		return uint64(b)
	}
	exp := b>>subBits - 1
	return (1<<subBits | uint64(b)&(1<<subBits-1)) << uint(exp)
}

// Record adds one duration.
func (h *Histogram) Record(d time.Duration) {
	if d < 0 {
		d = 0
	}
	h.counts[bucketOf(uint64(d))]++
	h.n++
	if d > h.max {
		h.max = d
	}
}

// Merge adds o's counts to h.
func (h *Histogram) Merge(o *Histogram) {
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.n += o.n
	h.max = max(h.max, o.max)
}

// Count returns how many durations were recorded.
func (h *Histogram) Count() uint64 { return h.n }

// Percentile returns the duration below which fraction p (0 to 1) of the
// recorded durations fall, to the histogram's precision.
func (h *Histogram) Percentile(p float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	rank := uint64(p*float64(h.n) + 0.5)
	rank = min(max(rank, 1), h.n)
	var seen uint64
	for b, c := range h.counts {
		seen += c
		if seen >= rank {
			return min(time.Duration(lowerBound(b)), h.max)
		}
	}
	return h.max
}
