package server

import (
	"sync"

	"github.com/ospreyrpc/osprey/internal/bufpool"
	"github.com/ospreyrpc/osprey/internal/wqueue"
	"github.com/ospreyrpc/osprey/protocol/thrift"
	"github.com/ospreyrpc/osprey/protocol/ttheader"
)

// A TTHeader connection whose client multiplexes it is served
// concurrently: Osprey's multiplexing client says so in every request
// header (docs/spec/ttheader.md §7), and a client that sends a request
// before the reply to the previous one (Kitex's) shows it. Replies are
// matched by sequence id, so they may go in any order. Then this goroutine
// keeps reading, each request runs on its own goroutine, and replies are
// written as they complete, coalesced into as few writes as possible. At
// most maxConcurrentPerConn requests of one connection run at once; past
// that the connection is not read until one finishes, so a client that
// floods a connection meets backpressure instead of growing the server's
// memory. Plain framed and unframed Thrift connections stay in order, as
// Apache Thrift clients expect.

// mux is the state of a connection served concurrently.
type mux struct {
	slots chan struct{} // one token per request running
	wg    sync.WaitGroup
	out   *wqueue.Queue
	// jobs hands requests to idle workers: goroutines that serve one
	// request after another for the connection, so that their stacks,
	// grown once, are not grown again for every request.
	jobs chan job
	quit chan struct{}

	mu       sync.Mutex
	inflight int // requests running; the connection is idle at 0
}

// job is one request for a worker.
type job struct {
	p *[]byte // the request, copied out of the read buffer
	n int     // its size on the wire
}

func (c *conn) startMux() {
	c.mux = &mux{
		slots: make(chan struct{}, c.s.opts.maxConcurrentPerConn),
		jobs:  make(chan job), quit: make(chan struct{}),
	}
	c.mux.out = wqueue.New(c.nc, c.s.opts.writeTimeout, func(err error) {
		c.s.opts.logger.Debug("osprey: writing replies failed", "remote", c.remote, "err", err)
		c.forceClose()
	})
	c.rd.ReadAhead = muxReadSize // many requests per read
}

// wantsMux reports whether the connection should switch to concurrent
// serving: a TTHeader request with more bytes already behind it.
func (c *conn) wantsMux(msg []byte, n int) bool {
	return c.framing == thrift.Framed && c.s.opts.maxConcurrentPerConn > 1 &&
		ttheader.HasMagic(msg) && len(c.rd.Buf.Buffered()) > n
}

// serveMux reads requests and hands each to a worker until the connection
// ends or the server drains, then waits for the requests still running.
func (c *conn) serveMux() {
	m := c.mux
	defer m.out.Close() // after the requests still running have queued their replies
	defer close(m.quit)
	defer m.wg.Wait()
	for {
		msg, n, err := c.rd.Next()
		if err != nil {
			c.readFailed(err)
			return
		}
		m.slots <- struct{}{} // backpressure: wait for a free slot
		if !c.muxStart() {
			<-m.slots
			return // closed by Stop or the sweeper, or the server drains
		}
		m.wg.Add(1)
		// The request outlives the read buffer: copy it.
		p := bufpool.Get(n)
		*p = append((*p)[:0], msg...)
		c.rd.Done(n)
		select {
		case m.jobs <- job{p, n}:
		default:
			go c.work(job{p, n})
		}
	}
}

// muxStart counts a request in and marks the connection busy. It returns
// false if the connection is closed or the server is draining: a request
// read then is dropped, as on a connection closed just before it came.
func (c *conn) muxStart() bool {
	m := c.mux
	m.mu.Lock()
	defer m.mu.Unlock()
	if c.s.draining.Load() || !c.startRequestIfOpen() {
		return false
	}
	m.inflight++
	return true
}

// startRequestIfOpen marks the connection busy unless it is closed.
func (c *conn) startRequestIfOpen() bool {
	for {
		switch st := c.state.Load(); st {
		case stateBusy:
			return true
		case stateClosed:
			return false
		default:
			if c.state.CompareAndSwap(st, stateBusy) {
				return true
			}
		}
	}
}

// muxDone counts a request out; the last one makes the connection idle,
// and closes it if the server drains.
func (c *conn) muxDone() {
	m := c.mux
	m.mu.Lock()
	m.inflight--
	idle := m.inflight == 0
	if idle {
		c.since.Store(c.s.clock.Load())
		c.state.CompareAndSwap(stateBusy, stateIdle)
	}
	m.mu.Unlock()
	if idle && c.s.draining.Load() {
		c.closeIfIdle()
	}
}

// work serves j and then, while the connection lasts, the requests handed
// to it.
func (c *conn) work(j job) {
	m := c.mux
	w := workerPool.Get().(*worker)
	defer workerPool.Put(w)
	for {
		out := c.handle(w, *j.p, j.n)
		bufpool.Put(j.p)
		if out.reply != nil {
			m.out.Push(out.reply)
		}
		out.adm.release()
		if !out.keep {
			c.forceClose()
		}
		c.muxDone()
		<-m.slots
		m.wg.Done()
		select {
		case j = <-m.jobs:
		case <-m.quit:
			return
		}
	}
}

// muxReadSize is the room a multiplexed connection reads into, so that one
// read takes in many requests.
const muxReadSize = 64 << 10

var workerPool = sync.Pool{New: func() any { return new(worker) }}
