package circuitbreak

import (
	"time"

	"github.com/ospreyrpc/osprey/internal/breaker"
)

// Defaults of the zero fields of a Policy.
const (
	DefaultWindow              = breaker.DefaultWindow
	DefaultMinCalls            = breaker.DefaultMinCalls
	DefaultErrorRate           = breaker.DefaultErrorRate
	DefaultConsecutiveFailures = breaker.DefaultConsecutiveFailures
	DefaultOpenFor             = breaker.DefaultOpenFor
	DefaultMaxOpenFor          = breaker.DefaultMaxOpenFor
	DefaultHalfOpenProbes      = breaker.DefaultHalfOpenProbes
)

// Policy says when a Breaker opens and how it comes back. The zero value
// is the default policy.
type Policy struct {
	// Window is how far back the error rate looks, kept in 10 buckets.
	// 0 means DefaultWindow (10 s).
	Window time.Duration
	// MinCalls is how many calls must have ended in the window before the
	// error rate can open the breaker. 0 means DefaultMinCalls (20).
	MinCalls int
	// ErrorRate opens the breaker when failures/calls in the window reach
	// it. 0 means DefaultErrorRate (0.5); above 1 turns the rule off.
	ErrorRate float64
	// ConsecutiveFailures opens the breaker after that many failures in a
	// row. 0 means DefaultConsecutiveFailures (5); negative turns the rule
	// off.
	ConsecutiveFailures int
	// OpenFor is how long the breaker stays open before it lets probes
	// through. 0 means DefaultOpenFor (5 s).
	OpenFor time.Duration
	// MaxOpenFor bounds the open period as repeated openings double it.
	// 0 means DefaultMaxOpenFor (1 minute), or OpenFor if that is longer;
	// equal to OpenFor, the period never grows.
	MaxOpenFor time.Duration
	// HalfOpenProbes is how many calls a half-open breaker admits at
	// once; that many successes close it. 0 means DefaultHalfOpenProbes
	// (1).
	HalfOpenProbes int
}

// Validate returns an error naming the first field out of range: negative
// durations and counts, a Window under 10 ns, an ErrorRate below 0 or NaN,
// a MaxOpenFor shorter than OpenFor.
func (p Policy) Validate() error { return breaker.Policy(p).Validate() }

// State is the state of a Breaker.
type State uint8

// The states of a Breaker.
const (
	// Closed lets every call through.
	Closed State = iota
	// Open fails every call.
	Open
	// HalfOpen lets a few probe calls through.
	HalfOpen
)

// String returns "closed", "open" or "half-open".
func (s State) String() string {
	switch s {
	case Closed:
		return "closed"
	case Open:
		return "open"
	case HalfOpen:
		return "half-open"
	}
	return "unknown"
}

// Breaker is a circuit breaker; see the package documentation.
type Breaker struct {
	b breaker.Breaker
}

// New returns a closed breaker. It panics if p is not valid (see
// Policy.Validate): check policies that come from configuration first.
func New(p Policy) *Breaker {
	return newBreaker(p, nil)
}

func newBreaker(p Policy, now breaker.Clock) *Breaker {
	if err := p.Validate(); err != nil {
		panic(err)
	}
	b := new(Breaker)
	b.b.Init(breaker.Policy(p), now)
	return b
}

// Allow reports whether a call may go ahead now: always when closed, never
// when open, and, when half-open, for up to HalfOpenProbes calls at once.
// Every call it admits must be followed by exactly one Done.
func (b *Breaker) Allow() bool { return b.b.Allow() }

// Done records the outcome of a call Allow admitted.
func (b *Breaker) Done(failed bool) { b.b.Done(failed) }

// State returns the breaker's state now.
func (b *Breaker) State() State { return State(b.b.State()) }
