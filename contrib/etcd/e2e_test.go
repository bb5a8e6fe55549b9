package etcd_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ospreyrpc/osprey/client"
	"github.com/ospreyrpc/osprey/contrib/etcd"
	"github.com/ospreyrpc/osprey/server"
	"github.com/ospreyrpc/osprey/service"
)

// text is a gRPC message of raw bytes.
type text struct{ s string }

func (m *text) MarshalGRPC(dst []byte) ([]byte, error) { return append(dst, m.s...), nil }
func (m *text) UnmarshalGRPC(b []byte) error           { m.s = string(b); return nil }

// whoDesc is "test.Who"/"Who": it answers with the name the server was
// registered with (its impl).
var whoDesc = service.Desc{Name: "test.Who", Protobuf: true, Methods: []service.Method{{
	Name:    "Who",
	NewCall: func() service.Call { return service.Call{Args: new(text), Result: new(text)} },
	Handler: func(_ context.Context, impl any, _, result any) error {
		result.(*text).s = impl.(string)
		return nil
	},
}}}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// serveWho serves desc as name, registered in reg as "who".
func serveWho(t *testing.T, desc *service.Desc, reg *etcd.Registry, name string, opts ...server.Option) (*server.Server, string) {
	t.Helper()
	s, err := server.New(append([]server.Option{server.WithRegistry(reg, "who", nil), server.WithLogger(quiet)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Register(desc, name); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		s.Stop(ctx)
		if err := <-done; err != server.ErrStopped {
			t.Errorf("Serve: %v", err)
		}
	})
	return s, ln.Addr().String()
}

func who(ctx context.Context, c *client.Client, desc *service.Desc) (string, error) {
	m := &desc.Methods[0]
	call := m.NewCall()
	err := c.Call(ctx, m, call)
	if r, ok := call.Result.(*text); ok {
		return r.s, err
	}
	return call.Result.(*ttext).s, err
}

// Two servers register in etcd; a client of "etcd://host:port/who" spreads
// calls over both; one stops gracefully under load, and the client moves
// to the other without a failed call: over gRPC (GOAWAY tells the client
// too) and over Thrift, which has no such message, so the servers wait
// WithDeregisterWait for the client to see the instance go.
func TestServersAndClientThroughEtcd(t *testing.T) {
	t.Run("grpc", func(t *testing.T) { testServersAndClient(t, &whoDesc) })
	t.Run("thrift", func(t *testing.T) {
		testServersAndClient(t, &whoThrift, server.WithDeregisterWait(500*time.Millisecond))
	})
}

func testServersAndClient(t *testing.T, desc *service.Desc, opts ...server.Option) {
	te := startEtcd(t)
	cli := te.newClient(t)
	reg := newRegistry(t, cli)
	b := newBuilder(t, cli)
	s1, addr1 := serveWho(t, desc, reg, "s1", opts...)
	_, addr2 := serveWho(t, desc, reg, "s2", opts...)
	// Servers register in the background: wait until etcd has both.
	if addr2 < addr1 {
		watch(t, b, "etcd:///who").waitFor(t, addr2, addr1)
	} else {
		watch(t, b, "etcd:///who").waitFor(t, addr1, addr2)
	}

	c, err := client.New("etcd://"+te.addr()+"/who", desc, client.WithResolverBuilder(b))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()

	counts := map[string]int{}
	for range 100 {
		name, err := who(ctx, c, desc)
		if err != nil {
			t.Fatal(err)
		}
		counts[name]++
	}
	if counts["s1"] < 30 || counts["s2"] < 30 {
		t.Fatalf("calls spread %v, want both near 50", counts)
	}

	// Load while s1 stops.
	var calls, failed atomic.Int64
	var s1Stopped atomic.Bool
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				after := s1Stopped.Load()
				name, err := who(ctx, c, desc)
				calls.Add(1)
				if err != nil {
					failed.Add(1)
					t.Errorf("call during the stop: %v", err)
					continue
				}
				if after && name == "s1" {
					t.Error("a call made after s1's Stop returned reached s1")
				}
			}
		}()
	}
	sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	err = s1.Stop(sctx)
	cancel()
	s1Stopped.Store(true)
	if err != nil {
		t.Fatalf("Stop: %v", err)
	}
	for range 100 {
		if name, err := who(ctx, c, desc); err != nil || name != "s2" {
			t.Fatalf("after s1 stopped: %q, %v", name, err)
		}
	}
	close(stop)
	wg.Wait()
	t.Logf("%d calls during and after the stop, %d failed; before it %v", calls.Load(), failed.Load(), counts)
}
