package wqueue_test

import (
	"bytes"
	"errors"
	"net"
	"sync"
	"testing"

	"github.com/ospreyrpc/osprey/internal/bufpool"
	"github.com/ospreyrpc/osprey/internal/wqueue"
)

// recorder is a net.Conn that records each write, and fails from the
// failAt-th on.
type recorder struct {
	net.Conn
	mu     sync.Mutex
	writes [][]byte
	failAt int
	// gate, if not nil, holds the first write until it is closed.
	gate chan struct{}
}

func (r *recorder) Write(p []byte) (int, error) {
	if r.gate != nil {
		<-r.gate
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.failAt > 0 && len(r.writes)+1 >= r.failAt {
		return 0, errors.New("broken pipe")
	}
	r.writes = append(r.writes, bytes.Clone(p))
	return len(p), nil
}

func msg(s string) *[]byte {
	p := bufpool.Get(len(s))
	*p = append((*p)[:0], s...)
	return p
}

func TestPushedMessagesAreWrittenInOrderAndCoalesced(t *testing.T) {
	rec := &recorder{gate: make(chan struct{})}
	q := wqueue.New(rec, 0, nil)
	var want bytes.Buffer
	// The first batch's write is held until every message is queued: the
	// rest must go out together in the next batch.
	for i := range 100 {
		s := string(rune('a' + i%26))
		want.WriteString(s)
		if err := q.Push(msg(s)); err != nil {
			t.Fatal(err)
		}
	}
	close(rec.gate)
	q.Close()
	var got bytes.Buffer
	for _, w := range rec.writes {
		got.Write(w)
	}
	if got.String() != want.String() {
		t.Fatalf("wrote %q, want %q", got.String(), want.String())
	}
	if n := wqueue.Batches(q); n > 2 {
		t.Errorf("100 messages queued while a write was held took %d batches, want at most 2", n)
	}
	if err := q.Push(msg("late")); err == nil {
		t.Error("Push after Close succeeded")
	}
}

func TestWriteFailureIsReportedOnce(t *testing.T) {
	rec := &recorder{failAt: 1}
	failures := make(chan error, 2)
	q := wqueue.New(rec, 0, func(err error) { failures <- err })
	if err := q.Push(msg("x")); err != nil {
		t.Fatal(err)
	}
	err := <-failures
	if err == nil || err.Error() != "broken pipe" {
		t.Fatalf("failure = %v", err)
	}
	if err := q.Push(msg("y")); err == nil || err.Error() != "broken pipe" {
		t.Errorf("Push after a failure = %v, want the failure", err)
	}
	q.Close()
	if len(failures) != 0 {
		t.Error("failure reported twice")
	}
}

// TestCloseDuringAFailingWrite closes the queue while a write that will
// fail is queued: Close must return (the flusher must see the close even
// though the wake-up that Close sent was taken before the failure).
func TestCloseDuringAFailingWrite(t *testing.T) {
	for range 200 {
		rec := &recorder{failAt: 1}
		q := wqueue.New(rec, 0, nil)
		q.Push(msg("x"))
		done := make(chan struct{})
		go func() { q.Close(); close(done) }()
		<-done // the test times out if Close never returns
	}
}
