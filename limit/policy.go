package limit

import (
	"fmt"
	"math"
	"time"
)

// Defaults and bounds of a Policy.
const (
	// MaxQPS is the largest Policy.QPS: a billion calls a second.
	MaxQPS = 1e9
	// MaxBurst is the largest Policy.Burst.
	MaxBurst = 1 << 30
	// DefaultAdaptiveWindow is AdaptivePolicy.Window when zero.
	DefaultAdaptiveWindow = 100 * time.Millisecond
	// DefaultAdaptiveTolerance is AdaptivePolicy.Tolerance when zero.
	DefaultAdaptiveTolerance = 1.5
)

// Policy says which limits apply to calls. Its zero value limits nothing.
type Policy struct {
	// QPS is how many calls a second are admitted on average; 0 for no
	// rate limit. At most MaxQPS.
	QPS float64
	// Burst is how many calls are admitted at once from a full bucket: the
	// bucket's size. 0 means one second's worth, ⌈QPS⌉ (at least 1). It
	// needs QPS; at most MaxBurst.
	Burst int
	// MaxInFlight bounds the calls admitted and not yet released; 0 for no
	// bound. With Adaptive it is the adaptive limit's ceiling, and needed.
	MaxInFlight int
	// Adaptive, if not nil, makes the in-flight bound adapt to latency
	// (see the package doc), between Adaptive.MinLimit and MaxInFlight.
	Adaptive *AdaptivePolicy
}

// AdaptivePolicy tunes the adaptive concurrency limit. Its zero value
// takes every default.
type AdaptivePolicy struct {
	// MinLimit is the lowest the limit goes; 0 means 1. At most
	// Policy.MaxInFlight.
	MinLimit int
	// InitialLimit is where the limit starts; 0 means Policy.MaxInFlight,
	// so that the limiter admits everything until latency says otherwise.
	// Between MinLimit and Policy.MaxInFlight.
	InitialLimit int
	// Window is how often the limit is recomputed, each time from at least
	// 10 calls; 0 means DefaultAdaptiveWindow (100 ms). At least 1 ms.
	Window time.Duration
	// Tolerance is how many times the no-load latency the mean latency may
	// reach before the limit shrinks; 0 means DefaultAdaptiveTolerance
	// (1.5). At least 1.
	Tolerance float64
}

// Validate reports what is wrong with p, or nil.
func (p Policy) Validate() error {
	switch {
	case math.IsNaN(p.QPS) || p.QPS < 0 || p.QPS > MaxQPS:
		return fmt.Errorf("limit: QPS %v: want 0 (none) to %g", p.QPS, float64(MaxQPS))
	case p.Burst < 0 || p.Burst > MaxBurst:
		return fmt.Errorf("limit: Burst %d: want 0 (one second's worth) to %d", p.Burst, MaxBurst)
	case p.Burst > 0 && p.QPS == 0:
		return fmt.Errorf("limit: Burst %d without QPS", p.Burst)
	case p.QPS > 0 && float64(p.burst())*1e9/p.QPS > math.MaxInt64/2:
		return fmt.Errorf("limit: Burst %d at QPS %v: the bucket would span too long", p.burst(), p.QPS)
	case p.MaxInFlight < 0:
		return fmt.Errorf("limit: MaxInFlight %d: must not be negative", p.MaxInFlight)
	}
	a := p.Adaptive
	if a == nil {
		return nil
	}
	switch {
	case p.MaxInFlight == 0:
		return fmt.Errorf("limit: Adaptive without MaxInFlight, its ceiling")
	case a.MinLimit < 0 || a.MinLimit > p.MaxInFlight:
		return fmt.Errorf("limit: Adaptive.MinLimit %d: want 0 to MaxInFlight (%d)", a.MinLimit, p.MaxInFlight)
	case a.InitialLimit != 0 && (a.InitialLimit < a.minLimit() || a.InitialLimit > p.MaxInFlight):
		return fmt.Errorf("limit: Adaptive.InitialLimit %d: want MinLimit (%d) to MaxInFlight (%d)", a.InitialLimit, a.minLimit(), p.MaxInFlight)
	case a.Window != 0 && a.Window < time.Millisecond:
		return fmt.Errorf("limit: Adaptive.Window %v: want at least 1ms", a.Window)
	case math.IsNaN(a.Tolerance) || math.IsInf(a.Tolerance, 0) || (a.Tolerance != 0 && a.Tolerance < 1):
		return fmt.Errorf("limit: Adaptive.Tolerance %v: want 0 (default) or at least 1", a.Tolerance)
	}
	return nil
}

// burst is the bucket's size with the default applied.
func (p Policy) burst() int {
	if p.Burst > 0 {
		return p.Burst
	}
	return max(1, int(math.Ceil(p.QPS)))
}

func (a *AdaptivePolicy) minLimit() int { return max(1, a.MinLimit) }
