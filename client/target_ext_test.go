package client_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ospreyrpc/osprey/client"
	"github.com/ospreyrpc/osprey/discovery"
	"github.com/ospreyrpc/osprey/endpoint"
	"github.com/ospreyrpc/osprey/internal/echotest"
	"github.com/ospreyrpc/osprey/internal/gen/echo"
	"github.com/ospreyrpc/osprey/internal/leakcheck"
	"github.com/ospreyrpc/osprey/loadbalance"
	"github.com/ospreyrpc/osprey/rpcinfo"
)

// recordInstances is middleware that records the instance of every call.
func recordInstances(mu *sync.Mutex, got *[]string) client.Option {
	return client.WithMiddleware(func(next endpoint.Endpoint) endpoint.Endpoint {
		return func(ctx context.Context, req, resp any) error {
			err := next(ctx, req, resp)
			mu.Lock()
			*got = append(*got, rpcinfo.FromContext(ctx).Instance.Addr)
			mu.Unlock()
			return err
		}
	})
}

func TestListTargetRoundRobin(t *testing.T) {
	leakcheck.Check(t)
	a := echotest.Serve(t, "tcp")
	b := echotest.Serve(t, "tcp")
	var mu sync.Mutex
	var got []string
	cli, _ := dial(t, a.Target+", "+b.Target, recordInstances(&mu, &got))
	for range 10 {
		if _, err := cli.Echo(context.Background(), &echo.Request{}); err != nil {
			t.Fatal(err)
		}
	}
	count := map[string]int{}
	for i, addr := range got {
		count[addr]++
		if i > 0 && got[i-1] == addr {
			t.Errorf("calls %d and %d both went to %s", i-1, i, addr)
		}
	}
	if count[a.Target] != 5 || count[b.Target] != 5 {
		t.Errorf("spread %v, want 5 each", count)
	}
}

// TestTargetErrors feeds New malformed targets: each error names the
// target and what is wrong with it.
func TestTargetErrors(t *testing.T) {
	for _, tc := range []struct{ target, want string }{
		{"", `target "": empty target`},
		{"  ", `target "  ": empty target`},
		{"nohost", `address "nohost": no port`},
		{"host:", `address "host:": no port`},
		{":9090", `address ":9090": no host`},
		{"host:http", `port "http" is not a number`},
		{"host:0", `port "0" is not a number from 1 to 65535`},
		{"host:65536", `port "65536" is not a number`},
		{"a:1,b", `address "b": no port`},
		{"a:1,,b:2", `address "": empty address`},
		{"a:1,b:2,", `address "": empty address`},
		{"a:1:2", `address "a:1:2": address a:1:2: too many colons`},
		{"unix:", `target "unix:": empty socket path`},
		{"unix://", `empty socket path`},
		{"://x", `empty scheme before ://`},
		{"foo://", `no resolver for scheme "foo": give one with WithResolverBuilder`},
		{"etcd://127.0.0.1:2379/echo", `target "etcd://127.0.0.1:2379/echo": no resolver for scheme "etcd"`},
		{"etcd://", `no resolver for scheme "etcd"`},
		{"dns:///", `target "dns:///": no name after dns:///`},
		{"dns://", `no name after dns:///`},
		{"dns:///no-port", `"no-port": no port`},
		{"dns:///host:", `"host:": no port`},
		{"dns://8.8.8.8/host:53", `a DNS server ("8.8.8.8") in a dns target is not supported`},
		{"dns:///_echo.example", `target "dns:///_echo.example": discovery: SRV target "_echo.example": want _service._proto.domain`},
		{"dns:///%zz", `target "dns:///%zz": parse`},
	} {
		_, err := client.New(tc.target, echo.EchoDesc())
		if err == nil {
			t.Errorf("New(%q) succeeded", tc.target)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "client: target ") {
			t.Errorf("New(%q): %v\nwant an error containing %q", tc.target, err, tc.want)
		}
	}
	for _, target := range []string{"dns:///localhost:9", "a:1, b:2", "[::1]:9", "unix:///tmp/x.sock", "unix:rel.sock"} {
		c, err := client.New(target, echo.EchoDesc())
		if err != nil {
			t.Errorf("New(%q): %v", target, err)
			continue
		}
		c.Close()
	}
}

