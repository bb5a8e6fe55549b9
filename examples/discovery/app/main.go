package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/url"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ospreyrpc/osprey/client"
	"github.com/ospreyrpc/osprey/contrib/etcd"
	"github.com/ospreyrpc/osprey/discovery"
	"github.com/ospreyrpc/osprey/endpoint"
	"github.com/ospreyrpc/osprey/examples/echo/gen/echo"
	"github.com/ospreyrpc/osprey/retry"
	"github.com/ospreyrpc/osprey/rpcinfo"
)

// config is how much the example does; tests make it smaller.
type config struct {
	callers     int // concurrent callers
	warmCalls   int // calls before the kill
	beforeKill  int // calls under load before the kill
	afterExpiry int // calls once etcd has dropped the killed instance
}

var defaults = config{callers: 4, warmCalls: 300, beforeKill: 200, afterExpiry: 300}

// quiet discards the library's logs: the example prints what happens.
var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func main() {
	if err := run(os.Stdout, defaults); err != nil {
		log.Fatal(err)
	}
}

func run(out io.Writer, cfg config) error {
	e, err := startEtcd()
	if err != nil {
		return err
	}
	defer e.Close()
	etcdAddr := e.Clients[0].Addr().String()
	fmt.Fprintln(out, "etcd listening on", etcdAddr)

	var servers []*instance
	defer func() {
		for _, s := range servers {
			s.stop()
		}
	}()
	names := map[string]string{} // address → name
	for _, name := range []string{"s1", "s2", "s3"} {
		s, err := startInstance(name, "etcd://"+etcdAddr)
		if err != nil {
			return err
		}
		servers = append(servers, s)
		names[s.addr] = name
		fmt.Fprintf(out, "%s serving on %s, registering as echo\n", name, s.addr)
	}

	// A resolver of the same kind as the client's, to tell when etcd's
	// list of instances changes.
	b, err := etcd.URLBuilder(etcd.WithLogger(quiet))
	if err != nil {
		return err
	}
	target := "etcd://" + etcdAddr + "/echo"
	listed, stopWatch, err := watch(b, target)
	if err != nil {
		return err
	}
	defer stopWatch()
	if err := waitListed(listed, 3); err != nil {
		return err
	}

	var counts byInstance
	c, err := echo.NewEchoServerClient(target,
		client.WithResolverBuilder(b),
		client.WithMethodPolicy("Echo", client.Policy{Retry: retry.Policy{MaxAttempts: 3, Idempotent: true}}),
		client.WithMiddleware(counts.middleware))
	if err != nil {
		return err
	}
	defer c.Close()
	fmt.Fprintf(out, "client of %s: up to 3 attempts per Echo (idempotent), round robin\n\n", target)

	var l load
	l.run(c, cfg.callers, cfg.warmCalls)
	l.wait()
	fmt.Fprintf(out, "%d calls: %s\n", l.calls.Load(), counts.take(names))

	// Under load, kill s2.
	l = load{}
	l.run(c, cfg.callers, -1)
	if err := l.waitCalls(int64(cfg.beforeKill)); err != nil {
		return err
	}
	before := l.calls.Load()
	fmt.Fprintf(out, "%d calls under load: %s\n", before, counts.take(names))
	killed := time.Now()
	servers[1].kill()
	fmt.Fprintln(out, "killed s2 under load: listener and connections closed, not deregistered")
	if err := waitListed(listed, 2); err != nil {
		l.stop()
		return err
	}
	fmt.Fprintf(out, "etcd dropped s2 %v after the kill, when its lease expired\n", time.Since(killed).Round(100*time.Millisecond))
	err = l.waitCalls(l.calls.Load() + int64(cfg.afterExpiry))
	l.stop()
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%d calls from the kill on: %s\n\n", l.calls.Load()-before, counts.take(names))

	made, failed := int64(cfg.warmCalls)+l.calls.Load(), l.failed.Load()
	fmt.Fprintf(out, "calls made: %d, failed: %d (%d made more than one attempt)\n", made, failed, counts.retried.Load())
	if failed > 0 {
		return fmt.Errorf("%d calls failed; the first: %v", failed, l.firstErr)
	}
	return nil
}

