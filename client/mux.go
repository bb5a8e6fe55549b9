package client

import (
	"context"
	"encoding/binary"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/discovery"
	"github.com/ospreyrpc/osprey/internal/bufpool"
	"github.com/ospreyrpc/osprey/internal/thriftio"
	"github.com/ospreyrpc/osprey/internal/wqueue"
	"github.com/ospreyrpc/osprey/protocol/thrift"
	"github.com/ospreyrpc/osprey/protocol/ttheader"
	"github.com/ospreyrpc/osprey/status"
)

// muxPool multiplexes calls to one instance over a fixed number of TTHeader
// connections: each call takes the next connection in turn, writes its
// request (coalesced with other callers' into one writev) and waits for the
// reply with its sequence id, which the connection's reader goroutine
// decodes into the call's result. A connection that breaks fails only the
// calls in flight on it, with Unavailable, and its slot dials a new one on
// next use; a slot never has more than one connection or one dial, so
// churn cannot pile up connections.
type muxPool struct {
	t      *target
	inst   *discovery.Instance
	opts   *options
	slots  []muxSlot
	next   atomic.Uint32
	closed atomic.Bool
	dialer net.Dialer
}

type muxSlot struct {
	mu      sync.Mutex
	c       *muxConn
	dialing chan struct{} // closed when the dial in progress ends
}

func newMuxPool(inst *discovery.Instance, t *target) *muxPool {
	return &muxPool{t: t, inst: inst, opts: &t.opts, slots: make([]muxSlot, t.opts.muxConns)}
}

// muxConn is one multiplexed connection.
type muxConn struct {
	nc     net.Conn
	out    *wqueue.Queue
	rd     thriftio.Reader
	cs     *codecs // the reader's
	seq    atomic.Int32
	local  net.Addr
	remote net.Addr

	cw       *cancelWatch
	mu       sync.Mutex
	pending  map[int32]*pendingCall
	err      error // why the connection broke; nil while usable
	draining bool  // close once nothing is pending
}

// pendingCall is a call waiting for its reply.
type pendingCall struct {
	a   attempt
	ctx context.Context // for the cancel watch; nil when the call waits on Done itself
	ch  chan error
}

var (
	pendingPool = sync.Pool{New: func() any { return &pendingCall{ch: make(chan error, 1)} }}
	timerPool   = sync.Pool{New: func() any {
		t := time.NewTimer(time.Hour)
		t.Stop()
		return t
	}}
	codecPools = [3]sync.Pool{
		thrift.Binary:  {New: func() any { return newCodecs(thrift.Binary) }},
		thrift.Compact: {New: func() any { return newCodecs(thrift.Compact) }},
	}
)

// call makes an attempt on one of the pool's connections.
func (m *muxPool) call(ctx context.Context, t *target, a attempt) error {
	ri := a.ri
	mc, err := m.get(ctx, ri.Start, ri.Deadline)
	if err != nil {
		if ctx.Err() != nil {
			return contextError(ctx, ctx.Err())
		}
		return status.Wrap(codes.Unavailable, fmt.Errorf("client: connect to %s: %w", m.inst.Addr, err)).WithNotSent()
	}
	ri.LocalAddr, ri.RemoteAddr = mc.local, mc.remote
	seq := mc.seq.Add(1)
	ri.SeqID = seq
	cs := codecPools[t.opts.encoding].Get().(*codecs)
	req, err := t.encodeRequest(cs, &a, seq, ri.Start)
	codecPools[t.opts.encoding].Put(cs)
	if err != nil {
		return err
	}
	ri.BytesOut = len(*req)

	pc := pendingPool.Get().(*pendingCall)
	pc.a = a
	if _, ok := ctx.Deadline(); ok && !ri.Oneway {
		pc.ctx = ctx
	}
	if !ri.Oneway && !mc.register(seq, pc) {
		bufpool.Put(req)
		pc.a, pc.ctx = attempt{}, nil
		pendingPool.Put(pc)
		return status.Errorf(codes.Unavailable, "client: connection to %s broke", m.inst.Addr).WithNotSent()
	}
	if pc.ctx != nil {
		defer mc.cw.active.Add(-1) // counted in by register
	}
	if err := mc.out.Push(req); err != nil {
		if !ri.Oneway {
			mc.abandon(seq, pc)
		}
		pc.a, pc.ctx = attempt{}, nil
		pendingPool.Put(pc)
		return status.Wrap(codes.Unavailable, fmt.Errorf("client: send %s to %s: %w", ri.Method, m.inst.Addr, err))
	}
	if ri.Oneway {
		pc.a = attempt{}
		pendingPool.Put(pc)
		ri.End = time.Now()
		return nil
	}
	err = mc.wait(ctx, seq, pc, ri.Deadline)
	pc.a, pc.ctx = attempt{}, nil
	pendingPool.Put(pc)
	ri.End = time.Now()
	return err
}

