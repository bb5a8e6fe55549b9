package client

import (
	"context"
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
