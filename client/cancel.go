package client

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// cancelPeriod is how often the cancel watch looks at the contexts of the
// calls in flight on ping-pong connections.
const cancelPeriod = 5 * time.Millisecond

// cancelWatch notices cancelled contexts of calls in flight and ends them:
// it interrupts the I/O of ping-pong calls, and fails the pending
// multiplexed calls whose contexts have deadlines (those without wait on
// Done themselves). A call's deadline is the
// connection's own I/O deadline, exact and free; a cancellation before it
// is seen within cancelPeriod. Watching this way costs a call two
// uncontended lock operations and no allocation, where context.AfterFunc
// would allocate three objects per call.
type cancelWatch struct {
	mu     sync.Mutex
	conns  map[*conn]struct{}
	muxes  map[*muxConn]struct{}
	active atomic.Int64 // calls being watched
	wake   chan struct{}
	done   chan struct{}
	exited chan struct{}
}

func newCancelWatch() *cancelWatch {
	w := &cancelWatch{
		conns: map[*conn]struct{}{}, muxes: map[*muxConn]struct{}{},
		wake: make(chan struct{}, 1), done: make(chan struct{}), exited: make(chan struct{}),
	}
	go w.run()
	return w
}

func (w *cancelWatch) add(c *conn) {
	w.mu.Lock()
	w.conns[c] = struct{}{}
	w.mu.Unlock()
}

func (w *cancelWatch) remove(c *conn) {
	w.mu.Lock()
	delete(w.conns, c)
	w.mu.Unlock()
}

func (w *cancelWatch) addMux(c *muxConn) {
	w.mu.Lock()
	w.muxes[c] = struct{}{}
	w.mu.Unlock()
}

func (w *cancelWatch) removeMux(c *muxConn) {
	w.mu.Lock()
	delete(w.muxes, c)
	w.mu.Unlock()
}

// watchMux counts a multiplexed call whose context the watch must look at;
// the call's wait counts it out.
func (w *cancelWatch) watchMux() {
	if w.active.Add(1) == 1 {
		select {
		case w.wake <- struct{}{}:
		default:
		}
	}
}

// watch starts watching ctx and abort (nil or an attempt's abort channel)
// for the attempt on c.
func (w *cancelWatch) watch(c *conn, ctx context.Context, abort chan struct{}) {
	c.watchMu.Lock()
	c.watchCtx, c.watchStop, c.cancelled = ctx, abort, false
	c.watchMu.Unlock()
	if w.active.Add(1) == 1 {
		select {
		case w.wake <- struct{}{}:
		default:
		}
	}
}

// unwatch ends watching the call on c. It reports whether the watch
// interrupted the call's I/O, which leaves the connection unusable.
func (w *cancelWatch) unwatch(c *conn) (cancelled bool) {
	c.watchMu.Lock()
	c.watchCtx, c.watchStop = nil, nil
	cancelled = c.cancelled
	c.watchMu.Unlock()
	w.active.Add(-1)
	return cancelled
}

func (w *cancelWatch) run() {
	defer close(w.exited)
	t := time.NewTicker(cancelPeriod)
	defer t.Stop()
	for {
		if w.active.Load() == 0 {
			select {
			case <-w.wake:
			case <-w.done:
				return
			}
		}
		select {
		case <-t.C:
		case <-w.done:
			return
		}
		w.scan()
	}
}

// scan interrupts the I/O of every watched call whose context has ended.
func (w *cancelWatch) scan() {
	w.mu.Lock()
	defer w.mu.Unlock()
	for c := range w.conns {
		c.watchMu.Lock()
		if ctx := c.watchCtx; ctx != nil && !c.cancelled && (ctx.Err() != nil || closed(c.watchStop)) {
			c.cancelled = true
			c.nc.SetDeadline(aLongTimeAgo)
		}
		c.watchMu.Unlock()
	}
	for mc := range w.muxes {
		mc.cancelPending()
	}
}

func (w *cancelWatch) stop() {
	close(w.done)
	<-w.exited
}
