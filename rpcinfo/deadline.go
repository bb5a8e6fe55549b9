package rpcinfo

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// deadline is the state of an infoCtx that ends at a deadline of its own.
// Only the time is kept inline; the channel, timers and error are made on
// the first Done or Err that needs them, so a handler that never waits on
// its context costs nothing, and every call's context stays small.
type deadline struct {
	at   time.Time // zero: the parent's deadline rules
	lazy atomic.Pointer[deadlineState]
}

type deadlineState struct {
	mu    sync.Mutex
	done  chan struct{}
	err   error
	timer *time.Timer
	stop  func() bool // stops watching the parent
	after []*func()   // AfterFunc's, run when done closes
}

// state returns the context's deadline state, making it on first use.
func (c *infoCtx) state() *deadlineState {
	if d := c.dl.lazy.Load(); d != nil {
		return d
	}
	d := new(deadlineState)
	if !c.dl.lazy.CompareAndSwap(nil, d) {
		return c.dl.lazy.Load()
	}
	return d
}

func (c *infoCtx) Deadline() (time.Time, bool) {
	if !c.dl.at.IsZero() {
		return c.dl.at, true
	}
	return c.Context.Deadline()
}

func (c *infoCtx) Done() <-chan struct{} {
	if c.dl.at.IsZero() {
		return c.Context.Done()
	}
	d := c.state()
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.done != nil {
		return d.done
	}
	d.done = make(chan struct{})
	c.checkLocked(d)
	if d.err != nil {
		close(d.done)
		return d.done
	}
	d.timer = time.AfterFunc(time.Until(c.dl.at), func() { c.finish(context.DeadlineExceeded) })
	if c.Context.Done() != nil {
		d.stop = context.AfterFunc(c.Context, func() { c.finish(c.Context.Err()) })
	}
	return d.done
}

func (c *infoCtx) Err() error {
	if c.dl.at.IsZero() {
		return c.Context.Err()
	}
	d := c.dl.lazy.Load()
	if d == nil {
		// Nothing has waited on the context: no state to make.
		if err := c.Context.Err(); err != nil {
			return err
		}
		if time.Now().Before(c.dl.at) {
			return nil
		}
		d = c.state()
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	c.checkLocked(d)
	if d.err != nil && d.done != nil {
		endLocked(d)
	}
	return d.err
}

// checkLocked sets err if the parent or the deadline has ended the context.
func (c *infoCtx) checkLocked(d *deadlineState) {
	if d.err != nil {
		return
	}
	if err := c.Context.Err(); err != nil {
		d.err = err
	} else if !time.Now().Before(c.dl.at) {
		d.err = context.DeadlineExceeded
	}
}

// canceledState is the state of every context closed before anything
// waited on it: shared, so that closing allocates nothing.
var canceledState = func() *deadlineState {
	d := &deadlineState{done: make(chan struct{}), err: context.Canceled}
	close(d.done)
	return d
}()

// close ends the context with context.Canceled unless it has ended.
func (c *infoCtx) close() {
	if c.dl.at.IsZero() || c.dl.lazy.CompareAndSwap(nil, canceledState) {
		return
	}
	c.finish(context.Canceled)
}

// finish ends the context with err unless it has ended already.
func (c *infoCtx) finish(err error) {
	if c.dl.at.IsZero() {
		return
	}
	d := c.state()
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.err == nil {
		d.err = err
	}
	endLocked(d)
}

// endLocked closes done and stops the timers, once.
func endLocked(d *deadlineState) {
	if d.timer != nil {
		d.timer.Stop()
		d.timer = nil
	}
	if d.stop != nil {
		d.stop()
		d.stop = nil
	}
	if d.done != nil {
		select {
		case <-d.done:
		default:
			close(d.done)
		}
	}
	for _, f := range d.after {
		go (*f)()
	}
	d.after = nil
}

// AfterFunc is the method package context looks for to watch a context
// without a goroutine of its own (as context.AfterFunc): f runs on a
// goroutine of its own when the context ends; stop cancels that and
// reports whether it did. Without a deadline of its own the context ends
// with its parent, which is asked to watch.
func (c *infoCtx) AfterFunc(f func()) (stop func() bool) {
	if c.dl.at.IsZero() {
		return context.AfterFunc(c.Context, f)
	}
	c.Done() // starts the timer and the watch of the parent
	d := c.state()
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.err != nil {
		go f()
		return func() bool { return false }
	}
	p := &f
	d.after = append(d.after, p)
	return func() bool {
		d.mu.Lock()
		defer d.mu.Unlock()
		for i, q := range d.after {
			if q == p {
				d.after = append(d.after[:i], d.after[i+1:]...)
				return true
			}
		}
		return false
	}
}
