package conformance

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/ospreyrpc/osprey/conformance/internal/apache"
	"github.com/ospreyrpc/osprey/conformance/internal/osprey"
)

// allOptions are the protocol and transport combinations both sides speak.
var allOptions = []apache.Options{
	{Protocol: apache.ProtocolBinary, Transport: apache.TransportFramed},
	{Protocol: apache.ProtocolBinary, Transport: apache.TransportBuffered},
	{Protocol: apache.ProtocolCompact, Transport: apache.TransportFramed},
	{Protocol: apache.ProtocolCompact, Transport: apache.TransportBuffered},
}

// testContext returns a context that ends with the test or after 30 seconds.
func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func listen(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

// startApache starts an Apache library server on a loopback port, stopped
// when the test ends.
func startApache(t *testing.T, opts apache.Options) *apache.Server {
	t.Helper()
	s, err := apache.Serve(listen(t), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Stop)
	return s
}

// startOsprey starts an Osprey server on a loopback port, stopped when the
// test ends; what it logged is in the test's output if the test fails.
func startOsprey(t *testing.T) *osprey.Server {
	t.Helper()
	logs := &syncBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s, err := osprey.Serve(listen(t), logger)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Stop(); err != nil {
			t.Errorf("Stop: %v", err)
		}
		if t.Failed() && logs.String() != "" {
			t.Logf("Osprey server log:\n%s", logs)
		}
	})
	return s
}

// syncBuffer is a bytes.Buffer safe for concurrent use.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
