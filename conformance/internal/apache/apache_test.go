package apache

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/ospreyrpc/osprey/conformance/internal/apache/gen/thrifttest"
)

var allOptions = []Options{
	{Protocol: ProtocolBinary, Transport: TransportFramed},
	{Protocol: ProtocolBinary, Transport: TransportBuffered},
	{Protocol: ProtocolCompact, Transport: TransportFramed},
	{Protocol: ProtocolCompact, Transport: TransportBuffered},
}

// start starts a server on a loopback port, stopped when the test ends.
func start(t *testing.T, opts Options, wrap func(thrifttest.ThriftTest) thrifttest.ThriftTest) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s, err := serve(ln, opts, wrap)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Stop)
	return s
}

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestCheckPassesAgainstServe(t *testing.T) {
	for _, opts := range allOptions {
		t.Run(opts.String(), func(t *testing.T) {
			t.Parallel()
			ctx := testContext(t)
			s := start(t, opts, nil)
			if err := Check(ctx, s.Addr().String(), opts); err != nil {
				t.Fatalf("Check: %v", err)
			}
			secs, err := s.WaitOneway(ctx)
			if err != nil {
				t.Fatalf("WaitOneway: %v", err)
			}
			if secs != 1 {
				t.Errorf("testOneway got secondsToSleep %d, want 1", secs)
			}
			if n := s.OnewayCalls(); n != 1 {
				t.Errorf("OnewayCalls() = %d, want 1", n)
			}
		})
	}
}

// subtlyWrong answers testI32(-1) and testInsanity wrongly, and otherwise as
// documented.
type subtlyWrong struct{ thrifttest.ThriftTest }

func (h subtlyWrong) TestI32(ctx context.Context, thing int32) (int32, error) {
	if thing == -1 {
		return 1, nil
	}
	return h.ThriftTest.TestI32(ctx, thing)
}

func (h subtlyWrong) TestInsanity(ctx context.Context, argument *thrifttest.Insanity) (map[thrifttest.UserId]map[thrifttest.Numberz]*thrifttest.Insanity, error) {
	r, err := h.ThriftTest.TestInsanity(ctx, argument)
	delete(r[1], thrifttest.Numberz_THREE)
	return r, err
}

func TestCheckReportsEveryWrongAnswer(t *testing.T) {
	opts := allOptions[0]
	s := start(t, opts, func(h thrifttest.ThriftTest) thrifttest.ThriftTest { return subtlyWrong{h} })
	err := Check(testContext(t), s.Addr().String(), opts)
	if err == nil {
		t.Fatal("Check passed against a wrong handler")
	}
	t.Logf("Check reported:\n%v", err)
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != 2 ||
		!strings.HasPrefix(lines[0], "testI32(-1): ") ||
		!strings.HasPrefix(lines[1], "testInsanity: ") {
		t.Errorf("Check reported %q, want exactly the testI32(-1) and testInsanity failures", lines)
	}
}

func TestCheckFailsOnMismatchedOptions(t *testing.T) {
	for _, tc := range []struct{ server, client Options }{
		{Options{ProtocolBinary, TransportFramed}, Options{ProtocolBinary, TransportBuffered}},
		{Options{ProtocolCompact, TransportBuffered}, Options{ProtocolBinary, TransportBuffered}},
		{Options{ProtocolBinary, TransportFramed}, Options{ProtocolCompact, TransportFramed}},
	} {
		t.Run(tc.server.String()+" vs "+tc.client.String(), func(t *testing.T) {
			s := start(t, tc.server, nil)
			err := Check(testContext(t), s.Addr().String(), tc.client)
			if err == nil {
				t.Fatal("Check passed with mismatched options")
			}
			if !strings.HasPrefix(err.Error(), "testVoid: ") {
				t.Errorf("Check reported %v, want the first check, testVoid, to fail", err)
			}
		})
	}
}

func TestUnknownOptions(t *testing.T) {
	for _, opts := range []Options{{}, {"json", TransportFramed}, {ProtocolBinary, "http"}} {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		if s, err := Serve(ln, opts); err == nil {
			s.Stop()
			t.Errorf("Serve(%v) succeeded", opts)
		}
		if err := Check(t.Context(), ln.Addr().String(), opts); err == nil {
			t.Errorf("Check(%v) succeeded", opts)
		}
	}
}

func TestStopClosesOpenConnections(t *testing.T) {
	s := start(t, allOptions[1], nil)
	c, err := net.Dial("tcp", s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s.Stop()
	s.Stop()
	if _, err := c.Read(make([]byte, 1)); err == nil {
		t.Error("connection still open after Stop")
	}
	if c, err := net.Dial("tcp", s.Addr().String()); err == nil {
		c.Close()
		t.Error("listener still open after Stop")
	}
}

func TestWaitOnewayEndsWithContext(t *testing.T) {
	s := start(t, allOptions[0], nil)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := s.WaitOneway(ctx); err != context.Canceled {
		t.Errorf("WaitOneway returned %v, want %v", err, context.Canceled)
	}
}

func TestCheckEndsWithContext(t *testing.T) {
	// A listener nobody accepts from: connecting succeeds, and no answer
	// ever comes.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	err = Check(ctx, ln.Addr().String(), allOptions[0])
	t.Logf("Check reported:\n%v", err)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Check returned %v, want an error wrapping %v", err, context.DeadlineExceeded)
	}
}
