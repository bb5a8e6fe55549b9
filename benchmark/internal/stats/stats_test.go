package stats

import (
	"math/rand/v2"
	"sort"
	"testing"
	"time"
)

func TestPercentilesWithinPrecision(t *testing.T) {
	var h Histogram
	var all []time.Duration
	for i := 0; i < 100000; i++ {
		d := time.Duration(rand.ExpFloat64() * float64(200*time.Microsecond))
		h.Record(d)
		all = append(all, d)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	for _, p := range []float64{0.5, 0.9, 0.99, 0.999} {
		exact := all[int(p*float64(len(all)))-1]
		got := h.Percentile(p)
		if diff := float64(got-exact) / float64(exact); diff > 0.02 || diff < -0.02 {
			t.Errorf("p%v = %v, exact %v", p*100, got, exact)
		}
	}
	if h.Count() != 100000 {
		t.Errorf("Count = %d", h.Count())
	}
}

func TestBucketsRoundTrip(t *testing.T) {
	for _, v := range []uint64{0, 1, 127, 128, 129, 1000, 1 << 20, 123456789, 1 << 40} {
		b := bucketOf(v)
		lo := lowerBound(b)
		if lo > v || (b+1 < buckets && lowerBound(b+1) <= v) {
			t.Errorf("value %d in bucket %d [%d, %d)", v, b, lo, lowerBound(b+1))
		}
	}
}

func TestMergeAndMedian(t *testing.T) {
	var a, b Histogram
	a.Record(time.Millisecond)
	b.Record(3 * time.Millisecond)
	a.Merge(&b)
	if a.Count() != 2 || a.Percentile(1) < 2900*time.Microsecond {
		t.Errorf("merged: n=%d max=%v", a.Count(), a.Percentile(1))
	}
	if Median([]float64{3, 1, 2}) != 2 || Median([]float64{4, 1, 3, 2}) != 2.5 || Median(nil) != 0 {
		t.Error("Median")
	}
}