// wait waits for the reply to seq, the context's end, or the deadline.
//
// A context with a deadline is not asked for its Done channel, which would
// make it allocate one: its deadline is the timer's, and a cancellation
// before it is seen by the cancel watch, which fails the pending call. A
// context without a deadline is waited on directly.
func (mc *muxConn) wait(ctx context.Context, seq int32, pc *pendingCall, deadline time.Time) error {
	ctxDeadline, hasDeadline := ctx.Deadline()
	var done <-chan struct{}
	if !hasDeadline {
		done = ctx.Done()
	}
	timer := timerPool.Get().(*time.Timer)
	timer.Reset(time.Until(deadline)) // deadline is already the earlier one
	var err error
	select {
	case err = <-pc.ch:
	case <-done:
		err = contextError(ctx, ctx.Err())
		mc.abandon(seq, pc)
	case <-pc.a.abort: // nil unless a backup request may win
		err = errAborted
		mc.abandon(seq, pc)
	case <-timer.C:
		if hasDeadline && !ctxDeadline.After(deadline) {
			err = contextError(ctx, context.DeadlineExceeded)
		} else {
			err = status.New(codes.DeadlineExceeded, "client: call timed out waiting for the reply")
		}
		mc.abandon(seq, pc)
	}
	timer.Stop()
	timerPool.Put(timer)
	return err
}

// register adds a pending call, unless the connection broke.
func (mc *muxConn) register(seq int32, pc *pendingCall) bool {
	mc.mu.Lock()
	defer mc.mu.Unlock()
	if mc.err != nil {
		return false
	}
	mc.pending[seq] = pc
	if pc.ctx != nil {
		mc.cw.watchMux()
	}
	return true
}

// cancelPending fails the calls whose contexts have ended; the cancel
// watch calls it.
func (mc *muxConn) cancelPending() {
	mc.mu.Lock()
	defer mc.mu.Unlock()
	for seq, pc := range mc.pending {
		if pc.ctx != nil && pc.ctx.Err() != nil {
			delete(mc.pending, seq)
			pc.ch <- contextError(pc.ctx, pc.ctx.Err())
		}
	}
	mc.closeIfDrainedLocked()
}

// abandon gives up on a pending call: its late reply will be dropped. If
// the reader has already taken the call, abandon waits for it to finish
// delivering, so that nothing writes into the call's result afterwards.
func (mc *muxConn) abandon(seq int32, pc *pendingCall) {
	mc.mu.Lock()
	_, waiting := mc.pending[seq]
	delete(mc.pending, seq)
	mc.closeIfDrainedLocked()
	mc.mu.Unlock()
	if !waiting {
		<-pc.ch
	}
}

// get returns the next slot's connection, dialing it if the slot has none
// or a broken one.
func (m *muxPool) get(ctx context.Context, now, deadline time.Time) (*muxConn, error) {
	s := &m.slots[(m.next.Add(1)-1)%uint32(len(m.slots))]
	s.mu.Lock()
	for {
		if c := s.c; c != nil && c.usable() {
			s.mu.Unlock()
			return c, nil
		}
		if s.dialing == nil {
			break
		}
		ch := s.dialing
		s.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		s.mu.Lock()
	}
	if m.closed.Load() {
		s.mu.Unlock()
		return nil, fmt.Errorf("client closed")
	}
	s.dialing = make(chan struct{})
	s.mu.Unlock()

	deadline = m.opts.dialBy(now, deadline)
	dctx, cancel := context.WithDeadline(ctx, deadline)
	nc, err := m.dialer.DialContext(dctx, m.inst.Network, m.inst.Addr)
	cancel()
	var c *muxConn
	if err == nil {
		c = newMuxConn(nc, m.opts, m.t.cw)
	}
	s.mu.Lock()
	close(s.dialing)
	s.dialing = nil
	if c != nil {
		if m.closed.Load() {
			c.fail(fmt.Errorf("client closed"))
			c, err = nil, fmt.Errorf("client closed")
		} else {
			s.c = c
			go c.readLoop(m.t)
		}
	}
	s.mu.Unlock()
	return c, err
}

