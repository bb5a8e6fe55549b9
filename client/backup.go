package client

import (
	"context"
	"reflect"
	"sync"
	"sync/atomic"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/ospreyrpc/osprey/loadbalance"
	"github.com/ospreyrpc/osprey/protocol/grpc"
	"github.com/ospreyrpc/osprey/rpcinfo"
	"github.com/ospreyrpc/osprey/status"
)

// race is one attempt of a call with a backup request armed: if the
// attempt has no reply after the backup delay, the method's backup watch
// starts a second attempt, to another instance, with storage of its own;
// the first reply wins and the other attempt is abandoned (its abort
// channel closed).
//
// A call whose first attempt replies before the delay costs no allocation
// and no timer: the race and the first attempt's abort channel come from
// the watch's free list and go back to it, and arming is two atomic
// stores.
type race struct {
	state atomic.Int32 // raceIdle, raceArmed, raceFired
	at    atomic.Int64 // when the backup is due, ns on the watch's clock
	abort chan struct{}
	first atomic.Pointer[loadbalance.Node]

	// Set by the caller before arming; fire reads them once it has
	// taken the race from armed to fired.
	c        *Client
	mp       *methodPolicy
	ctx      context.Context
	a        attempt             // the first attempt
	avoid    []*loadbalance.Node // in avoidArr
	avoidArr [maxAvoid]*loadbalance.Node

	mu        sync.Mutex // guards the rest, once fired
	firstDone bool       // the first attempt has ended
	fired     bool       // the backup was started

	// The backup, once fired.
	b     attempt
	bMD   *grpc.ResponseMD // the backup's own, when the call wants one
	bDone chan struct{}    // closed when the backup has ended
	bNode *loadbalance.Node
	bErr  error
	won   bool // the backup replied first: the first attempt was aborted
}

// The states of a race.
const (
	raceIdle int32 = iota
	raceArmed
	raceFired
)

// race makes attempt a with a backup armed. It returns the attempt whose
// outcome is the call's (a, or the backup with its result copied into
// a's), the node it went to, how many attempts were made, and the error.
func (c *Client) race(ctx context.Context, mp *methodPolicy, a attempt, avoid []*loadbalance.Node) (attempt, *loadbalance.Node, int, error) {
	w := mp.backups
	r := w.get()
	a.abort, a.picked = r.abort, &r.first
	r.c, r.mp, r.ctx, r.a = c, mp, ctx, a
	r.avoid = append(r.avoidArr[:0], avoid...)
	w.arm(r, a.ri.Start.Sub(clockBase)+mp.backupDelay())
	node, err := c.send(ctx, mp, a, avoid)
	if mp.latency != nil && err == nil {
		mp.latency.record(a.ri.End.Sub(a.ri.Start), a.ri.End)
	}
	if r.state.CompareAndSwap(raceArmed, raceIdle) {
		// No backup: the common case.
		w.armed.Add(-1)
		r.c, r.mp, r.ctx, r.a = nil, nil, nil, attempt{}
		clear(r.avoid)
		r.first.Store(nil)
		w.put(r)
		a.abort, a.picked = nil, nil
		return a, node, 1, err
	}
	// The watch fired: fire runs or has run. r is not reused.
	w.drop(r)
	r.mu.Lock()
	r.firstDone = true
	if !r.fired {
		r.mu.Unlock()
		return a, node, 1, err
	}
	if err == nil || (!r.won && wins(mp, err)) {
		// The first attempt replied first (or at the same moment).
		select {
		case <-r.bDone:
		default:
			close(r.b.abort)
		}
		r.mu.Unlock()
		return a, node, 2, err
	}
	r.mu.Unlock()
	<-r.bDone // the first failed without a reply, or lost: the backup decides
	if r.bErr == nil || wins(mp, r.bErr) {
		adopt(a, r.b, r.bMD, ctx)
		return r.b, r.bNode, 2, r.bErr
	}
	return a, node, 2, err
}

// clockBase is the origin of the backup watches' clock: durations from it
// use the monotonic clock.
var clockBase = time.Now()

// backupWatch starts the backups of one method policy's calls. Each call
// arms a race with the time its backup is due; a goroutine, running only
// while races are armed or were recently, looks at them every tick (an
// eighth of the backup delay, between 1 and 10 ms) and fires the ones
// due. A backup may so start up to a tick late, which a delay meant to
// cut the tail of the latency can afford; in exchange a call pays no
// timer.
type backupWatch struct {
	armed atomic.Int64 // races armed
	mp    *methodPolicy

	mu      sync.Mutex
	all     []*race // every live race, for the sweep
	free    []*race
	running bool // a sweep goroutine runs
	closed  bool
	wake    chan struct{}
}

func newBackupWatch(mp *methodPolicy) *backupWatch {
	return &backupWatch{mp: mp, wake: make(chan struct{}, 1)}
}

// get returns an idle race.
func (w *backupWatch) get() *race {
	w.mu.Lock()
	if n := len(w.free); n > 0 {
		r := w.free[n-1]
		w.free = w.free[:n-1]
		w.mu.Unlock()
		return r
	}
	r := &race{abort: make(chan struct{})}
	w.all = append(w.all, r)
	w.mu.Unlock()
	return r
}

// put gives back a race that did not fire.
func (w *backupWatch) put(r *race) {
	w.mu.Lock()
	w.free = append(w.free, r)
	w.mu.Unlock()
}

