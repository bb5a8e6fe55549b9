package etcd_test

import (
	"context"
	"net"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ospreyrpc/osprey/client"
	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/contrib/etcd"
	"github.com/ospreyrpc/osprey/loadbalance"
	"github.com/ospreyrpc/osprey/retry"
	"github.com/ospreyrpc/osprey/server"
	"github.com/ospreyrpc/osprey/service"
)

// The fault tests of issue 11: instances registered in a real etcd, a
// client resolving through it under steady load, and one fault each.

// trackedListener remembers its connections so a test can cut them all,
// as a crashed process would, and when the first of them was closed.
type trackedListener struct {
	net.Listener
	mu          sync.Mutex
	conns       map[net.Conn]struct{}
	firstClosed time.Time
}

func (l *trackedListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	tc := &trackedConn{Conn: c, l: l}
	l.mu.Lock()
	l.conns[tc] = struct{}{}
	l.mu.Unlock()
	return tc, nil
}

// cut closes the listener and every connection.
func (l *trackedListener) cut() {
	l.Listener.Close()
	l.mu.Lock()
	conns := l.conns
	l.conns = map[net.Conn]struct{}{}
	l.mu.Unlock()
	for c := range conns {
		c.Close()
	}
}

type trackedConn struct {
	net.Conn
	l    *trackedListener
	once sync.Once
}

func (c *trackedConn) Close() error {
	c.once.Do(func() {
		c.l.mu.Lock()
		if c.l.firstClosed.IsZero() {
			c.l.firstClosed = time.Now()
		}
		delete(c.l.conns, c)
		c.l.mu.Unlock()
	})
	return c.Conn.Close()
}

// instance is one server of a fleet.
type instance struct {
	name   string
	addr   string
	srv    *server.Server
	ln     *trackedListener
	served atomic.Int64
	delay  atomic.Int64 // added to every call, ns
	done   chan error
}

