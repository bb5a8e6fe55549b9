package breaker

import "sync/atomic"

// buckets is how many buckets a window is kept in: the window slides by a
// tenth of its length.
const buckets = 10

// A bucket packs, in one word that a compare-and-swap updates, the number
// of the period it counts (its epoch, modulo 2^20) and the calls and
// failures counted in it (22 bits each: a bucket stops counting at
// 4,194,303 calls, keeping the rate of what it counted).
const (
	countBits = 22
	countMask = 1<<countBits - 1
	epochBits = 64 - 2*countBits
	epochMask = 1<<epochBits - 1
)

// window counts calls and failures over the last Window, in buckets of
// Window/buckets. It is safe for concurrent use and never allocates.
type window struct {
	span int64 // length of a bucket, ns
	b    [buckets]atomic.Uint64
}

func (w *window) init(length int64) { w.span = max(length/buckets, 1) }

// add counts one call at time now.
func (w *window) add(now int64, failed bool) {
	period := uint64(now / w.span)
	slot := &w.b[period%buckets]
	epoch := period & epochMask
	var f uint64
	if failed {
		f = 1
	}
	for {
		old := slot.Load()
		calls, fails := old>>countBits&countMask, old&countMask
		if old>>(2*countBits) != epoch {
			calls, fails = 0, 0
		}
		if calls == countMask {
			return
		}
		if slot.CompareAndSwap(old, epoch<<(2*countBits)|(calls+1)<<countBits|(fails+f)) {
			return
		}
	}
}

// counts returns the calls and failures counted in the window ending at
// now. A bucket last written 2^20 bucket lengths ago or more may be taken
// for a current one; at a window of 10 s that is 12 days.
func (w *window) counts(now int64) (calls, failures int) {
	epoch := uint64(now/w.span) & epochMask
	for i := range w.b {
		v := w.b[i].Load()
		if (epoch-v>>(2*countBits))&epochMask < buckets {
			calls += int(v >> countBits & countMask)
			failures += int(v & countMask)
		}
	}
	return calls, failures
}

// reset forgets every count.
func (w *window) reset() {
	for i := range w.b {
		w.b[i].Store(0)
	}
}
