package limit

// SetClock makes l read time from now, nanoseconds, instead of the
// monotonic clock.
func SetClock(l *Limiter, now func() int64) { l.now = now }
