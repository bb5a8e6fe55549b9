package h2

import (
	"context"
	"time"
)

// A Stream is its own context (Stream.Context), which saves a call the
// two allocations of context.WithCancel: it has no deadline and no
// values, and it ends with context.Canceled when the stream is reset by
// either side, when its handler returns, or when the connection closes.
// Its Done channel is made when first asked for. It implements the
// AfterFunc method that package context looks for, so contexts derived
// from it (context.WithCancel, WithTimeout) start no goroutine to watch it.

// Deadline reports no deadline: a Stream's context has none of its own.
func (s *Stream) Deadline() (time.Time, bool) { return time.Time{}, false }

// Value returns nil: a Stream's context carries no values.
func (s *Stream) Value(any) any { return nil }

// Done returns a channel closed when the stream's context ends.
func (s *Stream) Done() <-chan struct{} {
	s.cmu.Lock()
	defer s.cmu.Unlock()
	if s.done == nil {
		s.done = make(chan struct{})
		if s.cerr != nil {
			close(s.done)
		}
	}
	return s.done
}

// Err returns context.Canceled once the stream's context has ended, else nil.
func (s *Stream) Err() error {
	s.cmu.Lock()
	defer s.cmu.Unlock()
	return s.cerr
}

// AfterFunc arranges for f to run on a goroutine of its own when the
// stream's context ends, as context.AfterFunc; stop cancels that and
// reports whether it did.
func (s *Stream) AfterFunc(f func()) (stop func() bool) {
	s.cmu.Lock()
	defer s.cmu.Unlock()
	if s.cerr != nil {
		go f()
		return func() bool { return false }
	}
	p := &f
	s.afters = append(s.afters, p)
	return func() bool {
		s.cmu.Lock()
		defer s.cmu.Unlock()
		for i, q := range s.afters {
			if q == p {
				s.afters = append(s.afters[:i], s.afters[i+1:]...)
				return true
			}
		}
		return false
	}
}

// cancel ends the stream's context, once.
func (s *Stream) cancel() {
	s.cmu.Lock()
	defer s.cmu.Unlock()
	if s.cerr != nil {
		return
	}
	s.cerr = context.Canceled
	if s.done != nil {
		close(s.done)
	}
	for _, f := range s.afters {
		go (*f)()
	}
	s.afters = nil
}
