package wqueue

import (
	"net"
	"runtime"
	"sync"
	"time"

	"github.com/ospreyrpc/osprey/internal/bufpool"
)

// Queue is the write side of one connection. Build it with New; Close
// stops it.
//
// Push only queues; a flusher goroutine writes. When woken it first yields
// the processor once, so that the other goroutines already runnable (the
// rest of a batch of handlers, or of callers) queue their messages too, and
// then writes everything queued with one writev. On one core, where
// goroutines run one after another, that is what turns many messages into
// one write.
type Queue struct {
	conn    net.Conn
	timeout time.Duration
	failed  func(error)

	mu      sync.Mutex
	queue   []*[]byte
	spare   []*[]byte
	waiting bool // the flusher has been signalled and not yet taken the queue
	err     error
	closed  bool
	wake    chan struct{}
	done    chan struct{}

	// Owned by the flusher.
	backing [][]byte    // storage of bufs, kept between writes
	bufs    net.Buffers // what WriteTo consumes
	batches int         // writes made, for tests
}

// New returns a queue writing to conn, each batch within timeout (0: no
// limit). failed, if not nil, is called once, from the flusher, when a
// write fails; later Push calls drop their buffers.
func New(conn net.Conn, timeout time.Duration, failed func(error)) *Queue {
	q := &Queue{conn: conn, timeout: timeout, failed: failed, wake: make(chan struct{}, 1), done: make(chan struct{})}
	go q.flush()
	return q
}

// Push queues p, a buffer from bufpool that the queue gives back once
// written. It returns the queue's error if a write failed before, or if
// the queue is closed; p is dropped then.
func (q *Queue) Push(p *[]byte) error {
	q.mu.Lock()
	if q.err != nil {
		err := q.err
		q.mu.Unlock()
		bufpool.Put(p)
		return err
	}
	q.queue = append(q.queue, p)
	signal := !q.waiting
	q.waiting = true
	q.mu.Unlock()
	if signal {
		select {
		case q.wake <- struct{}{}:
		default:
		}
	}
	return nil
}

// Close stops the flusher once it has written what is queued, and waits
// for it. Pushes after Close fail.
func (q *Queue) Close() {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		<-q.done
		return
	}
	q.closed = true
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
	<-q.done
}

// closedError is what Push returns after Close.
type closedError struct{}

func (closedError) Error() string { return "wqueue: closed" }

func (q *Queue) flush() {
	defer close(q.done)
	for range q.wake {
		runtime.Gosched() // let the goroutines already runnable queue theirs
		for {
			q.mu.Lock()
			q.waiting = false
			if len(q.queue) == 0 {
				closed := q.closed
				if closed && q.err == nil {
					q.err = closedError{}
				}
				q.mu.Unlock()
				if closed {
					return
				}
				break
			}
			batch := q.queue
			q.queue, q.spare = q.spare[:0], nil
			q.mu.Unlock()
			err := q.write(batch)
			q.mu.Lock()
			clear(batch)
			q.spare = batch[:0]
			if err != nil && q.err == nil {
				q.err = err
				for _, r := range q.queue {
					bufpool.Put(r)
				}
				clear(q.queue)
				q.queue = q.queue[:0]
			}
			q.mu.Unlock()
			if err != nil {
				if q.failed != nil {
					q.failed(err)
				}
				q.drain()
				return
			}
		}
	}
}

// drain gives back what is pushed after a failure, until Close. It looks
// at closed before each wait: Close's wake-up may have been taken by the
// loop that found the failure.
func (q *Queue) drain() {
	for {
		q.mu.Lock()
		for _, r := range q.queue {
			bufpool.Put(r)
		}
		clear(q.queue)
		q.queue = q.queue[:0]
		closed := q.closed
		q.mu.Unlock()
		if closed {
			return
		}
		<-q.wake
	}
}

// write writes a batch with one writev and gives its buffers back.
func (q *Queue) write(batch []*[]byte) error {
	b := q.backing[:0]
	for _, p := range batch {
		b = append(b, *p)
	}
	q.backing = b
	if q.timeout > 0 {
		q.conn.SetWriteDeadline(time.Now().Add(q.timeout))
	}
	// WriteTo consumes its receiver: a field, so that taking its address
	// allocates nothing.
	q.bufs = b
	q.batches++
	_, err := q.bufs.WriteTo(q.conn)
	clear(b)
	q.bufs = nil
	for _, p := range batch {
		bufpool.Put(p)
	}
	return err
}
