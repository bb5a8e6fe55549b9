package wqueue

import (
	"net"
	"sync"
	"time"

	"github.com/ospreyrpc/osprey/internal/bufpool"
)

// Queue is the write side of one connection. Its zero value is ready once
// Conn is set.
type Queue struct {
	// Conn is the connection written to.
	Conn net.Conn
	// Timeout bounds each batch's write; 0 means none.
	Timeout time.Duration
	// Failed, if not nil, is called once, without the lock held, when a
	// write fails; later Push calls drop their buffers.
	Failed func(error)

	mu      sync.Mutex
	queue   []*[]byte
	spare   []*[]byte
	writing bool
	err     error
	backing [][]byte    // storage of bufs, kept between writes
	bufs    net.Buffers // what WriteTo consumes
}

// Push queues p, a buffer from bufpool that the queue gives back once
// written, and writes the queue unless another goroutine is doing so. It
// returns the queue's error: a write that failed before or during this
// call, in which case p was dropped.
func (q *Queue) Push(p *[]byte) error {
	q.mu.Lock()
	if q.err != nil {
		err := q.err
		q.mu.Unlock()
		bufpool.Put(p)
		return err
	}
	q.queue = append(q.queue, p)
	if q.writing {
		q.mu.Unlock()
		return nil
	}
	q.writing = true
	var failed error
	for len(q.queue) > 0 && q.err == nil {
		batch := q.queue
		q.queue = q.spare[:0]
		q.mu.Unlock()
		err := q.write(batch)
		q.mu.Lock()
		clear(batch)
		q.spare = batch[:0]
		if err != nil {
			q.err, failed = err, err
			for _, r := range q.queue {
				bufpool.Put(r)
			}
			clear(q.queue)
			q.queue = q.queue[:0]
		}
	}
	q.writing = false
	err := q.err
	q.mu.Unlock()
	if failed != nil && q.Failed != nil {
		q.Failed(failed)
	}
	return err
}

// write writes a batch with one writev and gives its buffers back.
func (q *Queue) write(batch []*[]byte) error {
	b := q.backing[:0]
	for _, p := range batch {
		b = append(b, *p)
	}
	q.backing = b
	if q.Timeout > 0 {
		q.Conn.SetWriteDeadline(time.Now().Add(q.Timeout))
	}
	// WriteTo consumes its receiver: a field, so that taking its address
	// allocates nothing.
	q.bufs = b
	_, err := q.bufs.WriteTo(q.Conn)
	clear(b)
	q.bufs = nil
	for _, p := range batch {
		bufpool.Put(p)
	}
	return err
}
