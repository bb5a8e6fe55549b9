package etcd_test

import (
	"context"
	"errors"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/ospreyrpc/osprey/client"
	"github.com/ospreyrpc/osprey/contrib/etcd"
	"github.com/ospreyrpc/osprey/discovery"
	"github.com/ospreyrpc/osprey/internal/leakcheck"
	"github.com/ospreyrpc/osprey/server"
)

// A client made with only URLBuilder, and a server with only DialRegistry,
// meet through "etcd://host:port/who": neither made an etcd client, and
// once both are closed no goroutine of theirs is left.
func TestURLBuilderAndDialRegistry(t *testing.T) {
	te := startEtcd(t)
	before := leakcheck.Snapshot()
	target := "etcd://" + te.addr() + "/who"

	reg, err := etcd.DialRegistry("etcd://"+te.addr(), etcd.WithLogger(quiet))
	if err != nil {
		t.Fatal(err)
	}
	s, err := server.New(server.WithRegistry(reg, "who", nil), server.WithLogger(quiet))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Register(&whoDesc, "s1"); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- s.Serve(ln) }()

	b, err := etcd.URLBuilder(etcd.WithLogger(quiet))
	if err != nil {
		t.Fatal(err)
	}
	// The server registers in the background: wait until a resolver of the
	// builder sees it, then stop that resolver.
	u, _ := url.Parse(target)
	r, err := b.Build(u)
	if err != nil {
		t.Fatal(err)
	}
	wctx, stopWatch := context.WithCancel(context.Background())
	w := newWatcher()
	if err := r.Watch(wctx, w.update); err != nil {
		t.Fatal(err)
	}
	w.waitFor(t, ln.Addr().String())
	stopWatch()

	c, err := client.New(target, &whoDesc, client.WithResolverBuilder(b))
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if name, err := who(context.Background(), c, &whoDesc); err != nil || name != "s1" {
			t.Fatalf("call through %s: %q, %v", target, name, err)
		}
	}
	c.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.Stop(ctx); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if err := <-served; err != server.ErrStopped {
		t.Fatalf("Serve: %v", err)
	}
	// Stop deregistered: the key is gone.
	cli := te.newClient(t)
	resp, err := cli.Get(ctx, etcd.DefaultPrefix+"who/", clientv3.WithPrefix())
	if err != nil || len(resp.Kvs) != 0 {
		t.Fatalf("after Stop: %v keys, %v", resp.Kvs, err)
	}
	cli.Close()
	if err := reg.Close(); err != nil {
		t.Fatalf("registry Close: %v", err)
	}
	if err := reg.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if err := reg.Register(ctx, "who", discovery.TCP("127.0.0.1:1")); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Fatalf("Register after Close: %v", err)
	}
	before.Wait(t, 10*time.Second, etcdServerStacks...)
}

// A registry of NewRegistry stops keeping its leases on Close, and leaves
// the caller's client open.
func TestRegistryCloseKeepsClient(t *testing.T) {
	te := startEtcd(t)
	cli := te.newClient(t)
	reg := newRegistry(t, cli, etcd.WithLogger(quiet))
	ctx := context.Background()
	if err := reg.Register(ctx, "echo", discovery.TCP("10.0.0.1:1")); err != nil {
		t.Fatal(err)
	}
	if err := reg.Close(); err != nil {
		t.Fatal(err)
	}
	if err := reg.Register(ctx, "echo", discovery.TCP("10.0.0.2:1")); err == nil {
		t.Fatal("Register after Close succeeded")
	}
	// The client still works, and the key is there until its lease expires.
	resp, err := cli.Get(ctx, etcd.DefaultPrefix+"echo/10.0.0.1:1")
	if err != nil || len(resp.Kvs) != 1 {
		t.Fatalf("get after Close: %v, %v", resp, err)
	}
}

func TestURLBuilderTargetErrors(t *testing.T) {
	b, err := etcd.URLBuilder()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ target, want string }{
		{"etcd:///who", "no etcd host:port in the target"},
		{"etcd://127.0.0.1/who", `etcd endpoint "127.0.0.1": want host:port`},
		{"etcd://127.0.0.1:0/who", `etcd endpoint "127.0.0.1:0": want host:port`},
		{"etcd://:2379/who", `etcd endpoint ":2379": want host:port`},
		{"etcd://127.0.0.1:2379/", `service name ""`},
		{"etcd://127.0.0.1:2379/a/b", `service name "a/b"`},
	} {
		u, err := url.Parse(tc.target)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := b.Build(u); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Build(%s): %v, want an error containing %q", tc.target, err, tc.want)
		}
	}
	// Through client.New, the error reaches the caller.
	if _, err := client.New("etcd://127.0.0.1/who", &whoDesc, client.WithResolverBuilder(b)); err == nil || !strings.Contains(err.Error(), "want host:port") {
		t.Errorf("client.New: %v", err)
	}
	if _, err := etcd.URLBuilder(etcd.WithTTL(time.Second)); err == nil {
		t.Error("URLBuilder(WithTTL) succeeded")
	}
	if _, err := etcd.URLBuilder(nil); err == nil {
		t.Error("URLBuilder(nil) succeeded")
	}
}

func TestDialRegistryErrors(t *testing.T) {
	for _, tc := range []struct{ target, want string }{
		{"", "want etcd://host:port"},
		{"127.0.0.1:2379", "want etcd://host:port"},
		{"http://127.0.0.1:2379", "want etcd://host:port"},
		{"etcd://127.0.0.1:2379/echo", "want etcd://host:port"},
		{"etcd://", "no etcd host:port"},
		{"etcd://127.0.0.1", `etcd endpoint "127.0.0.1": want host:port`},
		{"etcd://%zz", "invalid URL escape"},
	} {
		if r, err := etcd.DialRegistry(tc.target); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("DialRegistry(%q): %v, want an error containing %q", tc.target, err, tc.want)
			if r != nil {
				r.Close()
			}
		}
	}
	if _, err := etcd.DialRegistry("etcd://127.0.0.1:2379", etcd.WithTTL(0)); err == nil {
		t.Error("DialRegistry with WithTTL(0) succeeded")
	}
	// A registry dialled to nothing fails Register within its ctx, and
	// closes.
	r, err := etcd.DialRegistry("etcd://127.0.0.1:1", etcd.WithLogger(quiet))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if err := r.Register(ctx, "echo", discovery.TCP("10.0.0.1:1")); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Register with no etcd: %v, want the deadline", err)
	}
	if err := r.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
}

// etcdServerStacks mark the goroutines of the embedded etcd server, some
// of which it starts after it says it is ready, or for a client while it
// is connected: not the code under test's.
var etcdServerStacks = []string{"go.etcd.io/etcd/server/", "soheilhy/cmux", "grpc/internal/transport.(*http2Server)", "grpc.(*Server)"}
