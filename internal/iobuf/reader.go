package iobuf

import (
	"fmt"
	"io"

	"github.com/ospreyrpc/osprey/internal/bufpool"
)

// DefaultSize is the capacity a Reader starts with: small, so that an idle
// connection holds little memory; the buffer grows to fit the messages it
// reads and keeps that size.
const DefaultSize = 512

// Reader buffers reads from an io.Reader. Ensure reads until enough bytes
// are buffered; Discard drops bytes the caller is done with. The buffer
// comes from bufpool and goes back there on Release. Not safe for
// concurrent use.
type Reader struct {
	r          io.Reader
	p          *[]byte // buffer from bufpool; nil until first needed
	start, end int     // buffered bytes are (*p)[start:end]
	x          exchange
}

// Reset makes b read from r, dropping anything buffered.
func (b *Reader) Reset(r io.Reader) {
	b.r = r
	b.start, b.end = 0, 0
}

// Buffered returns the bytes read but not discarded. They stay valid until
// the next Ensure, Discard or Release.
func (b *Reader) Buffered() []byte {
	if b.p == nil {
		return nil
	}
	return (*b.p)[b.start:b.end]
}

// Ensure reads until at least n bytes are buffered and returns the buffered
// bytes, which may be more than n. A read error ends it early; io.EOF with
// some but not n bytes buffered becomes io.ErrUnexpectedEOF.
func (b *Reader) Ensure(n int) ([]byte, error) {
	if b.end-b.start >= n {
		return (*b.p)[b.start:b.end], nil
	}
	b.makeRoom(n)
	buf := (*b.p)[:cap(*b.p)]
	for b.end-b.start < n {
		m, err := b.r.Read(buf[b.end:])
		b.end += m
		if err != nil {
			if b.end-b.start >= n {
				break
			}
			if err == io.EOF && b.end > b.start {
				err = io.ErrUnexpectedEOF
			}
			return buf[b.start:b.end], err
		}
	}
	return buf[b.start:b.end], nil
}

// Reserve makes room for n bytes from the first buffered byte, without
// reading, so that a read into the free space can complete a message of
// that size.
func (b *Reader) Reserve(n int) { b.makeRoom(n) }

// makeRoom makes sure the buffer can hold n bytes from start.
func (b *Reader) makeRoom(n int) {
	if b.p == nil {
		b.p = bufpool.Get(max(n, DefaultSize))
		b.start, b.end = 0, 0
		return
	}
	if cap(*b.p)-b.start >= n {
		return
	}
	buffered := b.end - b.start
	if cap(*b.p) >= n {
		copy((*b.p)[:cap(*b.p)], (*b.p)[b.start:b.end])
	} else {
		// Grow by at least doubling, so a message arriving in many pieces
		// is copied O(1) times on average.
		np := bufpool.Get(max(n, 2*cap(*b.p)))
		*np = append((*np)[:0], (*b.p)[b.start:b.end]...)
		bufpool.Put(b.p)
		b.p = np
	}
	b.start, b.end = 0, buffered
}

// Discard drops the first n buffered bytes.
func (b *Reader) Discard(n int) {
	if n > b.end-b.start {
		panic(fmt.Sprintf("iobuf: Discard(%d) with %d buffered", n, b.end-b.start))
	}
	b.start += n
	if b.start == b.end {
		b.start, b.end = 0, 0
	}
}

// Release returns the buffer to the pool if nothing is buffered, or if
// force is set, dropping what is. It returns whether it did.
func (b *Reader) Release(force bool) bool {
	if b.p == nil || (!force && b.end > b.start) {
		return false
	}
	bufpool.Put(b.p)
	b.p = nil
	b.start, b.end = 0, 0
	return true
}
