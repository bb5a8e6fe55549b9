package echotest

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ospreyrpc/osprey/internal/gen/echo"
	"github.com/ospreyrpc/osprey/server"
)

// Server is a running echo server.
type Server struct {
	*server.Server
	Handler *Handler
	// Target is the address to give a client: "host:port" or "unix:/path".
	Target  string
	logs    *syncBuffer
	ln      *countingListener
	stopped bool
}

// Accepted reports how many connections the server has accepted.
func (s *Server) Accepted() int64 { return s.ln.accepted.Load() }

// OpenConns reports how many accepted connections the server has not
// closed yet.
func (s *Server) OpenConns() int64 { return s.ln.open.Load() }

// WaitOpenConns waits up to 5 s until the server has n connections open
// and returns how many it has then: the count drops after a closed
// socket, so a client can see the close a moment before the count does.
func (s *Server) WaitOpenConns(n int64) int64 {
	return s.ln.waitOpen(n, time.After(5*time.Second))
}

// CloseConns closes every connection the server has open, without a
// reply to the calls in flight, as a crash would.
func (s *Server) CloseConns() { s.ln.closeAll() }

// Stop stops the server; the test's cleanup then only checks that Serve
// returned.
func (s *Server) Stop(ctx context.Context) error {
	s.stopped = true
	return s.Server.Stop(ctx)
}

// Serve starts an echo server on a new listener for network ("tcp",
// "tcp:ADDR" for a given address, or "unix") and stops it when the test ends. The server logs at debug level
// into a buffer Logs returns.
func Serve(t testing.TB, network string, opts ...server.Option) *Server {
	t.Helper()
	return ServeWith(t, network, nil, opts...)
}

// ServeWith is Serve with register, if not nil, called to register more
// services before serving starts.
func ServeWith(t testing.TB, network string, register func(*server.Server) error, opts ...server.Option) *Server {
	t.Helper()
	logs := &syncBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s, err := server.New(append([]server.Option{server.WithLogger(logger)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	h := NewHandler()
	if err := echo.RegisterEcho(s, h); err != nil {
		t.Fatal(err)
	}
	if register != nil {
		if err := register(s); err != nil {
			t.Fatal(err)
		}
	}
	var ln net.Listener
	var target string
	switch network {
	case "unix":
		path := filepath.Join(t.TempDir(), "echo.sock")
		ln, err = net.Listen("unix", path)
		target = "unix:" + path
	default:
		addr := "127.0.0.1:0"
		if a, ok := strings.CutPrefix(network, "tcp:"); ok {
			addr = a // a given address, such as another loopback one
		}
		ln, err = net.Listen("tcp", addr)
		if err == nil {
			target = ln.Addr().String()
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	cl := &countingListener{Listener: ln}
	done := make(chan error, 1)
	go func() { done <- s.Serve(cl) }()
	es := &Server{Server: s, Handler: h, Target: target, logs: logs, ln: cl}
	t.Cleanup(func() {
		if !es.stopped {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if err := s.Stop(ctx); err != nil {
				t.Errorf("Stop: %v", err)
			}
		}
		if err := <-done; err != server.ErrStopped {
			t.Errorf("Serve returned %v, want ErrStopped", err)
		}
	})
	return es
}

// Logs returns what the server has logged so far.
func (s *Server) Logs() string { return s.logs.String() }

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
