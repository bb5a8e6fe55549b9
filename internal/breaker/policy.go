package breaker

import (
	"fmt"
	"time"
)

// Defaults of the zero fields of a Policy.
const (
	DefaultWindow              = 10 * time.Second
	DefaultMinCalls            = 20
	DefaultErrorRate           = 0.5
	DefaultConsecutiveFailures = 5
	DefaultOpenFor             = 5 * time.Second
	DefaultMaxOpenFor          = time.Minute
	DefaultHalfOpenProbes      = 1
)

// Policy is circuitbreak.Policy; see there for the meaning of each field.
// The two types have the same fields, so that one converts to the other.
type Policy struct {
	Window              time.Duration
	MinCalls            int
	ErrorRate           float64
	ConsecutiveFailures int
	OpenFor             time.Duration
	MaxOpenFor          time.Duration
	HalfOpenProbes      int
}

// Validate reports the first field that is out of range.
func (p Policy) Validate() error {
	switch {
	case p.Window < 0:
		return fmt.Errorf("circuitbreak: Window %v is negative", p.Window)
	case p.Window > 0 && p.Window < buckets:
		return fmt.Errorf("circuitbreak: Window %v is shorter than %d ns", p.Window, buckets)
	case p.MinCalls < 0:
		return fmt.Errorf("circuitbreak: MinCalls %d is negative", p.MinCalls)
	case p.ErrorRate < 0 || p.ErrorRate != p.ErrorRate:
		return fmt.Errorf("circuitbreak: ErrorRate %v is not a rate (0 to 1, or above 1 to disable)", p.ErrorRate)
	case p.OpenFor < 0:
		return fmt.Errorf("circuitbreak: OpenFor %v is negative", p.OpenFor)
	case p.MaxOpenFor < 0:
		return fmt.Errorf("circuitbreak: MaxOpenFor %v is negative", p.MaxOpenFor)
	case p.MaxOpenFor > 0 && p.MaxOpenFor < p.withDefaults().OpenFor:
		return fmt.Errorf("circuitbreak: MaxOpenFor %v is shorter than OpenFor %v", p.MaxOpenFor, p.withDefaults().OpenFor)
	case p.HalfOpenProbes < 0:
		return fmt.Errorf("circuitbreak: HalfOpenProbes %d is negative", p.HalfOpenProbes)
	}
	return nil
}

// withDefaults returns p with its zero fields set to the defaults.
func (p Policy) withDefaults() Policy {
	if p.Window == 0 {
		p.Window = DefaultWindow
	}
	if p.MinCalls == 0 {
		p.MinCalls = DefaultMinCalls
	}
	if p.ErrorRate == 0 {
		p.ErrorRate = DefaultErrorRate
	}
	if p.ConsecutiveFailures == 0 {
		p.ConsecutiveFailures = DefaultConsecutiveFailures
	}
	if p.OpenFor == 0 {
		p.OpenFor = DefaultOpenFor
	}
	if p.MaxOpenFor == 0 {
		p.MaxOpenFor = max(DefaultMaxOpenFor, p.OpenFor)
	}
	if p.HalfOpenProbes == 0 {
		p.HalfOpenProbes = DefaultHalfOpenProbes
	}
	return p
}
