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
// attempt has no reply after the backup delay, a timer starts a second
// attempt, to another instance, with storage of its own; the first reply
// wins and the other attempt is abandoned (its abort channel closed).
//
// A call whose first attempt replies before the delay costs no
// allocation: the race, its timer and the first attempt's abort channel
// come from a pool and go back to it.
type race struct {
	timer *time.Timer // runs fire; stopped while pooled
	abort chan struct{}
	first atomic.Pointer[loadbalance.Node]

	mu        sync.Mutex
	c         *Client
	mp        *methodPolicy
	ctx       context.Context
	a         attempt             // the first attempt
	avoid     []*loadbalance.Node // in avoidArr
	avoidArr  [maxAvoid]*loadbalance.Node
	firstDone bool // the first attempt has ended
	fired     bool // the backup was started

	// The backup, once fired.
	b     attempt
	bMD   *grpc.ResponseMD // the backup's own, when the call wants one
	bDone chan struct{}    // closed when the backup has ended
	bNode *loadbalance.Node
	bErr  error
	won   bool // the backup replied first: the first attempt was aborted
}

var racePool = sync.Pool{New: func() any {
	r := &race{abort: make(chan struct{})}
	r.timer = time.AfterFunc(time.Hour, r.fire)
	r.timer.Stop()
	return r
}}

// race makes attempt a with a backup armed. It returns the attempt whose
// outcome is the call's (a, or the backup with its result copied into
// a's), the node it went to, how many attempts were made, and the error.
func (c *Client) race(ctx context.Context, mp *methodPolicy, a attempt, avoid []*loadbalance.Node) (attempt, *loadbalance.Node, int, error) {
	r := racePool.Get().(*race)
	a.abort, a.picked = r.abort, &r.first
	r.mu.Lock()
	r.c, r.mp, r.ctx, r.a = c, mp, ctx, a
	r.avoid = append(r.avoidArr[:0], avoid...)
	r.mu.Unlock()
	r.timer.Reset(mp.backupDelay())
	node, err := c.send(ctx, mp, a, avoid)
	if mp.latency != nil && err == nil {
		mp.latency.record(a.ri.End.Sub(a.ri.Start), a.ri.End)
	}
	if r.timer.Stop() {
		// No backup: the common case.
		r.mu.Lock()
		r.c, r.mp, r.ctx, r.a = nil, nil, nil, attempt{}
		clear(r.avoid)
		r.mu.Unlock()
		r.first.Store(nil)
		racePool.Put(r)
		a.abort, a.picked = nil, nil
		return a, node, 1, err
	}
	// The timer fired: fire runs or has run. r is not pooled again.
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

// wins reports whether an attempt's error is a reply that ends the call
// (a business error, or one the server sent that is not retried), rather
// than a failure that lets the other attempt decide.
func wins(mp *methodPolicy, err error) bool {
	return status.IsBusiness(err) || (status.IsRemote(err) && !mp.Retry.Retryable(err))
}

// fire starts the backup attempt, with a result of its own of the same
// type as the first's, unless the first has ended, the call is oneway, or
// the budget or the deadline leaves no room.
// It runs on the timer's goroutine and makes the backup there.
func (r *race) fire() {
	r.mu.Lock()
	if r.firstDone || r.c == nil {
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
