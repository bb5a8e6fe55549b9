package breaker

import "testing"

func TestWindowSaturates(t *testing.T) {
	var w window
	w.init(10)
	w.b[0].Store(uint64(0)<<(2*countBits) | (countMask-1)<<countBits | (countMask - 1))
	w.add(0, true)
	w.add(0, true) // full: not counted
	if calls, failures := w.counts(0); calls != countMask || failures != countMask {
		t.Fatalf("counts %d, %d; want %d, %d", calls, failures, countMask, countMask)
	}
}

func TestWindowEpochs(t *testing.T) {
	var w window
	w.init(10) // buckets of 1 ns
	for now := int64(0); now < 25; now++ {
		w.add(now, now%2 == 0)
	}
	// At 24 the window holds 15..24: 10 calls, 5 failed.
	if calls, failures := w.counts(24); calls != 10 || failures != 5 {
		t.Fatalf("counts %d, %d; want 10, 5", calls, failures)
	}
	if calls, _ := w.counts(40); calls != 0 {
		t.Fatalf("%d calls counted long after", calls)
	}
	// Epochs wrap modulo 2^20 without breaking the arithmetic.
	base := int64(epochMask - 3)
	for now := base; now < base+8; now++ {
		w.add(now, false)
	}
	if calls, _ := w.counts(base + 7); calls != 8 {
		t.Fatalf("across the wrap: %d calls, want 8", calls)
	}
}
