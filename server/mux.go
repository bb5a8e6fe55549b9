package server

import (
	"sync"

	"github.com/ospreyrpc/osprey/internal/bufpool"
	"github.com/ospreyrpc/osprey/internal/wqueue"
	"github.com/ospreyrpc/osprey/protocol/thrift"
)

// A TTHeader connection whose client sends a request before the reply to
// the previous one (a multiplexing client: replies are matched by sequence
// id, so they may go in any order) is served concurrently: this goroutine
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
	out   wqueue.Queue
}

func (c *conn) startMux() {
	c.mux = &mux{slots: make(chan struct{}, c.s.opts.maxConcurrentPerConn)}
	c.mux.out = wqueue.Queue{Conn: c.nc, Timeout: c.s.opts.writeTimeout, Failed: func(err error) {
		c.s.opts.logger.Debug("osprey: writing replies failed", "remote", c.remote, "err", err)
		c.forceClose()
	}}
}

// wantsMux reports whether the connection should switch to concurrent
// serving: a TTHeader request with more bytes already behind it.
func (c *conn) wantsMux(msg []byte, n int) bool {
	return c.framing == thrift.Framed && c.s.opts.maxConcurrentPerConn > 1 &&
		isTTHeaderBody(msg) && len(c.rd.Buf.Buffered()) > n
}

// serveMux reads requests and starts a goroutine for each until the
// connection ends, then waits for the requests still running.
func (c *conn) serveMux() {
	m := c.mux
	defer m.wg.Wait()
	for {
		msg, n, err := c.rd.Next()
		if err != nil {
			c.readFailed(err)
			return
		}
		m.slots <- struct{}{} // backpressure: wait for a free slot
		if m.wg.Add(1); !c.muxBusy() {
			<-m.slots
			m.wg.Done()
			return // closed by Stop or the sweeper
		}
		// The request outlives the read buffer: copy it.
		p := bufpool.Get(n)
		*p = append((*p)[:0], msg...)
		c.rd.Done(n)
		go c.serveConcurrent(p, n)
	}
}

// muxBusy marks the connection busy when a request starts.
func (c *conn) muxBusy() bool {
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

// serveConcurrent serves one request on its own goroutine.
func (c *conn) serveConcurrent(p *[]byte, n int) {
	m := c.mux
	w := workerPool.Get().(*worker)
	out := c.handle(w, *p, n)
	workerPool.Put(w)
	bufpool.Put(p)
	if out.reply != nil {
		m.out.Push(out.reply)
	}
	if !out.keep {
		c.forceClose()
	}
	// The last request out makes the connection idle again.
	if len(m.slots) == 1 {
		c.since.Store(c.s.clock.Load())
		if c.state.CompareAndSwap(stateBusy, stateIdle) && c.s.draining.Load() {
			c.closeIfIdle()
		}
	}
	<-m.slots
	m.wg.Done()
}

var workerPool = sync.Pool{New: func() any { return new(worker) }}
