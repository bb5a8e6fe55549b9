package client

import (
	"context"
	"fmt"
	"maps"
	"time"

	"github.com/ospreyrpc/osprey/circuitbreak"
	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/retry"
	"github.com/ospreyrpc/osprey/status"
)

// Policy is how a client calls a method: its timeout, its retries and
// backup requests, and what turns a failure into a reply. The zero Policy
// makes one attempt within the client's call timeout.
//
// The stages a call goes through are fixed, outermost first: the user's
// middleware (WithMiddleware), the timeout, the fallback, retries and
// backups, then for each attempt the instance pick and the send
// (docs/design/governance.md).
type Policy struct {
	// Timeout bounds the whole call, every attempt included: its deadline
	// is the earlier of the context's and the call's start plus Timeout.
	// 0 means the client's WithCallTimeout.
	Timeout time.Duration
	// Retry says how many attempts a call may make and when (failure
	// retries, backup requests, their budget).
	Retry retry.Policy
	// Breaker, if not nil, is the method's circuit breaker: while it is
	// open, attempts fail at once with Unavailable ("circuit breaker
	// open"), not sent, and are not retried. What counts as a failure:
	// see docs/design/governance.md. The instances' own breakers are the
	// balancer's (loadbalance.WithHealth).
	Breaker *circuitbreak.Policy
	// Fallback, if not nil, gets the call's error once no attempt is left
	// and returns what the caller sees: nil after filling the result with
	// a substitute reply, or an error (err itself to keep it).
	Fallback Fallback
}

// Fallback turns the error of a call into what its caller sees; see
// Policy.Fallback. args and result are the call's request and response.
type Fallback func(ctx context.Context, args, result any, err error) error

func (p *Policy) validate() error {
	if p.Timeout < 0 {
		return fmt.Errorf("negative Timeout %v", p.Timeout)
	}
	if p.Breaker != nil {
		if err := p.Breaker.Validate(); err != nil {
			return err
		}
	}
	return p.Retry.Validate()
}

// WithPolicy sets the policy of every method without one of its own
// (WithMethodPolicy). Default: the zero Policy.
func WithPolicy(p Policy) Option {
	return optionFunc(func(o *options) error {
		if err := p.validate(); err != nil {
			return fmt.Errorf("client: WithPolicy: %w", err)
		}
		o.policy = p
		return o.once("WithPolicy")
	})
}

// WithMethodPolicy sets the policy of the method named method (as the IDL
// spells it), for every service the client calls. It may be given once per
// method.
func WithMethodPolicy(method string, p Policy) Option {
	return optionFunc(func(o *options) error {
		if method == "" {
			return fmt.Errorf("client: WithMethodPolicy with an empty method name")
		}
		if err := p.validate(); err != nil {
			return fmt.Errorf("client: WithMethodPolicy(%q): %w", method, err)
		}
		if _, dup := o.methodPolicies[method]; dup {
			return fmt.Errorf("client: WithMethodPolicy(%q) given twice", method)
		}
		if o.methodPolicies == nil {
			o.methodPolicies = map[string]Policy{}
		}
		o.methodPolicies[method] = p
		return nil
	})
}

// SetPolicy replaces the policy of method, or with method "" the policy of
// every method without one of its own, while the client is in use. Calls
// in progress finish under the policy they started with; the method's
// retry budget and latency record start afresh. It returns an error for an
// invalid policy, leaving the old one in force.
func (c *Client) SetPolicy(method string, p Policy) error {
	if err := p.validate(); err != nil {
		return fmt.Errorf("client: SetPolicy(%q): %w", method, err)
	}
	c.policyMu.Lock()
	defer c.policyMu.Unlock()
	old := c.policies.Load()
	next := &policyTable{def: old.def, methods: maps.Clone(old.methods)}
	if method == "" {
		next.def = newMethodPolicy(p)
		// Methods that had copies of the old default take the new one.
		maps.DeleteFunc(next.methods, func(_ string, mp *methodPolicy) bool { return mp.inherited })
	} else {
		if next.methods == nil {
			next.methods = map[string]*methodPolicy{}
		}
		next.methods[method] = newMethodPolicy(p)
	}
	c.policies.Store(next)
	return nil
}

