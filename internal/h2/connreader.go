package h2

import (
	"io"

	"github.com/ospreyrpc/osprey/internal/bufpool"
)

// connReader is the buffered reader of a server connection's bytes, which
// holds no buffer while it waits for a frame with nothing buffered: Peek
// then returns the buffer to the pool and waits with a read into a small
// array of its own, and only then takes a buffer from the pool again. It
// costs a connection that has gone quiet one more read(2) when it wakes.
type connReader struct {
	r          io.Reader
	p          *[]byte // from bufpool while bytes are buffered
	start, end int
	small      [32]byte
}

// buffered returns the bytes buffered.
func (b *connReader) buffered() []byte {
	if b.p == nil {
		return nil
	}
	return (*b.p)[b.start:b.end]
}

// fill reads once, into the buffer if there is one, else into b.small
// and then the buffer.
func (b *connReader) fill() error {
	if b.p == nil {
		n, err := b.r.Read(b.small[:])
		if n == 0 {
			if err == nil {
				err = io.ErrNoProgress
			}
			return err
		}
		b.p = bufpool.Get(readBufferSize)
		*b.p = (*b.p)[:cap(*b.p)]
		b.start, b.end = 0, copy(*b.p, b.small[:n])
		return nil
	}
	buf := *b.p
	if b.start > 0 {
		b.end = copy(buf, buf[b.start:b.end])
		b.start = 0
	}
	n, err := b.r.Read(buf[b.end:])
	b.end += n
	if n > 0 {
		return nil
	}
	if err == nil {
		err = io.ErrNoProgress
	}
	return err
}

// Peek returns the next n bytes, n at most readBufferSize, without
// consuming them; the slice is valid until the next call.
func (b *connReader) Peek(n int) ([]byte, error) {
	if b.start == b.end {
		b.release()
	}
	for b.end-b.start < n {
		if err := b.fill(); err != nil {
			return b.buffered(), err
		}
	}
	return (*b.p)[b.start : b.start+n], nil
}

// empty reports whether no byte is buffered.
func (b *connReader) empty() bool { return b.start == b.end }

// Discard consumes n buffered bytes.
func (b *connReader) Discard(n int) { b.start += n }

// Read reads buffered bytes, or reads once from the connection.
func (b *connReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if b.start == b.end {
		if b.p == nil || len(p) >= readBufferSize {
			return b.r.Read(p) // nothing to gain from the buffer
		}
		if err := b.fill(); err != nil {
			return 0, err
		}
	}
	n := copy(p, (*b.p)[b.start:b.end])
	b.start += n
	return n, nil
}

// release returns the buffer to the pool; nothing is buffered.
func (b *connReader) release() {
	if b.p != nil {
		*b.p = (*b.p)[:0]
		bufpool.Put(b.p)
		b.p = nil
	}
	b.start, b.end = 0, 0
}