// TestResolverUpdateKeepsCallsInFlight removes an instance while a call
// is held on it: the call finishes, and the next calls go to the other.
func TestResolverUpdateKeepsCallsInFlight(t *testing.T) {
	leakcheck.Check(t)
	a := echotest.Serve(t, "tcp")
	b := echotest.Serve(t, "tcp")
	var push func([]*discovery.Instance)
	r := discovery.ResolverFunc(func(ctx context.Context, update func([]*discovery.Instance)) error {
		push = update
		update([]*discovery.Instance{discovery.TCP(a.Target)})
		return nil
	})
	var mu sync.Mutex
	var got []string
	cli, _ := dial(t, "custom", client.WithResolver(r), recordInstances(&mu, &got))
	held := make(chan error, 1)
	go func() {
		_, err := cli.Echo(context.Background(), &echo.Request{Action: "hold"})
		held <- err
	}()
	<-a.Handler.Held
	push([]*discovery.Instance{discovery.TCP(b.Target)}) // a goes away
	close(a.Handler.Release)
	if err := <-held; err != nil {
		t.Fatalf("the call in flight on the removed instance failed: %v", err)
	}
	for range 3 {
		if _, err := cli.Echo(context.Background(), &echo.Request{}); err != nil {
			t.Fatal(err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	want := []string{a.Target, b.Target, b.Target, b.Target}
	if len(got) != 4 {
		t.Fatalf("instances %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("instances %v, want %v", got, want)
		}
	}
	waitFor(t, "the removed instance's connection closed", func() bool { return a.OpenConns() == 0 })
}

func TestDNSResolverReResolves(t *testing.T) {
	leakcheck.Check(t)
	a := echotest.Serve(t, "tcp")
	_, port, _ := net.SplitHostPort(a.Target)
	// Linux routes all of 127/8 to the loopback: a second server on the
	// same port of another loopback address is a second DNS answer.
	b := echotest.Serve(t, "tcp:127.0.0.2:"+port)
	p, _ := strconv.Atoi(port)
	type answer struct {
		ips []net.IP
		err error
	}
	answers := make(chan answer)
	d := &discovery.DNS{Host: "echo.test", Port: p, Interval: time.Millisecond,
		Lookup: func(ctx context.Context, host string) ([]net.IP, error) {
			if host != "echo.test" {
				return nil, fmt.Errorf("looked up %q", host)
			}
			select {
			case ans := <-answers:
				return ans.ips, ans.err
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}}
	var mu sync.Mutex
	var got []string
	go func() { answers <- answer{ips: []net.IP{net.ParseIP("127.0.0.1")}} }()
	cli, _ := dial(t, "dns:///echo.test:"+port, client.WithResolver(d), recordInstances(&mu, &got))
	if _, err := cli.Echo(context.Background(), &echo.Request{}); err != nil {
		t.Fatal(err)
	}
	answers <- answer{ips: []net.IP{net.ParseIP("127.0.0.2"), net.ParseIP("127.0.0.1")}}
	answers <- answer{err: errors.New("DNS is down")} // the last answer stays
	for range 4 {
		if _, err := cli.Echo(context.Background(), &echo.Request{}); err != nil {
			t.Fatal(err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	count := map[string]int{}
	for _, addr := range got[1:] {
		count[addr]++
	}
	if got[0] != a.Target || count[a.Target] != 2 || count[b.Target] != 2 {
		t.Errorf("instances %v: want the first call on %s, then two each on %s and %s", got, a.Target, a.Target, b.Target)
	}
}

// TestForServiceSharesConnections checks that stubs made with ForService
// share the target's connections, and that they close with the last
// client.
func TestForServiceSharesConnections(t *testing.T) {
	leakcheck.Check(t)
	srv := echotest.Serve(t, "tcp")
	c1, err := client.New(srv.Target, echo.EchoDesc())
	if err != nil {
		t.Fatal(err)
	}
	c2 := c1.ForService(echo.EchoDesc())
	e1, e2 := echo.NewEchoClientFrom(c1), echo.NewEchoClientFrom(c2)
	for _, e := range []*echo.EchoClient{e1, e2, e1, e2} {
		if _, err := e.Echo(context.Background(), &echo.Request{}); err != nil {
			t.Fatal(err)
		}
	}
	if n := srv.Accepted(); n != 1 {
		t.Errorf("two stubs called over %d connections, want 1", n)
	}
	c1.Close()
	if _, err := e2.Echo(context.Background(), &echo.Request{}); err != nil {
		t.Fatalf("the second stub after the first closed: %v", err)
	}
	if srv.OpenConns() != 1 {
		t.Errorf("connections closed with the first stub")
	}
	c2.Close()
	waitFor(t, "connections closed with the last stub", func() bool { return srv.OpenConns() == 0 })
}

// SetBalancer changes how calls pick instances while the client is in use.
func TestSetBalancer(t *testing.T) {
	leakcheck.Check(t)
	a := echotest.Serve(t, "tcp")
	b := echotest.Serve(t, "tcp")
	rec, info := lastInfo()
	cli, raw := dial(t, a.Target+","+b.Target, rec)
	seen := map[string]int{}
	for range 10 {
		if _, err := cli.Echo(context.Background(), &echo.Request{}); err != nil {
			t.Fatal(err)
		}
		seen[info().Instance.Addr]++
	}
	if seen[a.Target] != 5 || seen[b.Target] != 5 {
		t.Fatalf("round robin spread %v", seen)
	}
	// Everything to b: a hash on a key every call has.
	key := func(context.Context, *rpcinfo.Info) (string, bool) { return "same", true }
	if err := raw.SetBalancer(loadbalance.ConsistentHash(key)); err != nil {
		t.Fatal(err)
	}
	clear(seen)
	for range 10 {
		if _, err := cli.Echo(context.Background(), &echo.Request{}); err != nil {
			t.Fatal(err)
		}
		seen[info().Instance.Addr]++
	}
	if len(seen) != 1 {
		t.Fatalf("after SetBalancer(hash) calls spread %v, want one instance", seen)
	}
	if err := raw.SetBalancer(nil); err == nil {
		t.Fatal("SetBalancer(nil) accepted")
	}
}
