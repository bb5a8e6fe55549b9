package client

import (
	"context"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/http2"

	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/discovery"
	"github.com/ospreyrpc/osprey/internal/h2"
	"github.com/ospreyrpc/osprey/status"
)

// lateTimer is a context whose deadline has passed but whose timer has
// not fired yet: the moment a server's reset at the same deadline can
// arrive in.
type lateTimer struct {
	context.Context
	deadline time.Time
}

func (c lateTimer) Deadline() (time.Time, bool) { return c.deadline, true }

// TestServerResetAtTheDeadlineIsDeadlineExceeded: a server that gives up
// at the grpc-timeout it was sent resets the stream with CANCEL; if that
// arrives before the client's own timer fires, the call still ends with
// DeadlineExceeded, and a CANCEL before the deadline stays Canceled.
func TestServerResetAtTheDeadlineIsDeadlineExceeded(t *testing.T) {
	p := &grpcPool{inst: &discovery.Instance{Addr: "127.0.0.1:1"}}
	reset := &h2.ResetError{Code: http2.ErrCodeCancel, Remote: true}
	late := lateTimer{context.Background(), time.Now().Add(-time.Millisecond)}
	if got := status.Code(p.streamError(late, reset, "receive from")); got != codes.DeadlineExceeded {
		t.Errorf("reset after the deadline: %v, want DeadlineExceeded", got)
	}
	early := lateTimer{context.Background(), time.Now().Add(time.Hour)}
	if got := status.Code(p.streamError(early, reset, "receive from")); got != codes.Canceled {
		t.Errorf("reset before the deadline: %v, want Canceled", got)
	}
}

// TestAppendTimeout: from 100 ms up, grpc-timeout is whole milliseconds
// rounded up, an indexable field whose string is reused while the value
// repeats; below, a precise literal.
func TestAppendTimeout(t *testing.T) {
	p := &grpcPool{}
	fs, raw, size := p.appendTimeout(nil, nil, 5*time.Second-300*time.Microsecond)
	if len(fs) != 1 || fs[0].Name != "grpc-timeout" || fs[0].Value != "5000m" || len(raw) != 0 || size != 0 {
		t.Fatalf("5s: fields %v, raw %q, size %d", fs, raw, size)
	}
	if n := testing.AllocsPerRun(100, func() { p.appendTimeout(fs[:0], nil, 5*time.Second-time.Microsecond) }); n != 0 {
		t.Errorf("a repeated timeout allocates %v times", n)
	}
	fs, _, _ = p.appendTimeout(nil, nil, 2500*time.Millisecond+time.Nanosecond)
	if fs[0].Value != "2501m" {
		t.Errorf("2.5s+1ns: %q, want 2501m", fs[0].Value)
	}
	fs, raw, size = p.appendTimeout(nil, nil, 99*time.Millisecond+500*time.Microsecond)
	if len(fs) != 0 || len(raw) == 0 || size == 0 || !strings.HasSuffix(string(raw), "99500000n") {
		t.Errorf("99.5ms: fields %v, raw %q, size %d; want a literal 99500000n", fs, raw, size)
	}
}
