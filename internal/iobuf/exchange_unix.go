//go:build unix

package iobuf

import "syscall"

// exchange is the state of one Exchange, kept in the Reader so its
// callback allocates nothing.
type exchange struct {
	out     []byte
	written int
	wrote   bool
	err     error
	step    func(fd uintptr) bool // b.exchangeStep, bound once
}

// Exchange writes out on rc and then waits until the peer's answer is
// readable and reads what has arrived into the buffer, without the read
// that Go's net package would first try, and that fails with EAGAIN when
// the answer is not there yet. RawConn.Read arms the readiness wait before
// its callback runs, so an answer that arrives after the write always wakes
// it. Only use it when the peer sends nothing before it has out: data that
// arrived earlier and is still unread would not wake the wait.
//
// It returns how much of out it wrote: when the socket cannot take all of
// out at once, it stops there, and the caller finishes with an ordinary
// write and read.
func (b *Reader) Exchange(rc syscall.RawConn, out []byte) (written int, err error) {
	b.makeRoom(1)
	x := &b.x
	if x.step == nil {
		x.step = b.exchangeStep
	}
	x.out, x.written, x.wrote, x.err = out, 0, false, nil
	err = rc.Read(x.step)
	if err == nil {
		err = x.err
	}
	written = x.written
	x.out, x.err = nil, nil
	return written, err
}

// exchangeStep is Exchange's RawConn.Read callback: the first call writes,
// the next ones read.
func (b *Reader) exchangeStep(fd uintptr) bool {
	x := &b.x
	if !x.wrote {
		x.wrote = true
		for x.written < len(x.out) {
			n, err := syscall.Write(int(fd), x.out[x.written:])
			if err == syscall.EINTR {
				continue
			}
			if err != nil || n <= 0 {
				if err != syscall.EAGAIN {
					x.err = err
				}
				return true
			}
			x.written += n
		}
		return false
	}
	buf := (*b.p)[:cap(*b.p)]
	n, err := syscall.Read(int(fd), buf[b.end:])
	switch {
	case err == syscall.EINTR || err == syscall.EAGAIN:
		return false
	case err != nil:
		x.err = err
	case n == 0:
		x.err = errEOF
	default:
		b.end += n
	}
	return true
}

// ReadFD reads from the non-blocking socket fd into the buffer's free space
// (at least one byte of it), as one read(2). It returns how many bytes it
// read and how much space it offered: fewer read than offered means the
// socket had no more at that moment. End of input is io.EOF; a socket with
// nothing to read returns syscall.EAGAIN.
func (b *Reader) ReadFD(fd uintptr) (n, space int, err error) {
	b.makeRoom(b.end - b.start + 1)
	buf := (*b.p)[:cap(*b.p)]
	space = len(buf) - b.end
	n, err = syscall.Read(int(fd), buf[b.end:])
	switch {
	case err != nil:
		return 0, space, err
	case n == 0:
		return 0, space, errEOF
	}
	b.end += n
	return n, space, nil
}
