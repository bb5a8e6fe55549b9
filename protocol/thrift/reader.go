package thrift

import (
	"fmt"
	"unsafe"
)

// reader is the state both protocol readers share: the input, the read
// position, the first error and the nesting depth.
type reader struct {
	buf    []byte
	pos    int
	err    error
	depth  int
	noCopy bool
	arena  []byte // room left for copies of this message's small strings
}

// arenaMax bounds the allocation small strings and binaries of one message
// share: a string no longer than this is copied into a chunk sized to what
// is left of the message, up to arenaMax, which later strings of the same
// message fill. So decoding a message costs one allocation for its strings,
// and a string kept long after keeps at most arenaMax bytes alive. Longer
// strings get an allocation of their own.
const arenaMax = 4096

// Reset makes the reader read buf from its start and clears any error.
func (r *reader) Reset(buf []byte) {
	r.buf, r.pos, r.err, r.depth, r.arena = buf, 0, nil, 0, nil
}

// SetNoCopy sets whether strings and binaries the reader returns share
// memory with the input instead of being copied. With it on, decoding
// allocates nothing for them, and the input must stay unchanged for as long
// as any decoded string or binary is in use. Off by default.
func (r *reader) SetNoCopy(on bool) { r.noCopy = on }

// Err returns the first error the reader met, or nil.
func (r *reader) Err() error { return r.err }

// Fail records err as the reader's error unless it already has one. From
// then on every read returns a zero value.
func (r *reader) Fail(err error) {
	if r.err == nil {
		r.err = err
		r.pos = len(r.buf)
	}
}

// Pos returns how many bytes have been read.
func (r *reader) Pos() int { return r.pos }

// Remaining returns how many bytes are left to read.
func (r *reader) Remaining() int { return len(r.buf) - r.pos }

// need reports whether n more bytes are there, failing the reader if not.
func (r *reader) need(n int) bool {
	if n <= len(r.buf)-r.pos {
		return true
	}
	r.truncated(n)
	return false
}

func (r *reader) truncated(n int) {
	if r.err == nil {
		r.Fail(fmt.Errorf("%w: need %d bytes at offset %d, have %d", ErrTruncated, n, r.pos, len(r.buf)-r.pos))
	}
}

// take returns the next n bytes, or nil after failing the reader.
func (r *reader) take(n int) []byte {
	if !r.need(n) {
		return nil
	}
	b := r.buf[r.pos : r.pos+n : r.pos+n]
	r.pos += n
	return b
}

// stringOf returns the next n bytes as a string.
func (r *reader) stringOf(n int) string {
	b := r.take(n)
	if len(b) == 0 {
		return ""
	}
	if !r.noCopy {
		b = r.copyOut(b)
	}
	return unsafe.String(&b[0], len(b))
}

// binaryOf returns the next n bytes as a non-nil slice: a copy unless the
// reader is in no-copy mode. Its capacity is its length, so appending to
// it never writes into memory another value uses.
func (r *reader) binaryOf(n int) []byte {
	b := r.take(n)
	if b == nil {
		if r.err != nil {
			return nil
		}
		return []byte{}
	}
	if r.noCopy || len(b) == 0 {
		return b
	}
	return r.copyOut(b)
}

// copyOut copies b into memory the message's decoded values own: the
// message's arena for small values, an allocation of its own otherwise.
func (r *reader) copyOut(b []byte) []byte {
	n := len(b)
	if n > arenaMax {
		return append(make([]byte, 0, n), b...)
	}
	if n > len(r.arena) {
		r.arena = make([]byte, min(max(n+len(r.buf)-r.pos, n), arenaMax))
	}
	c := r.arena[:n:n]
	copy(c, b)
	r.arena = r.arena[n:]
	return c
}

// enter counts one more level of nesting, failing past MaxDepth.
func (r *reader) enter() bool {
	if r.err != nil {
		return false
	}
	if r.depth >= MaxDepth {
		r.Fail(ErrTooDeep)
		return false
	}
	r.depth++
	return true
}

// checkCount fails the reader unless n elements of at least minSize bytes
// each fit in what is left, so a count on the wire never makes a decoder
// allocate for data that is not there.
func (r *reader) checkCount(what string, n int64, minSize int) bool {
	if r.err != nil {
		return false
	}
	if n < 0 {
		r.Fail(invalidf("negative %s size %d", what, n))
		return false
	}
	if n*int64(minSize) > int64(len(r.buf)-r.pos) {
		r.Fail(fmt.Errorf("%w: %s of %d elements needs at least %d bytes, have %d",
			ErrTruncated, what, n, n*int64(minSize), len(r.buf)-r.pos))
		return false
	}
	return true
}

func (r *reader) checkType(t Type) bool {
	if t.valid() {
		return true
	}
	r.Fail(invalidf("unknown type code %d at offset %d", t, r.pos))
	return false
}
