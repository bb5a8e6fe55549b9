package h2_test

import (
	"context"
	"errors"
	"testing"

	"golang.org/x/net/http2"

	"github.com/ospreyrpc/osprey/internal/h2"
	"github.com/ospreyrpc/osprey/internal/leakcheck"
)

// TestStreamContext: a stream's context, and contexts derived from it
// (which watch it through its AfterFunc), end with context.Canceled when
// the peer resets the stream, and when the connection closes; a stopped
// AfterFunc does not run.
func TestStreamContext(t *testing.T) {
	leakcheck.Check(t)
	for _, tc := range []struct {
		name string
		end  func(c *client, s *served)
	}{
		{"RST_STREAM", func(c *client, _ *served) { c.must(c.fr.WriteRSTStream(1, http2.ErrCodeCancel)) }},
		{"connection closed", func(_ *client, s *served) { s.c.Close() }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			snc, cnc := tcpPair(t)
			started := make(chan struct{})
			errs := make(chan error, 3)
			s := serve(t, snc, h2.DefaultConfig(), h2.HandlerFunc(func(st *h2.Stream) {
				ctx := st.Context()
				child, cancel := context.WithCancel(ctx)
				defer cancel()
				stopped := make(chan struct{})
				stop := context.AfterFunc(ctx, func() { close(stopped) })
				if !stop() {
					errs <- errors.New("stop() = false before the stream ended")
				}
				if err := ctx.Err(); err != nil {
					errs <- err
				}
				close(started)
				<-child.Done()
				errs <- child.Err()
				errs <- ctx.Err()
				select {
				case <-stopped:
					errs <- errors.New("a stopped AfterFunc ran")
				default:
				}
			}))
			c := newClient(t, cnc)
			c.handshake()
			c.headers(1, false)
			<-started
			tc.end(c, s)
			for range 2 {
				if err := <-errs; !errors.Is(err, context.Canceled) {
					t.Fatalf("context error %v, want context.Canceled", err)
				}
			}
		})
	}
}
