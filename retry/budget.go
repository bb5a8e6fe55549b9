package retry

import "sync/atomic"

// budgetScale is the fixed-point scale of a Budget's balance.
const budgetScale = 1000

// budgetCap bounds a Budget's balance, in calls' worth of deposits: after a
// long healthy spell a failing dependency may still get at most this many
// calls' worth of retries at once.
const budgetCap = 100

// Budget keeps the retries of a method to a ratio of its calls: each call
// deposits ratio of a token, and each retry or backup withdraws a whole
// one, which it may do while the balance is above zero. So n calls make at
// most ceil(ratio × n) retries: the first call may retry, the next few may
// not. The balance starts empty and holds at most the deposits of 100
// calls (at least one token). It is safe for concurrent use and does not
// allocate.
type Budget struct {
	deposit int64 // per call, in 1/budgetScale tokens; < 0: no budget
	limit   int64
	balance atomic.Int64
}

// NewBudget returns a budget of ratio retries per call; a negative ratio
// allows every retry.
func NewBudget(ratio float64) *Budget {
	if ratio < 0 {
		return &Budget{deposit: -1}
	}
	d := int64(ratio * budgetScale)
	return &Budget{deposit: d, limit: max(d*budgetCap, budgetScale)}
}

// Call records a call.
func (b *Budget) Call() {
	if b.deposit <= 0 || b.balance.Load() >= b.limit {
		return // a full balance, the healthy steady state: no write
	}
	if v := b.balance.Add(b.deposit); v > b.limit {
		// Racing deposits may overshoot a little before this trims it.
		b.balance.CompareAndSwap(v, b.limit)
	}
}

// Withdraw takes a token for one retry or backup and reports whether the
// balance allowed it.
func (b *Budget) Withdraw() bool {
	if b.deposit < 0 {
		return true
	}
	for {
		v := b.balance.Load()
		if v <= 0 {
			return false
		}
		if b.balance.CompareAndSwap(v, v-budgetScale) {
			return true
		}
	}
}