func newMuxConn(nc net.Conn, o *options, cw *cancelWatch) *muxConn {
	mc := &muxConn{
		nc: nc, local: nc.LocalAddr(), remote: nc.RemoteAddr(), cw: cw,
		cs: newCodecs(o.encoding), pending: map[int32]*pendingCall{},
	}
	mc.out = wqueue.New(nc, 0, mc.fail)
	mc.rd.Buf.Reset(nc)
	mc.rd.Init(o.encoding, thrift.Framed, o.maxMessageSize)
	mc.rd.ReadAhead = muxReadSize // many replies per read
	return mc
}

func (mc *muxConn) usable() bool {
	mc.mu.Lock()
	defer mc.mu.Unlock()
	return mc.err == nil && !mc.draining
}

// readLoop reads replies and delivers each to its call until the
// connection ends.
func (mc *muxConn) readLoop(t *target) {
	mc.cw.addMux(mc)
	defer mc.cw.removeMux(mc)
	defer mc.rd.Buf.Release(true)
	defer mc.out.Close() // the connection is closed: the flusher ends
	for {
		msg, n, err := mc.rd.Next()
		if err != nil {
			mc.fail(err)
			return
		}
		if len(msg) < 8 || !ttheader.HasMagic(msg) {
			mc.fail(fmt.Errorf("%w: reply without a TTHeader on a multiplexed connection", thrift.ErrInvalidData))
			return
		}
		seq := int32(binary.BigEndian.Uint32(msg[4:8]))
		mc.mu.Lock()
		pc := mc.pending[seq]
		delete(mc.pending, seq)
		mc.mu.Unlock()
		if pc == nil {
			mc.rd.Done(n) // the call gave up: drop its late reply
			continue
		}
		pc.a.ri.BytesIn = n
		reset, err := t.decodeReply(mc.cs, &pc.a, msg, seq)
		mc.rd.Done(n)
		if reset {
			mc.drain() // the server is closing the connection: no new calls on it
		}
		if te, ok := err.(*transportError); ok {
			pc.ch <- te.status
			mc.fail(te.status)
			return
		}
		pc.ch <- err
		mc.mu.Lock()
		mc.closeIfDrainedLocked()
		mc.mu.Unlock()
	}
}

// fail breaks the connection: it closes, and every call pending on it gets
// Unavailable.
func (mc *muxConn) fail(cause error) {
	mc.mu.Lock()
	if mc.err != nil {
		mc.mu.Unlock()
		return
	}
	mc.err = cause
	pending := mc.pending
	mc.pending = map[int32]*pendingCall{}
	mc.mu.Unlock()
	mc.nc.Close()
	for _, pc := range pending {
		pc.ch <- status.Wrap(codes.Unavailable, fmt.Errorf("client: connection to %s broke: %w", mc.remote, cause))
	}
}

// drain closes the connection once no call is pending on it.
func (mc *muxConn) drain() {
	mc.mu.Lock()
	mc.draining = true
	mc.closeIfDrainedLocked()
	mc.mu.Unlock()
}

func (mc *muxConn) closeIfDrainedLocked() {
	if mc.draining && len(mc.pending) == 0 && mc.err == nil {
		mc.err = errDrained
		mc.nc.Close()
	}
}

var errDrained = fmt.Errorf("connection closed by the client")

// muxReadSize is the room a multiplexed connection reads into.
const muxReadSize = 64 << 10

// close drains every connection: calls in flight finish.
func (m *muxPool) close() {
	m.closed.Store(true)
	for i := range m.slots {
		s := &m.slots[i]
		s.mu.Lock()
		c := s.c
		s.c = nil
		s.mu.Unlock()
		if c != nil {
			c.drain()
		}
	}
}
