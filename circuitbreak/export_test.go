package circuitbreak

import "time"

// NewWithClock returns a breaker that reads the time from now.
func NewWithClock(p Policy, now func() time.Duration) *Breaker {
	return newBreaker(p, func() int64 { return int64(now()) })
}