// drop forgets a race that fired.
func (w *backupWatch) drop(r *race) {
	w.mu.Lock()
	for i, x := range w.all {
		if x == r {
			last := len(w.all) - 1
			w.all[i], w.all[last] = w.all[last], nil
			w.all = w.all[:last]
			break
		}
	}
	w.mu.Unlock()
}

// arm arms r to fire at at (on the watch's clock), starting the sweep if
// it is not running.
func (w *backupWatch) arm(r *race, at time.Duration) {
	r.at.Store(int64(at))
	r.state.Store(raceArmed)
	if w.armed.Add(1) > 1 {
		return // the sweep runs: it only stops with no race armed
	}
	// The first race armed: start the sweep, or wake it. The sweep
	// decides to stop under w.mu, seeing no race armed, so either it sees
	// this one or it has stopped by the time this takes the lock.
	w.mu.Lock()
	if !w.running && !w.closed {
		w.running = true
		go w.sweep()
	}
	w.mu.Unlock()
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// sweepIdle is how long the sweep goroutine waits with no race armed
// before it exits; the next armed race starts it again.
const sweepIdle = time.Second

// sweep fires the races that are due, every tick while races are armed.
func (w *backupWatch) sweep() {
	idle := time.NewTimer(sweepIdle)
	defer idle.Stop()
	for {
		if w.armed.Load() == 0 {
			idle.Reset(sweepIdle)
			select {
			case <-w.wake:
			case <-idle.C:
				w.mu.Lock()
				if w.armed.Load() == 0 || w.closed {
					w.running = false
					w.mu.Unlock()
					return
				}
				w.mu.Unlock()
			}
		}
		tick := min(max(w.mp.backupDelay()/8, time.Millisecond), 10*time.Millisecond)
		time.Sleep(tick)
		now := int64(time.Since(clockBase))
		w.mu.Lock()
		if w.closed {
			w.running = false
			w.mu.Unlock()
			return
		}
		for _, r := range w.all {
			if r.state.Load() == raceArmed && now >= r.at.Load() && r.state.CompareAndSwap(raceArmed, raceFired) {
				w.armed.Add(-1)
				go r.fire()
			}
		}
		w.mu.Unlock()
	}
}

// close stops the sweep once it next wakes; races armed later fire no
// more.
func (w *backupWatch) close() {
	w.mu.Lock()
	w.closed = true
	w.mu.Unlock()
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// wins reports whether an attempt's error is a reply that ends the call
// (a business error, or one the server sent that is not retried), rather
// than a failure that lets the other attempt decide.
func wins(mp *methodPolicy, err error) bool {
	return status.IsBusiness(err) || (status.IsRemote(err) && !mp.Retry.Retryable(err))
}

// fire starts the backup attempt, with a result of its own of the same
// type as the first's, unless the first has ended, the call is oneway, or
// the budget or the deadline leaves no room. It runs on a goroutine of
// its own and makes the backup there.
func (r *race) fire() {
	r.mu.Lock()
	if r.firstDone {
		r.mu.Unlock()
		return
	}
	ri := r.a.ri
	if ri.Oneway || reflect.TypeOf(r.a.result).Kind() != reflect.Pointer || time.Until(ri.Deadline) < minAttemptTime || !r.mp.budget.Withdraw() {
		r.mu.Unlock()
		return
	}
	result := reflect.New(reflect.TypeOf(r.a.result).Elem()).Interface() // a.result is a pointer
	h := new(rpcinfo.Holder)
	ctx := r.ctx
	if grpc.ResponseMDFromContext(ctx) != nil {
		// The two attempts must not fill the caller's ResponseMD at once.
		r.bMD = new(grpc.ResponseMD)
		ctx = grpc.WithResponseMD(ctx, r.bMD)
	}
	ctx, bri := h.Init(ctx)
	startInfo(bri, ri, ri.Attempt+1)
	r.b = attempt{ri: bri, args: r.a.args, result: result, abort: make(chan struct{})}
	r.bDone = make(chan struct{})
	r.fired = true
	avoid := r.avoid
	if n := r.first.Load(); n != nil && len(avoid) < maxAvoid {
		avoid = append(avoid, n)
	}
	c, b, mp := r.c, r.b, r.mp
	r.mu.Unlock()

	node, err := c.send(ctx, mp, b, avoid)

	r.mu.Lock()
	r.bNode, r.bErr = node, err
	if !r.firstDone && (err == nil || wins(r.mp, err)) {
		r.won = true
		close(r.abort)
	}
	close(r.bDone)
	r.mu.Unlock()
}

// adopt makes the backup's reply the call's: its result and response
// metadata go where the caller looks for them.
func adopt(first, backup attempt, md *grpc.ResponseMD, ctx context.Context) {
	if md != nil {
		if dst := grpc.ResponseMDFromContext(ctx); dst != nil {
			*dst = *md
		}
	}
	copyResult(first.result, backup.result)
}

// copyResult copies the reply in src into dst, both results of the same
// method.
func copyResult(dst, src any) {
	if dst == nil || src == nil {
		return
	}
	if dm, ok := dst.(proto.Message); ok {
		if sm, ok := src.(proto.Message); ok {
			proto.Reset(dm)
			proto.Merge(dm, sm)
			return
		}
	}
	dv, sv := reflect.ValueOf(dst), reflect.ValueOf(src)
	if dv.Kind() == reflect.Pointer && sv.Type() == dv.Type() && !dv.IsNil() && !sv.IsNil() {
		dv.Elem().Set(sv.Elem())
	}
}