// fleetDesc answers with the serving instance's name, after its delay.
func fleetDesc(grpc bool) *service.Desc {
	handler := func(ctx context.Context, impl any, _, result any) error {
		in := impl.(*instance)
		in.served.Add(1)
		if d := time.Duration(in.delay.Load()); d > 0 {
			t := time.NewTimer(d)
			defer t.Stop()
			select {
			case <-t.C:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		switch r := result.(type) {
		case *text:
			r.s = in.name
		case *ttext:
			r.s = in.name
		}
		return nil
	}
	if grpc {
		return &service.Desc{Name: "test.Who", Protobuf: true, Methods: []service.Method{{Name: "Who",
			NewCall: func() service.Call { return service.Call{Args: new(text), Result: new(text)} }, Handler: handler}}}
	}
	return &service.Desc{Name: "Who", Methods: []service.Method{{Name: "Who",
		NewCall: func() service.Call { return service.Call{Args: new(ttext), Result: new(ttext)} }, Handler: handler}}}
}

// startInstance serves desc as name, registered in reg as "who".
func startInstance(t *testing.T, desc *service.Desc, reg *etcd.Registry, name string, opts ...server.Option) *instance {
	t.Helper()
	in := &instance{name: name, done: make(chan error, 1)}
	s, err := server.New(append([]server.Option{server.WithRegistry(reg, "who", nil), server.WithLogger(quiet)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Register(desc, in); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	in.srv, in.addr, in.ln = s, ln.Addr().String(), &trackedListener{Listener: ln, conns: map[net.Conn]struct{}{}}
	go func() { in.done <- s.Serve(in.ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		s.Stop(ctx)
		<-in.done
	})
	return in
}

// load calls c from n goroutines until stop is called, which returns the
// calls made and failed and each instance's replies.
type load struct {
	calls, failed atomic.Int64
	mu            sync.Mutex
	by            map[string]int
	firstErr      error
	stop          chan struct{}
	wg            sync.WaitGroup
}

func startLoad(c *client.Client, desc *service.Desc, n int) *load {
	l := &load{by: map[string]int{}, stop: make(chan struct{})}
	for range n {
		l.wg.Go(func() {
			for {
				select {
				case <-l.stop:
					return
				default:
				}
				ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
				name, err := who(ctx, c, desc)
				cancel()
				l.calls.Add(1)
				l.mu.Lock()
				if err != nil {
					l.failed.Add(1)
					if l.firstErr == nil {
						l.firstErr = err
					}
				} else {
					l.by[name]++
				}
				l.mu.Unlock()
			}
		})
	}
	return l
}

// waitCalls waits until n more calls have been made.
func (l *load) waitCalls(t *testing.T, n int64) {
	t.Helper()
	target := l.calls.Load() + n
	deadline := time.Now().Add(30 * time.Second)
	for l.calls.Load() < target {
		if time.Now().After(deadline) {
			t.Fatalf("load stalled at %d calls", l.calls.Load())
		}
		time.Sleep(time.Millisecond)
	}
}

func (l *load) end() (calls, failed int64, by map[string]int, first error) {
	close(l.stop)
	l.wg.Wait()
	return l.calls.Load(), l.failed.Load(), l.by, l.firstErr
}

// snapshot returns each instance's replies so far.
func (l *load) snapshot() map[string]int {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make(map[string]int, len(l.by))
	for k, v := range l.by {
		out[k] = v
	}
	return out
}

// fleet starts etcd, a registry and three instances, and a client of them
// through etcd.
type fleet struct {
	te   *testEtcd
	reg  *etcd.Registry
	b    *etcd.Builder
	desc *service.Desc
	ins  []*instance
	c    *client.Client
}

func startFleet(t *testing.T, grpc bool, sopts []server.Option, copts ...client.Option) *fleet {
	t.Helper()
	f := &fleet{te: startEtcd(t), desc: fleetDesc(grpc)}
	cli := f.te.newClient(t)
	f.reg = newRegistry(t, cli)
	f.b = newBuilder(t, cli)
	var addrs []string
	for _, name := range []string{"a", "b", "c"} {
		in := startInstance(t, f.desc, f.reg, name, sopts...)
		f.ins = append(f.ins, in)
		addrs = append(addrs, in.addr)
	}
	waitInstances(t, f.b, addrs...)
	c, err := client.New("etcd://"+f.te.addr()+"/who", f.desc, append([]client.Option{client.WithResolverBuilder(f.b)}, copts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	f.c = c
	return f
}

// waitInstances waits until etcd lists exactly addrs under "who".
func waitInstances(t *testing.T, b *etcd.Builder, addrs ...string) {
	t.Helper()
	sorted := slices.Sorted(slices.Values(addrs))
	watch(t, b, "etcd:///who").waitFor(t, sorted...)
}

// idempotent is the retry policy of the fault tests: the method is safe to
// run twice; Thrift servers' errors arrive as Internal.
var idempotent = client.WithPolicy(client.Policy{Retry: retry.Policy{
	MaxAttempts: 3, Idempotent: true, Codes: []codes.Code{codes.Unavailable, codes.Internal},
}})

// Killing an instance abruptly (its listener and connections closed, its
// registration left behind as a crashed process's would be until its
// lease expires) fails no call of a client with an idempotent retry policy.
func TestFaultAbruptKill(t *testing.T) {
	for _, proto := range []struct {
		name string
		grpc bool
	}{{"thrift", false}, {"grpc", true}} {
		t.Run(proto.name, func(t *testing.T) {
			f := startFleet(t, proto.grpc, nil, idempotent)
			l := startLoad(f.c, f.desc, 8)
			l.waitCalls(t, 500)
			f.ins[0].ln.cut()
			before := l.snapshot()
			l.waitCalls(t, 2000)
			calls, failed, by, first := l.end()
			t.Logf("%s: %d calls, %d failed; replies %v (before the kill %v)", proto.name, calls, failed, by, before)
			if failed != 0 {
				t.Fatalf("%d of %d calls failed; first: %v", failed, calls, first)
			}
			if by["b"]-before["b"] < 200 || by["c"]-before["c"] < 200 {
				t.Fatalf("after the kill the others served %d and %d calls", by["b"]-before["b"], by["c"]-before["c"])
			}
		})
	}
}

// Stopping an instance gracefully takes it out of etcd, and so out of the
// client, before any of its connections closes: no call fails, even
// without retries.
func TestFaultGracefulStop(t *testing.T) {
	for _, proto := range []struct {
		name string
		grpc bool
	}{{"thrift", false}, {"grpc", true}} {
		t.Run(proto.name, func(t *testing.T) {
			f := startFleet(t, proto.grpc, []server.Option{server.WithDeregisterWait(time.Second)})
			w := watch(t, f.b, "etcd:///who")
			l := startLoad(f.c, f.desc, 8)
			l.waitCalls(t, 500)
			gone := f.ins[0]
			stopped := make(chan error, 1)
			go func() {
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				stopped <- gone.srv.Stop(ctx)
			}()
			rest := []string{f.ins[1].addr, f.ins[2].addr}
			slices.Sort(rest)
			w.waitFor(t, rest...)
			seenGone := time.Now()
			if err := <-stopped; err != nil {
				t.Fatalf("Stop: %v", err)
			}
			l.waitCalls(t, 500)
			calls, failed, by, first := l.end()
			t.Logf("%s: %d calls, %d failed; replies %v", proto.name, calls, failed, by)
			if failed != 0 {
				t.Fatalf("%d of %d calls failed; first: %v", failed, calls, first)
			}
			gone.ln.mu.Lock()
			closed := gone.ln.firstClosed
			gone.ln.mu.Unlock()
			if closed.IsZero() || !seenGone.Before(closed) {
				t.Fatalf("the instance's first connection closed at %v, before watchers saw it leave etcd at %v", closed, seenGone)
			}
		})
	}
}

// While etcd is down, clients keep calling the instances they know; once it
// is back, an instance registered after the restart gets traffic.
func TestFaultEtcdRestart(t *testing.T) {
	f := startFleet(t, false, nil)
	l := startLoad(f.c, f.desc, 4)
	l.waitCalls(t, 300)
	f.te.stop()
	l.waitCalls(t, 1000) // etcd down
	f.te.start()
	// A registry with a fresh etcd client registers a fourth instance.
	reg := newRegistry(t, f.te.newClient(t))
	d := startInstance(t, f.desc, reg, "d")
	deadline := time.Now().Add(30 * time.Second)
	for l.snapshot()["d"] < 100 {
		if time.Now().After(deadline) {
			t.Fatalf("the instance registered after the restart got %d calls in 30 s", l.snapshot()["d"])
		}
		time.Sleep(10 * time.Millisecond)
	}
	_ = d
	calls, failed, by, first := l.end()
	t.Logf("%d calls, %d failed; replies %v", calls, failed, by)
	if failed != 0 {
		t.Fatalf("%d of %d calls failed; first: %v", failed, calls, first)
	}
}

// An instance 50 ms slower than its peers gets under 10% of the calls of a
// client balancing with P2C.
func TestFaultSlowInstance(t *testing.T) {
	f := startFleet(t, false, nil, client.WithBalancer(loadbalance.P2C()))
	l := startLoad(f.c, f.desc, 8)
	l.waitCalls(t, 300)
	f.ins[0].delay.Store(int64(50 * time.Millisecond))
	l.waitCalls(t, 200) // let P2C learn
	before := l.snapshot()
	l.waitCalls(t, 3000)
	calls, failed, by, first := l.end()
	slow := by["a"] - before["a"]
	total := 0
	for k, v := range by {
		total += v - before[k]
	}
	share := float64(slow) / float64(total)
	t.Logf("slow instance: %d of %d calls (%.1f%%); all replies %v; %d calls, %d failed", slow, total, 100*share, by, calls, failed)
	if failed != 0 {
		t.Fatalf("%d calls failed; first: %v", failed, first)
	}
	if share >= 0.10 {
		t.Fatalf("the slow instance got %.1f%% of calls, want under 10%%", 100*share)
	}
}
