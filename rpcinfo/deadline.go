package rpcinfo

import (
	"context"
	"sync"
	"time"
)

// deadline is the state of an infoCtx that ends at a deadline of its own.
// The channel and timers are made on the first Done call, so a handler that
// never waits on its context costs nothing.
type deadline struct {
	at    time.Time // zero: the parent's deadline rules
	mu    sync.Mutex
	done  chan struct{}
	err   error
	timer *time.Timer
	stop  func() bool // stops watching the parent
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
	d := &c.dl
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.done != nil {
		return d.done
	}
	d.done = make(chan struct{})
	c.checkLocked()
	if d.err != nil {
		close(d.done)
		return d.done
	}
	d.timer = time.AfterFunc(time.Until(d.at), func() { c.finish(context.DeadlineExceeded) })
	if c.Context.Done() != nil {
		d.stop = context.AfterFunc(c.Context, func() { c.finish(c.Context.Err()) })
	}
	return d.done
}

func (c *infoCtx) Err() error {
	if c.dl.at.IsZero() {
		return c.Context.Err()
	}
	d := &c.dl
	d.mu.Lock()
	defer d.mu.Unlock()
	c.checkLocked()
	if d.err != nil && d.done != nil {
		c.endLocked()
	}
	return d.err
}

// checkLocked sets err if the parent or the deadline has ended the context.
func (c *infoCtx) checkLocked() {
	d := &c.dl
	if d.err != nil {
		return
	}
	if err := c.Context.Err(); err != nil {
		d.err = err
	} else if !time.Now().Before(d.at) {
		d.err = context.DeadlineExceeded
	}
}

// finish ends the context with err unless it has ended already.
func (c *infoCtx) finish(err error) {
	if c.dl.at.IsZero() {
		return
	}
	d := &c.dl
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.err == nil {
		d.err = err
	}
	c.endLocked()
}

// endLocked closes done and stops the timers, once.
func (c *infoCtx) endLocked() {
	d := &c.dl
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
}
