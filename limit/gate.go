package limit

import "sync/atomic"

// gate bounds calls in flight: n of them, at most limit.
type gate struct {
	n     atomic.Int64
	limit atomic.Int64 // changed by the adaptive limit
}

// enter counts a call in, reporting false, and counting nothing, at the
// limit.
func (g *gate) enter() bool {
	_, ok := g.enterN()
	return ok
}

// enterN is enter, also returning the calls in flight with this one.
func (g *gate) enterN() (int64, bool) {
	for {
		n := g.n.Load()
		if n >= g.limit.Load() {
			return n, false
		}
		if g.n.CompareAndSwap(n, n+1) {
			return n + 1, true
		}
	}
}

// leave counts a call out.
func (g *gate) leave() { g.n.Add(-1) }
