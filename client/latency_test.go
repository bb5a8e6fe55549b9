package client

import (
	"testing"
	"time"
)

func TestLatencyBuckets(t *testing.T) {
	prev := -1
	for _, d := range []time.Duration{0, 1, 2, 3, 4, 5, 7, 8, 100, 1000, time.Millisecond, time.Second, time.Hour} {
		b := bucketOf(d)
		if b < prev {
			t.Fatalf("bucketOf(%v) = %d, below the previous %d", d, b, prev)
		}
		prev = b
		if top := bucketTop(b); top < d {
			t.Fatalf("bucketTop(bucketOf(%v)) = %v, below it", d, top)
		}
		if d > 8 {
			// Buckets are at most 25% wide.
			if top := bucketTop(b); float64(top) > float64(d)*1.25 {
				t.Fatalf("bucket of %v reaches %v", d, top)
			}
		}
	}
}

func TestLatencyWindowPercentile(t *testing.T) {
	now := time.Now()
	w := newLatencyWindow(90, 7*time.Millisecond)
	if d := w.delay(); d != 7*time.Millisecond {
		t.Fatalf("delay before samples = %v, want the fallback", d)
	}
	// 90% of calls take 1ms, 10% take 50ms: p90 is about 1ms, not 50.
	for i := range 1000 {
		d := time.Millisecond
		if i%10 == 9 {
			d = 50 * time.Millisecond
		}
		w.record(d, now)
	}
	if d := w.delay(); d < time.Millisecond || d > 1250*time.Microsecond {
		t.Fatalf("p90 = %v, want about 1ms", d)
	}
	w99 := newLatencyWindow(99, time.Millisecond)
	for i := range 1000 {
		d := time.Millisecond
		if i%10 == 9 {
			d = 50 * time.Millisecond
		}
		w99.record(d, now)
	}
	if d := w99.delay(); d < 50*time.Millisecond || d > 63*time.Millisecond {
		t.Fatalf("p99 = %v, want about 50ms", d)
	}
	// Two periods later the old samples are gone.
	later := now.Add(2*latencyPeriod + time.Second)
	w99.record(time.Millisecond, later)
	later = later.Add(latencyPeriod + time.Second)
	for range 1000 {
		w99.record(2*time.Millisecond, later)
	}
	if d := w99.delay(); d < 2*time.Millisecond || d > 2500*time.Microsecond {
		t.Fatalf("p99 after the slow calls aged out = %v, want about 2ms", d)
	}
}