// watch resolves target with b, sending the number of instances listed on
// every change.
func watch(b *etcd.Builder, target string) (<-chan int, func(), error) {
	u, err := url.Parse(target)
	if err != nil {
		return nil, nil, err
	}
	r, err := b.Build(u)
	if err != nil {
		return nil, nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	listed := make(chan int, 16)
	err = r.Watch(ctx, func(insts []*discovery.Instance) {
		select {
		case listed <- len(insts):
		case <-ctx.Done():
		}
	})
	if err != nil {
		cancel()
		return nil, nil, err
	}
	return listed, cancel, nil
}

// waitListed waits until etcd lists n instances, for up to 30 s.
func waitListed(listed <-chan int, n int) error {
	timeout := time.After(30 * time.Second)
	for {
		select {
		case got := <-listed:
			if got == n {
				return nil
			}
		case <-timeout:
			return fmt.Errorf("etcd did not list %d instances in 30 s", n)
		}
	}
}

// load makes calls from several goroutines until it has made a number of
// them or is stopped.
type load struct {
	calls, failed atomic.Int64
	stopped       atomic.Bool
	wg            sync.WaitGroup
	mu            sync.Mutex
	firstErr      error
	progress      chan struct{} // a call ended
}

// run starts callers making n calls in all, or calls until stop if n < 0.
func (l *load) run(c *echo.EchoServerClient, callers, n int) {
	l.progress = make(chan struct{}, 1)
	var started atomic.Int64
	for range callers {
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			req := &echo.Request{Action: "echo", Msg: "hi"}
			for !l.stopped.Load() && (n < 0 || started.Add(1) <= int64(n)) {
				_, err := c.Echo(context.Background(), req)
				l.calls.Add(1)
				if err != nil {
					l.failed.Add(1)
					l.mu.Lock()
					if l.firstErr == nil {
						l.firstErr = err
					}
					l.mu.Unlock()
				}
				select {
				case l.progress <- struct{}{}:
				default:
				}
			}
		}()
	}
}

// waitCalls waits until n calls have been made, for up to 30 s.
func (l *load) waitCalls(n int64) error {
	timeout := time.After(30 * time.Second)
	for l.calls.Load() < n {
		select {
		case <-l.progress:
		case <-timeout:
			return errors.New("calls made too slowly")
		}
	}
	return nil
}

func (l *load) wait() { l.wg.Wait() }

func (l *load) stop() {
	l.stopped.Store(true)
	l.wg.Wait()
}

// byInstance counts the calls each instance answered, and the calls that
// made more than one attempt.
type byInstance struct {
	retried atomic.Int64
	mu      sync.Mutex
	n       map[string]int
}

func (b *byInstance) middleware(next endpoint.Endpoint) endpoint.Endpoint {
	return func(ctx context.Context, req, resp any) error {
		err := next(ctx, req, resp)
		ri := rpcinfo.FromContext(ctx)
		if ri.Attempt > 1 {
			b.retried.Add(1)
		}
		if inst := ri.Instance; err == nil && inst != nil {
			b.mu.Lock()
			if b.n == nil {
				b.n = map[string]int{}
			}
			b.n[inst.Addr]++
			b.mu.Unlock()
		}
		return err
	}
}

// take returns "s1 N, s2 M, s3 K" and starts counting afresh.
func (b *byInstance) take(names map[string]string) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	byName := map[string]int{}
	for addr, n := range b.n {
		byName[names[addr]] += n
	}
	b.n = nil
	return fmt.Sprintf("s1 %d, s2 %d, s3 %d", byName["s1"], byName["s2"], byName["s3"])
}
