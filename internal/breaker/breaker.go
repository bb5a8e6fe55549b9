package breaker

import (
	"sync"
	"sync/atomic"

	"github.com/ospreyrpc/osprey/internal/monotime"
)

// State is a breaker's state.
type State uint32

// The states.
const (
	Closed State = iota
	Open
	HalfOpen
)

// Clock returns the time in nanoseconds since an arbitrary start; it must
// not go backwards.
type Clock func() int64

// Monotonic is the real clock.
func Monotonic() int64 { return monotime.Now() }

// Breaker is a circuit breaker. Allow and Done in closed state are lock
// free and allocate nothing; state changes take a mutex.
type Breaker struct {
	p   Policy // with defaults
	now Clock

	state       atomic.Uint32
	consecutive atomic.Int32
	probes      atomic.Int32 // admitted in half-open
	probeOK     atomic.Int32 // succeeded in half-open
	openUntil   atomic.Int64
	win         window

	mu       sync.Mutex // held to change state
	backoff  int        // reopenings since the breaker last stayed closed
	closedAt int64      // when it last closed; valid if opened
	opened   bool       // it has opened at least once
}

// New returns a closed breaker with policy p (which must be valid) that
// reads the clock now (nil: Monotonic).
func New(p Policy, now Clock) *Breaker {
	b := new(Breaker)
	b.Init(p, now)
	return b
}

// Init makes b a closed breaker, as New does; b must not be in use.
func (b *Breaker) Init(p Policy, now Clock) {
	if now == nil {
		now = Monotonic
	}
	b.p = p.withDefaults()
	b.now = now
	b.win.init(int64(b.p.Window))
}

// State returns the state, moving from open to half-open once the open
// period has passed.
func (b *Breaker) State() State {
	s := State(b.state.Load())
	if s == Open && b.now() >= b.openUntil.Load() {
		return b.halfOpen()
	}
	return s
}

// Allow reports whether a call may go ahead now.
func (b *Breaker) Allow() bool {
	s := State(b.state.Load())
	if s == Closed {
		return true
	}
	if s == Open {
		if b.now() < b.openUntil.Load() {
			return false
		}
		if b.halfOpen() != HalfOpen {
			return b.Allow()
		}
	}
	max := int32(b.p.HalfOpenProbes)
	for {
		n := b.probes.Load()
		if n >= max {
			return false
		}
		if b.probes.CompareAndSwap(n, n+1) {
			return true
		}
	}
}

// Ready reports whether Allow would admit a call now, without admitting
// one.
func (b *Breaker) Ready() bool {
	switch State(b.state.Load()) {
	case Closed:
		return true
	case Open:
		return b.now() >= b.openUntil.Load()
	}
	return b.probes.Load() < int32(b.p.HalfOpenProbes)
}

// Done records the outcome of an admitted call.
func (b *Breaker) Done(failed bool) { b.DoneAt(failed, b.now()) }

// DoneAt is Done for a caller that has just read the breaker's clock.
func (b *Breaker) DoneAt(failed bool, now int64) {
	switch State(b.state.Load()) {
	case Closed:
		b.win.add(now, failed)
		if !failed {
			if b.consecutive.Load() != 0 {
				b.consecutive.Store(0)
			}
			return
		}
		if b.tripsAt(now) {
			b.trip(Closed, now)
		}
	case HalfOpen:
		if failed {
			b.trip(HalfOpen, now)
			return
		}
		if b.probeOK.Add(1) >= int32(b.p.HalfOpenProbes) {
			b.close(now)
		}
	}
}

// tripsAt counts a failure in a row and reports whether a rule opens the
// breaker.
func (b *Breaker) tripsAt(now int64) bool {
	c := b.consecutive.Add(1)
	if b.p.ConsecutiveFailures > 0 && int(c) >= b.p.ConsecutiveFailures {
		return true
	}
	if b.p.ErrorRate > 1 {
		return false
	}
	calls, failures := b.win.counts(now)
	return calls >= b.p.MinCalls && calls > 0 && float64(failures) >= b.p.ErrorRate*float64(calls)
}

// Counts returns the calls and failures recorded in the window (in closed
// state).
func (b *Breaker) Counts() (calls, failures int) { return b.win.counts(b.now()) }

// Consecutive returns the failures in a row recorded in closed state.
func (b *Breaker) Consecutive() int { return int(b.consecutive.Load()) }

// Trip opens the breaker now unless it is open.
func (b *Breaker) Trip() {
	s := State(b.state.Load())
	if s != Open {
		b.trip(s, b.now())
	}
}

// trip opens the breaker if it is still in state from.
func (b *Breaker) trip(from State, now int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if State(b.state.Load()) != from {
		return
	}
	switch {
	case from == HalfOpen:
		b.backoff++
	case b.opened && now-b.closedAt < int64(b.p.Window):
		b.backoff++ // reopened within a window of closing
	default:
		b.backoff = 0
	}
	b.opened = true
	d := b.p.OpenFor
	for i := 0; i < b.backoff && d < b.p.MaxOpenFor; i++ {
		d *= 2
	}
	d = min(d, b.p.MaxOpenFor)
	b.openUntil.Store(now + int64(d))
	b.state.Store(uint32(Open))
}

// halfOpen moves an open breaker whose period has passed to half-open and
// returns the state.
func (b *Breaker) halfOpen() State {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := State(b.state.Load())
	if s == Open && b.now() >= b.openUntil.Load() {
		b.probes.Store(0)
		b.probeOK.Store(0)
		s = HalfOpen
		b.state.Store(uint32(s))
	}
	return s
}

// close closes a half-open breaker at now with a fresh window.
func (b *Breaker) close(now int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if State(b.state.Load()) != HalfOpen {
		return
	}
	b.win.reset()
	b.consecutive.Store(0)
	b.closedAt = now
	b.state.Store(uint32(Closed))
}