// Policy returns the policy in force for method ("" for the default).
func (c *Client) Policy(method string) Policy {
	return c.policies.Load().lookup(method).Policy
}

// policyFor returns the policy of a call of method. A default policy with
// a breaker gives each method a copy of its own on first use, so that each
// method has its own breaker (and budget).
func (c *Client) policyFor(method string) *methodPolicy {
	t := c.policies.Load()
	if mp := t.methods[method]; mp != nil {
		return mp
	}
	if t.def.breaker == nil || c.desc.Method(method) == nil {
		return t.def // no breaker to copy, or a name the service lacks: no entry for it
	}
	c.policyMu.Lock()
	defer c.policyMu.Unlock()
	t = c.policies.Load()
	if mp := t.methods[method]; mp != nil {
		return mp
	}
	next := &policyTable{def: t.def, methods: maps.Clone(t.methods)}
	if next.methods == nil {
		next.methods = map[string]*methodPolicy{}
	}
	mp := newMethodPolicy(t.def.Policy)
	mp.inherited = true
	next.methods[method] = mp
	c.policies.Store(next)
	return mp
}

// BreakerState returns the state of method's circuit breaker, and false if
// its policy has none.
func (c *Client) BreakerState(method string) (circuitbreak.State, bool) {
	mp := c.policyFor(method)
	if mp.breaker == nil {
		return 0, false
	}
	return mp.breaker.State(), true
}

// policyTable is a client's policies, replaced whole on every change.
type policyTable struct {
	def     *methodPolicy
	methods map[string]*methodPolicy // nil when no method has its own
}

// close stops the backup watches of the table's policies.
func (t *policyTable) close() {
	for _, mp := range t.methods {
		mp.close()
	}
	t.def.close()
}

func (mp *methodPolicy) close() {
	if mp.backups != nil {
		mp.backups.close()
	}
}

func newPolicyTable(def Policy, methods map[string]Policy) *policyTable {
	t := &policyTable{def: newMethodPolicy(def)}
	for name, p := range methods {
		if t.methods == nil {
			t.methods = map[string]*methodPolicy{}
		}
		t.methods[name] = newMethodPolicy(p)
	}
	return t
}

func (t *policyTable) lookup(method string) *methodPolicy {
	if t.methods != nil {
		if mp := t.methods[method]; mp != nil {
			return mp
		}
	}
	return t.def
}

// methodPolicy is a Policy with the state its calls share.
type methodPolicy struct {
	Policy
	attempts int
	budget   *retry.Budget // nil for one attempt
	latency  *latencyWindow
	backups  *backupWatch          // nil without Retry.BackupDelay
	breaker  *circuitbreak.Breaker // nil without Policy.Breaker
	// inherited marks a method's copy of the default policy (policyFor).
	inherited bool
}

// errBreakerOpen is the error of an attempt refused by an open method
// breaker.
var errBreakerOpen = status.New(codes.Unavailable, "client: circuit breaker open: the method has been failing; the call was not sent").WithNotSent()

func newMethodPolicy(p Policy) *methodPolicy {
	mp := &methodPolicy{Policy: p, attempts: p.Retry.Attempts()}
	if p.Breaker != nil {
		mp.breaker = circuitbreak.New(*p.Breaker)
	}
	if mp.attempts > 1 {
		mp.budget = retry.NewBudget(p.Retry.BudgetRatio())
	}
	if p.Retry.BackupDelay > 0 {
		mp.backups = newBackupWatch(mp)
	}
	if p.Retry.BackupPercentile > 0 {
		mp.latency = newLatencyWindow(p.Retry.BackupPercentile, p.Retry.BackupDelay)
	}
	return mp
}

// backupDelay returns how long an attempt waits for its reply before a
// backup starts.
func (mp *methodPolicy) backupDelay() time.Duration {
	if mp.latency != nil {
		return mp.latency.delay()
	}
	return mp.Retry.BackupDelay
}
