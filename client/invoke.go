package client

import (
	"context"
	"time"

	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/loadbalance"
	"github.com/ospreyrpc/osprey/rpcinfo"
	"github.com/ospreyrpc/osprey/status"
)

// minAttemptTime is the least time before the call's deadline a retry or
// backup attempt needs to be started.
const minAttemptTime = time.Millisecond

// invoke is the innermost endpoint of a client's middleware chain: the
// stages of the call's Policy (timeout, fallback, retries and backups),
// then each attempt's pick and send.
func (c *Client) invoke(ctx context.Context, args, result any) error {
	ri := rpcinfo.FromContext(ctx)
	if ri == nil {
		return status.New(codes.Internal, "client: call context carries no rpcinfo").WithNotSent()
	}
	// Timeout: the call's deadline is the Policy's (set by Call), or a
	// deadline the user's middleware put on the context.
	if d, ok := ctx.Deadline(); ok && d.Before(ri.Deadline) {
		ri.Deadline = d
	}
	mp := c.policyFor(ri.Method)
	err := c.t.prepare(ctx, ri)
	if err == nil {
		if mp.attempts == 1 {
			_, err = c.send(ctx, mp, attempt{ri: ri, args: args, result: result}, nil)
		} else {
			err = c.attempts(ctx, mp, ri, args, result)
		}
	}
	if err != nil && mp.Fallback != nil {
		return mp.Fallback(ctx, args, result, err)
	}
	return err
}

// maxAvoid bounds the instances a call's attempts remember to avoid.
const maxAvoid = 10

// attempts makes the attempts of a call under a policy that allows more
// than one: failure retries after a backoff, and backup requests.
func (c *Client) attempts(ctx context.Context, mp *methodPolicy, ri *rpcinfo.Info, args, result any) error {
	mp.budget.Call()
	var avoidArr [maxAvoid]*loadbalance.Node
	avoid := avoidArr[:0]
	a := attempt{ri: ri, args: args, result: result}
	var err error
	for made := 0; ; {
		var node *loadbalance.Node
		if mp.Retry.BackupDelay > 0 && made+1 < mp.attempts {
			var n int
			a, node, n, err = c.race(ctx, mp, a, avoid)
			made += n
		} else {
			node, err = c.send(ctx, mp, a, avoid)
			made++
		}
		if node != nil && len(avoid) < maxAvoid {
			avoid = append(avoid, node)
		}
		if err == nil || made >= mp.attempts || err == errBreakerOpen || !mp.Retry.Retryable(err) {
			break
		}
		wait := mp.Retry.Backoff(made)
		if !time.Now().Add(wait + minAttemptTime).Before(ri.Deadline) {
			break
		}
		// A retry after an attempt that never left costs the dependency
		// nothing more than the call would have: it needs no budget.
		if !status.IsNotSent(err) && !mp.budget.Withdraw() {
			break
		}
		if werr := sleepCtx(ctx, wait); werr != nil {
			err = werr
			break
		}
		a = attempt{ri: nextAttempt(ctx, ri, made+1), args: args, result: result}
	}
	if a.ri != ri {
		finishInfo(ri, a.ri)
	}
	return err
}

// send makes one attempt through the method's breaker, if it has one.
func (c *Client) send(ctx context.Context, mp *methodPolicy, a attempt, avoid []*loadbalance.Node) (*loadbalance.Node, error) {
	br := mp.breaker
	if br == nil {
		return c.t.send(ctx, a, avoid)
	}
	if !br.Allow() {
		return nil, errBreakerOpen
	}
	node, err := c.t.send(ctx, a, avoid)
	br.Done(isFailure(err))
	return node, err
}

// nextAttempt returns the Info of attempt n of the call ri describes.
func nextAttempt(ctx context.Context, ri *rpcinfo.Info, n int) *rpcinfo.Info {
	_, next := new(rpcinfo.Holder).Init(ctx)
	startInfo(next, ri, n)
	return next
}

// startInfo fills the Info of attempt n from the call's.
func startInfo(next, ri *rpcinfo.Info, n int) {
	next.Role, next.Service, next.Method, next.Oneway = ri.Role, ri.Service, ri.Method, ri.Oneway
	next.Protocol, next.Deadline = ri.Protocol, ri.Deadline
	next.CallerService, next.CallerMethod, next.CalleeService = ri.CallerService, ri.CallerMethod, ri.CalleeService
	next.LogID, next.Metadata = ri.LogID, ri.Metadata
	next.Start, next.Attempt = time.Now(), n
}

// finishInfo copies what the last attempt learned into the call's Info,
// which keeps the call's Start.
func finishInfo(ri, last *rpcinfo.Info) {
	ri.Attempt, ri.Instance, ri.SeqID = last.Attempt, last.Instance, last.SeqID
	ri.LocalAddr, ri.RemoteAddr = last.LocalAddr, last.RemoteAddr
	ri.End, ri.BytesIn, ri.BytesOut = last.End, last.BytesIn, last.BytesOut
}

// sleepCtx waits d, or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return contextError(ctx, ctx.Err())
	}
}
