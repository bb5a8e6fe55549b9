package osprey

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ospreyrpc/osprey/conformance/internal/apache"
	"github.com/ospreyrpc/osprey/internal/gen/thrifttest"
	"github.com/ospreyrpc/osprey/internal/leakcheck"
)

var allOptions = []apache.Options{
	{Protocol: apache.ProtocolBinary, Transport: apache.TransportFramed},
	{Protocol: apache.ProtocolBinary, Transport: apache.TransportBuffered},
	{Protocol: apache.ProtocolCompact, Transport: apache.TransportFramed},
	{Protocol: apache.ProtocolCompact, Transport: apache.TransportBuffered},
}

// discard is a logger for servers whose logs the tests do not read.
var discard = slog.New(slog.DiscardHandler)

// start starts a server on ln, stopped when the test ends.
func start(t *testing.T, ln net.Listener, wrap func(thrifttest.ThriftTest) thrifttest.ThriftTest) *Server {
	t.Helper()
	s, err := serve(ln, discard, wrap)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Stop(); err != nil {
			t.Errorf("Stop: %v", err)
		}
	})
	return s
}

func listenTCP(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestCheckPassesAgainstServe(t *testing.T) {
	leakcheck.Check(t)
	for _, opts := range allOptions {
		t.Run(opts.String(), func(t *testing.T) {
			t.Parallel()
			ctx := testContext(t)
			s := start(t, listenTCP(t), nil)
			if err := Check(ctx, s.Addr().String(), opts); err != nil {
				t.Fatalf("Check:\n%v", err)
			}
			if secs, err := s.WaitOneway(ctx); err != nil || secs != 1 {
				t.Errorf("WaitOneway = %d, %v; want 1, nil", secs, err)
			}
			if n := s.OnewayCalls(); n != 1 {
				t.Errorf("OnewayCalls() = %d, want 1", n)
			}
		})
	}
	t.Run("unix", func(t *testing.T) {
		t.Parallel()
		path := filepath.Join(t.TempDir(), "thrift.sock")
		ln, err := net.Listen("unix", path)
		if err != nil {
			t.Fatal(err)
		}
		start(t, ln, nil)
		if err := Check(testContext(t), "unix:"+path, allOptions[3]); err != nil {
			t.Fatalf("Check:\n%v", err)
		}
	})
}

// subtlyWrong answers testI32(-1), testInsanity and testException("Xception")
// wrongly, and otherwise as documented.
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

func (h subtlyWrong) TestException(ctx context.Context, arg string) error {
	if arg == "Xception" {
		return errors.New("Xception") // undeclared
	}
	return h.ThriftTest.TestException(ctx, arg)
}

func TestCheckReportsEveryWrongAnswer(t *testing.T) {
	leakcheck.Check(t)
	s := start(t, listenTCP(t), func(h thrifttest.ThriftTest) thrifttest.ThriftTest { return subtlyWrong{h} })
	err := Check(testContext(t), s.Addr().String(), allOptions[0])
	if err == nil {
		t.Fatal("Check passed against a wrong handler")
	}
	t.Logf("Check reported:\n%v", err)
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != 3 ||
		!strings.HasPrefix(lines[0], "testI32(-1): ") ||
		!strings.HasPrefix(lines[1], "testInsanity: ") ||
		!strings.HasPrefix(lines[2], `testException("Xception"): `) {
		t.Errorf("Check reported %q, want exactly the testI32(-1), testInsanity and testException(\"Xception\") failures", lines)
	}
}

func TestCheckFailsOnMismatchedOptions(t *testing.T) {
	leakcheck.Check(t)
	for _, tc := range []struct{ server, client apache.Options }{
		{apache.Options{Protocol: apache.ProtocolBinary, Transport: apache.TransportFramed}, allOptions[1]},
		{apache.Options{Protocol: apache.ProtocolCompact, Transport: apache.TransportBuffered}, allOptions[1]},
		{apache.Options{Protocol: apache.ProtocolBinary, Transport: apache.TransportFramed}, allOptions[2]},
	} {
		t.Run(tc.server.String()+" vs "+tc.client.String(), func(t *testing.T) {
			s, err := apache.Serve(listenTCP(t), tc.server)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Stop()
			err = Check(testContext(t), s.Addr().String(), tc.client)
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
	leakcheck.Check(t)
	for _, opts := range []apache.Options{{}, {Protocol: "json", Transport: "framed"}, {Protocol: "binary", Transport: "http"}} {
		if err := Check(t.Context(), "127.0.0.1:1", opts); err == nil {
			t.Errorf("Check(%v) succeeded", opts)
		}
	}
}
