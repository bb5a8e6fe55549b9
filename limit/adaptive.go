package limit

import (
	"math"
	"sync"
	"sync/atomic"
)

// Constants of the adaptive limit (see the package doc).
const (
	minWindowCalls = 10   // calls a window needs before it closes
	baselineDrift  = 0.01 // how far a slower window pulls the baseline up
	minGradient    = 0.5  // the most a window shrinks the limit by
)

// adaptive moves a gate's limit with latency. Calls add their latency to
// the current window with atomics; the release that finds the window over
// closes it under mu and sets the gate's limit.
type adaptive struct {
	gate      *gate
	min, max  float64
	tolerance float64
	window    int64 // nanoseconds

	start atomic.Int64 // the window's start; 0 before the first call
	sum   atomic.Int64 // latency of the window's calls, nanoseconds
	count atomic.Int64 // the window's calls
	peak  atomic.Int64 // the most calls in flight in the window

	mu       sync.Mutex
	limit    float64 // the limit, unrounded
	baseline float64 // smoothed minimum of window means, nanoseconds; 0 before the first
}

func newAdaptive(p *AdaptivePolicy, maxInFlight int, g *gate) *adaptive {
	a := &adaptive{
		gate:      g,
		min:       float64(p.minLimit()),
		max:       float64(maxInFlight),
		tolerance: p.Tolerance,
		window:    int64(p.Window),
	}
	if a.tolerance == 0 {
		a.tolerance = DefaultAdaptiveTolerance
	}
	if a.window == 0 {
		a.window = int64(DefaultAdaptiveWindow)
	}
	a.limit = a.max
	if p.InitialLimit > 0 {
		a.limit = float64(p.InitialLimit)
	}
	g.limit.Store(int64(a.limit))
	return a
}

// inUse records n calls in flight.
func (a *adaptive) inUse(n int64) {
	for {
		p := a.peak.Load()
		if n <= p || a.peak.CompareAndSwap(p, n) {
			return
		}
	}
}

// sample adds a call's latency rtt, ended at now, and closes the window if
// it is over.
func (a *adaptive) sample(now, rtt int64) {
	a.start.CompareAndSwap(0, now) // the first window starts with the first call
	a.sum.Add(rtt)
	if a.count.Add(1) < minWindowCalls || now-a.start.Load() < a.window {
		return
	}
	if !a.mu.TryLock() {
		return // another release is closing it
	}
	defer a.mu.Unlock()
	if now-a.start.Load() < a.window {
		return // closed meanwhile
	}
	n, sum := a.count.Swap(0), a.sum.Swap(0)
	peak := a.peak.Swap(a.gate.n.Load())
	a.start.Store(now)
	if n > 0 {
		a.update(float64(sum)/float64(n), float64(peak))
	}
}

// update sets the limit from a window's mean latency and peak in flight.
func (a *adaptive) update(rtt, peak float64) {
	rtt = max(rtt, 1)
	if a.baseline == 0 || rtt < a.baseline {
		a.baseline = rtt
	} else {
		a.baseline += (rtt - a.baseline) * baselineDrift
	}
	gradient := min(1, max(minGradient, a.tolerance*a.baseline/rtt))
	next := a.limit*gradient + math.Sqrt(a.limit)
	if next > a.limit && peak < a.limit/2 {
		next = a.limit // not in use: no evidence more would fit
	}
	a.limit = min(a.max, max(a.min, next))
	a.gate.limit.Store(int64(a.limit))
}
