package limit

import "github.com/ospreyrpc/osprey/internal/monotime"

// Reason says whether Acquire admitted a call, or which limit refused it.
type Reason uint8

// The reasons.
const (
	// Admitted: the call may go on, and its Ticket must be released.
	Admitted Reason = iota
	// OverQPS: the token bucket was empty.
	OverQPS
	// OverConcurrency: the calls in flight were at the limit, static or
	// adaptive.
	OverConcurrency
)

// String returns "admitted", "QPS limit" or "concurrency limit".
func (r Reason) String() string {
	switch r {
	case Admitted:
		return "admitted"
	case OverQPS:
		return "QPS limit"
	case OverConcurrency:
		return "concurrency limit"
	}
	return "unknown reason"
}

// Limiter applies a Policy. Build it with New. Its methods are safe for
// concurrent use and allocate nothing.
type Limiter struct {
	p        Policy
	bucket   *bucket   // nil without QPS
	gate     *gate     // nil without MaxInFlight
	adaptive *adaptive // nil without Adaptive
	now      func() int64
}

// Ticket is an admitted call's hold on the Limiter that admitted it: give
// it back to that Limiter's Release or Abort, once.
type Ticket struct {
	start int64 // when admitted, on the limiter's clock; for the adaptive limit
}

// New returns a Limiter applying p, or p's Validate error.
func New(p Policy) (*Limiter, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if p.Adaptive != nil {
		a := *p.Adaptive // ours: the caller may change theirs
		p.Adaptive = &a
	}
	l := &Limiter{p: p, now: monotime.Now}
	if p.QPS > 0 {
		l.bucket = newBucket(p.QPS, p.burst())
	}
	if p.MaxInFlight > 0 {
		l.gate = &gate{}
		l.gate.limit.Store(int64(p.MaxInFlight))
	}
	if p.Adaptive != nil {
		l.adaptive = newAdaptive(p.Adaptive, p.MaxInFlight, l.gate)
	}
	return l, nil
}

// Policy returns the policy the Limiter applies.
func (l *Limiter) Policy() Policy {
	p := l.p
	if p.Adaptive != nil {
		a := *p.Adaptive
		p.Adaptive = &a
	}
	return p
}

// Limit returns the bound on calls in flight now: MaxInFlight, or the
// adaptive limit; 0 for none.
func (l *Limiter) Limit() int {
	if l.gate == nil {
		return 0
	}
	return int(l.gate.limit.Load())
}

// InFlight returns how many calls are admitted and not yet released.
func (l *Limiter) InFlight() int {
	if l.gate == nil {
		return 0
	}
	return int(l.gate.n.Load())
}

// Acquire admits a call if every limit allows it, and returns Admitted
// with the call's Ticket, or the limit that refused it (taking nothing).
func (l *Limiter) Acquire() (Ticket, Reason) {
	var t Ticket
	if l.bucket == nil && l.adaptive == nil {
		if l.gate != nil && !l.gate.enter() {
			return t, OverConcurrency
		}
		return t, Admitted
	}
	t.start = l.now()
	if l.gate != nil {
		n, ok := l.gate.enterN()
		if !ok {
			return t, OverConcurrency
		}
		if l.adaptive != nil {
			l.adaptive.inUse(n)
		}
	}
	if l.bucket != nil && !l.bucket.take(t.start) {
		if l.gate != nil {
			l.gate.leave()
		}
		return t, OverQPS
	}
	return t, Admitted
}

// Release ends an admitted call: it frees its place in flight and, for
// the adaptive limit, counts the time since Acquire as its latency.
func (l *Limiter) Release(t Ticket) {
	if l.gate == nil {
		return
	}
	l.gate.leave()
	if l.adaptive != nil {
		now := l.now()
		l.adaptive.sample(now, now-t.start)
	}
}

// Abort undoes Acquire for an admitted call that will not be served, as
// when another limiter refuses it: it frees its place in flight and gives
// its QPS token back, and counts no latency.
func (l *Limiter) Abort(t Ticket) {
	if l.gate != nil {
		l.gate.leave()
	}
	if l.bucket != nil {
		l.bucket.refund()
	}
}
