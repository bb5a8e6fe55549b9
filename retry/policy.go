package retry

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/status"
)

// Defaults for the zero fields of a Policy.
const (
	DefaultBaseBackoff = 10 * time.Millisecond
	DefaultMaxBackoff  = time.Second
	DefaultBudget      = 0.1
)

// DefaultCodes are the codes an idempotent method is retried on when
// Policy.Codes is nil.
var DefaultCodes = []codes.Code{codes.Unavailable, codes.ResourceExhausted, codes.Aborted}

// Policy says how many attempts a call may make and when. Its zero value
// makes one attempt. A policy is not modified once given to a client.
type Policy struct {
	// MaxAttempts is the most attempts one call makes, the first and any
	// backup included. 0 and 1 mean one attempt (and, with BackupDelay,
	// two: the first and its backup).
	MaxAttempts int
	// Idempotent marks the method safe to run more than once: failures
	// that may have reached the server, with a code in Codes, are retried
	// too. Without it only errors that were certainly not sent are.
	Idempotent bool
	// Codes are the codes retried on an idempotent method; nil means
	// DefaultCodes.
	Codes []codes.Code
	// BaseBackoff is the wait before the first retry; each later retry
	// waits twice as long as the one before, up to MaxBackoff, and every
	// wait is drawn at random between half and all of it (jitter). 0 means
	// DefaultBaseBackoff and DefaultMaxBackoff. Backup requests do not
	// wait a backoff.
	BaseBackoff, MaxBackoff time.Duration
	// BackupDelay, if positive, starts a backup attempt when the first has
	// had no reply for that long. With BackupPercentile it is the delay
	// used until the method has enough latency samples.
	BackupDelay time.Duration
	// BackupPercentile, if positive (such as 99), makes the backup delay
	// the method's recent latency at that percentile, between 1 and
	// 99.9. It needs BackupDelay.
	BackupPercentile float64
	// Budget bounds retries and backups to this ratio of the method's
	// calls (0.1: one extra attempt per ten calls). 0 means DefaultBudget;
	// a negative value means no budget.
	Budget float64
}

// Validate reports what is wrong with p, or nil.
func (p *Policy) Validate() error {
	switch {
	case p.MaxAttempts < 0:
		return fmt.Errorf("retry: MaxAttempts %d is negative", p.MaxAttempts)
	case p.MaxAttempts > 10:
		return fmt.Errorf("retry: MaxAttempts %d is more than 10", p.MaxAttempts)
	case p.BaseBackoff < 0 || p.MaxBackoff < 0:
		return fmt.Errorf("retry: negative backoff")
	case p.MaxBackoff != 0 && p.MaxBackoff < p.BaseBackoff:
		return fmt.Errorf("retry: MaxBackoff %v is less than BaseBackoff %v", p.MaxBackoff, p.BaseBackoff)
	case p.BackupDelay < 0:
		return fmt.Errorf("retry: negative BackupDelay")
	case p.BackupPercentile != 0 && (p.BackupPercentile < 1 || p.BackupPercentile > 99.9):
		return fmt.Errorf("retry: BackupPercentile %v is not between 1 and 99.9", p.BackupPercentile)
	case p.BackupPercentile != 0 && p.BackupDelay == 0:
		return fmt.Errorf("retry: BackupPercentile needs a BackupDelay for the first calls")
	case p.Budget > 1:
		return fmt.Errorf("retry: Budget %v is more than 1", p.Budget)
	}
	return nil
}

// Attempts returns the most attempts a call may make under p.
func (p *Policy) Attempts() int {
	n := max(p.MaxAttempts, 1)
	if p.BackupDelay > 0 && n < 2 {
		n = 2
	}
	return n
}

// Retryable reports whether an attempt that failed with err may be made
// again under p: err was certainly not sent, or the method is idempotent
// and err has one of p's codes. Business errors never are.
func (p *Policy) Retryable(err error) bool {
	if err == nil || status.IsBusiness(err) {
		return false
	}
	if status.IsNotSent(err) {
		return true
	}
	if !p.Idempotent {
		return false
	}
	cs := p.Codes
	if cs == nil {
		cs = DefaultCodes
	}
	return slices.Contains(cs, status.Code(err))
}

// Backoff returns the wait before retry n (1 for the first retry).
func (p *Policy) Backoff(n int) time.Duration {
	base, top := p.BaseBackoff, p.MaxBackoff
	if base == 0 {
		base = DefaultBaseBackoff
	}
	if top == 0 {
		top = max(DefaultMaxBackoff, base)
	}
	d := base
	for i := 1; i < n && d < top; i++ {
		d *= 2
	}
	d = min(d, top)
	return d/2 + rand.N(d/2+1)
}

// BudgetRatio returns the ratio of calls that may be retried, or a
// negative number for no budget.
func (p *Policy) BudgetRatio() float64 {
	if p.Budget == 0 {
		return DefaultBudget
	}
	return p.Budget
}
