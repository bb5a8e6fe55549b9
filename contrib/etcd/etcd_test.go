package etcd_test

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/ospreyrpc/osprey/contrib/etcd"
	"github.com/ospreyrpc/osprey/discovery"
)

func newRegistry(t *testing.T, cli *clientv3.Client, opts ...etcd.Option) *etcd.Registry {
	t.Helper()
	r, err := etcd.NewRegistry(cli, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func newBuilder(t *testing.T, cli *clientv3.Client, opts ...etcd.Option) *etcd.Builder {
	t.Helper()
	b, err := etcd.NewBuilder(cli, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRegisterDeregisterSeenByResolver(t *testing.T) {
	te := startEtcd(t)
	cli := te.newClient(t)
	reg := newRegistry(t, cli)
	w := watch(t, newBuilder(t, cli), "etcd://"+te.addr()+"/echo")
	w.waitFor(t) // the service has no instances yet
	ctx := context.Background()
	a := &discovery.Instance{Network: "tcp", Addr: "10.0.0.1:1", Weight: 5, Tags: map[string]string{"zone": "z1"}}
	b := &discovery.Instance{Addr: "10.0.0.2:1"}
	if err := reg.Register(ctx, "echo", a); err != nil {
		t.Fatal(err)
	}
	got := w.waitFor(t, "10.0.0.1:1")
	if g := got[0]; g.Network != "tcp" || g.Weight != 5 || g.Tags["zone"] != "z1" || len(g.Tags) != 1 {
		t.Fatalf("resolved %+v, want %+v", g, a)
	}
	if err := reg.Register(ctx, "echo", b); err != nil {
		t.Fatal(err)
	}
	if err := reg.Register(ctx, "other", a); err != nil { // another service: not seen
		t.Fatal(err)
	}
	w.waitFor(t, "10.0.0.1:1", "10.0.0.2:1")

	// The stored form is the documented one, under a lease.
	resp, err := cli.Get(ctx, etcd.DefaultPrefix+"echo/10.0.0.1:1")
	if err != nil || len(resp.Kvs) != 1 {
		t.Fatalf("get: %v %v", resp, err)
	}
	var v map[string]any
	if err := json.Unmarshal(resp.Kvs[0].Value, &v); err != nil || v["network"] != "tcp" || v["addr"] != "10.0.0.1:1" || v["weight"] != 5.0 {
		t.Fatalf("value %s (%v)", resp.Kvs[0].Value, err)
	}
	ttl, err := cli.TimeToLive(ctx, clientv3.LeaseID(resp.Kvs[0].Lease))
	if err != nil || ttl.GrantedTTL != int64(etcd.DefaultTTL/time.Second) || ttl.TTL <= 0 {
		t.Fatalf("lease %+v %v, want TTL %v", ttl, err, etcd.DefaultTTL)
	}

	if err := reg.Deregister(ctx, "echo", a); err != nil {
		t.Fatal(err)
	}
	w.waitFor(t, "10.0.0.2:1")
	if err := reg.Deregister(ctx, "echo", a); err != nil { // again: not an error
		t.Fatal(err)
	}
	// A revoked lease reports TTL -1.
	if ttl, err := cli.TimeToLive(ctx, clientv3.LeaseID(resp.Kvs[0].Lease)); err == nil && ttl.TTL > 0 {
		t.Fatalf("lease still alive after Deregister: %+v", ttl)
	}
}

// An instance whose server died without deregistering goes when its lease
// expires.
func TestLeaseExpiryRemovesDeadInstance(t *testing.T) {
	te := startEtcd(t)
	w := watch(t, newBuilder(t, te.newClient(t)), "etcd:///echo")
	dying := te.newClient(t)
	reg := newRegistry(t, dying, etcd.WithTTL(2*time.Second))
	if err := reg.Register(context.Background(), "echo", discovery.TCP("10.0.0.1:1")); err != nil {
		t.Fatal(err)
	}
	w.waitFor(t, "10.0.0.1:1")
	start := time.Now()
	dying.Close() // the process dies: no more keep-alives
	w.waitFor(t)
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("instance went after %v, want about the 2 s TTL", d)
	}
}

// A lease revoked behind the registry's back is granted again and the key
// written again.
func TestRegistryRenewsLostLease(t *testing.T) {
	te := startEtcd(t)
	cli := te.newClient(t)
	logs := newLogWatch()
	reg := newRegistry(t, cli, etcd.WithLogger(logs.logger()))
	w := watch(t, newBuilder(t, cli), "etcd:///echo")
	ctx := context.Background()
	if err := reg.Register(ctx, "echo", discovery.TCP("10.0.0.1:1")); err != nil {
		t.Fatal(err)
	}
	w.waitFor(t, "10.0.0.1:1")
	resp, err := cli.Get(ctx, etcd.DefaultPrefix+"echo/10.0.0.1:1")
	if err != nil || len(resp.Kvs) != 1 {
		t.Fatalf("get: %v %v", resp, err)
	}
	again := logs.on("registered again")
	if _, err := cli.Revoke(ctx, clientv3.LeaseID(resp.Kvs[0].Lease)); err != nil {
		t.Fatal(err)
	}
	w.waitFor(t)
	w.waitFor(t, "10.0.0.1:1")
	waitSignal(t, again, `"registered again" log`)
	resp2, err := cli.Get(ctx, etcd.DefaultPrefix+"echo/10.0.0.1:1")
	if err != nil || len(resp2.Kvs) != 1 || resp2.Kvs[0].Lease == resp.Kvs[0].Lease {
		t.Fatalf("after revoking: %v %v, want the key under a new lease", resp2, err)
	}
	if err := reg.Deregister(ctx, "echo", discovery.TCP("10.0.0.1:1")); err != nil {
		t.Fatal(err)
	}
	w.waitFor(t)
}

// etcd restarts on the same ports and data: resolvers keep the last
// instances through the outage (never an empty set), a resolver started
// during it waits, watches resume, a registration made after the restart is
// seen, and the registry's lease lives on.
func TestEtcdRestart(t *testing.T) {
	te := startEtcd(t)
	cli := te.newClient(t)
	reg := newRegistry(t, cli, etcd.WithTTL(5*time.Second))
	b := newBuilder(t, cli)
	w := watch(t, b, "etcd:///echo")
	ctx := context.Background()
	if err := reg.Register(ctx, "echo", discovery.TCP("10.0.0.1:1")); err != nil {
		t.Fatal(err)
	}
	w.waitFor(t, "10.0.0.1:1")
	before := len(w.all())

	te.stop()
	late := watch(t, b, "etcd:///echo") // started during the outage
	rctx, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
	err := reg.Register(rctx, "echo", discovery.TCP("10.0.0.9:1"))
	cancel()
	if err == nil {
		t.Fatal("Register succeeded while etcd was down")
	}
	if n := len(w.all()); n != before {
		t.Fatalf("updates during the outage: %v", w.all()[before:])
	}
	if u := late.all(); len(u) != 0 {
		t.Fatalf("a resolver started during the outage reported %v", u)
	}

	te.start()
	if err := reg.Register(ctx, "echo", discovery.TCP("10.0.0.2:1")); err != nil {
		t.Fatal(err)
	}
	w.waitFor(t, "10.0.0.1:1", "10.0.0.2:1")
	late.waitFor(t, "10.0.0.1:1", "10.0.0.2:1")
	for _, u := range append(w.all()[1:], late.all()...) { // w's first is the empty start
		if len(u) == 0 {
			t.Fatalf("an empty update: %v, %v", w.all(), late.all())
		}
	}
	// The first registration's lease is still kept alive.
	resp, err := cli.Get(ctx, etcd.DefaultPrefix+"echo/10.0.0.1:1")
	if err != nil || len(resp.Kvs) != 1 {
		t.Fatalf("get: %v %v", resp, err)
	}
	ttl, err := cli.TimeToLive(ctx, clientv3.LeaseID(resp.Kvs[0].Lease))
	if err != nil || ttl.TTL <= 0 {
		t.Fatalf("lease %+v %v", ttl, err)
	}
}

// etcd comes back without its data (a new member on the same ports): the
// registry finds its lease gone and registers again by itself.
func TestRegistryRegistersAgainAfterDataLoss(t *testing.T) {
	te := startEtcd(t)
	cli := te.newClient(t)
	logs := newLogWatch()
	reg := newRegistry(t, cli, etcd.WithTTL(2*time.Second), etcd.WithLogger(logs.logger()))
	if err := reg.Register(context.Background(), "echo", discovery.TCP("10.0.0.1:1")); err != nil {
		t.Fatal(err)
	}
	again := logs.on("registered again")
	te.stop()
	te.dir = t.TempDir()
	te.start()
	waitSignal(t, again, `"registered again" log`)
	w := watch(t, newBuilder(t, cli), "etcd:///echo")
	w.waitFor(t, "10.0.0.1:1")
}

// Values that do not decode are skipped, and logged; the others resolve.
func TestResolverSkipsBadValues(t *testing.T) {
	te := startEtcd(t)
	cli := te.newClient(t)
	logs := newLogWatch()
	w := watch(t, newBuilder(t, cli, etcd.WithLogger(logs.logger())), "etcd:///echo")
	w.waitFor(t)
	ctx := context.Background()
	p := etcd.DefaultPrefix + "echo/"
	// In order: the good ones last, so that the update with both comes
	// after every bad one was read.
	for _, kv := range [][2]string{
		{"bad-json", "{"},
		{"no-port", `{"network":"tcp","addr":"10.0.0.5"}`},
		{"udp", `{"network":"udp","addr":"10.0.0.5:1"}`},
		{"weight", `{"network":"tcp","addr":"10.0.0.5:1","weight":-1}`},
		{"huge", `{"network":"tcp","addr":"10.0.0.5:1","tags":{"x":"` + strings.Repeat("x", etcd.MaxValueSize) + `"}}`},
		{"10.0.0.1:1", `{"network":"tcp","addr":"10.0.0.1:1"}`},
		{"/tmp/s.sock", `{"network":"unix","addr":"/tmp/s.sock"}`},
	} {
		if _, err := cli.Put(ctx, p+kv[0], kv[1]); err != nil {
			t.Fatal(err)
		}
	}
	w.waitFor(t, "/tmp/s.sock", "10.0.0.1:1")
	if n := strings.Count(logs.String(), "does not decode"); n != 5 {
		t.Fatalf("%d values logged, want 5:\n%s", n, logs)
	}
	// A good key turning bad goes away.
	if _, err := cli.Put(ctx, p+"10.0.0.1:1", "garbage"); err != nil {
		t.Fatal(err)
	}
	w.waitFor(t, "/tmp/s.sock")
}

func TestBuilderTargets(t *testing.T) {
	cli, err := clientv3.New(clientv3.Config{Endpoints: []string{"http://127.0.0.1:2379", "10.0.0.1:2379"}, DialTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	b := newBuilder(t, cli)
	if b.Scheme() != "etcd" {
		t.Fatalf("scheme %q", b.Scheme())
	}
	for target, ok := range map[string]bool{
		"etcd://127.0.0.1:2379/echo": true,
		"etcd://10.0.0.1:2379/echo":  true,
		"etcd:///echo":               true,
		"etcd://127.0.0.1:2380/echo": false, // another cluster
		"etcd://127.0.0.1:2379/":     false,
		"etcd://127.0.0.1:2379/a/b":  false,
	} {
		u, err := url.Parse(target)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := b.Build(u); (err == nil) != ok {
			t.Errorf("Build(%s): %v, want ok %v", target, err, ok)
		}
	}
}

func TestOptionErrors(t *testing.T) {
	cli, err := clientv3.New(clientv3.Config{Endpoints: []string{"127.0.0.1:2379"}, DialTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	for name, opts := range map[string][]etcd.Option{
		"nil":          {nil},
		"prefix":       {etcd.WithPrefix("osprey")},
		"prefix twice": {etcd.WithPrefix("/a/"), etcd.WithPrefix("/b/")},
		"short ttl":    {etcd.WithTTL(time.Millisecond)},
		"partial ttl":  {etcd.WithTTL(1500 * time.Millisecond)},
		"nil logger":   {etcd.WithLogger(nil)},
	} {
		if _, err := etcd.NewRegistry(cli, opts...); err == nil {
			t.Errorf("NewRegistry with %s succeeded", name)
		}
	}
	if _, err := etcd.NewBuilder(cli, etcd.WithTTL(time.Second)); err == nil {
		t.Error("NewBuilder took WithTTL")
	}
	if _, err := etcd.NewRegistry(nil); err == nil {
		t.Error("NewRegistry(nil) succeeded")
	}
	reg := newRegistry(t, cli)
	for _, bad := range []*discovery.Instance{nil, {Addr: "no-port"}, {Network: "udp", Addr: "1.2.3.4:5"}, {Addr: "1.2.3.4:5", Weight: -1}} {
		if err := reg.Register(context.Background(), "echo", bad); err == nil {
			t.Errorf("Register(%+v) succeeded", bad)
		}
	}
	if err := reg.Register(context.Background(), "a/b", discovery.TCP("1.2.3.4:5")); err == nil {
		t.Error("Register with a / in the service succeeded")
	}
}

// Registering the same address again replaces its value and lease; the
// key survives the old lease's revocation.
func TestRegisterAgainReplaces(t *testing.T) {
	te := startEtcd(t)
	cli := te.newClient(t)
	reg := newRegistry(t, cli)
	w := watch(t, newBuilder(t, cli), "etcd:///echo")
	ctx := context.Background()
	key := etcd.DefaultPrefix + "echo/10.0.0.1:1"
	if err := reg.Register(ctx, "echo", &discovery.Instance{Addr: "10.0.0.1:1", Weight: 1}); err != nil {
		t.Fatal(err)
	}
	w.waitFor(t, "10.0.0.1:1")
	first, err := cli.Get(ctx, key)
	if err != nil || len(first.Kvs) != 1 {
		t.Fatalf("get: %v %v", first, err)
	}
	if err := reg.Register(ctx, "echo", &discovery.Instance{Addr: "10.0.0.1:1", Weight: 2}); err != nil {
		t.Fatal(err)
	}
	if got := w.waitFor(t, "10.0.0.1:1"); got[0].Weight != 2 {
		t.Fatalf("weight %d, want 2", got[0].Weight)
	}
	second, err := cli.Get(ctx, key)
	if err != nil || len(second.Kvs) != 1 || second.Kvs[0].Lease == first.Kvs[0].Lease {
		t.Fatalf("after registering again: %v %v, want the key under a new lease", second, err)
	}
	if ttl, err := cli.TimeToLive(ctx, clientv3.LeaseID(first.Kvs[0].Lease)); err == nil && ttl.TTL > 0 {
		t.Fatalf("old lease still alive: %+v", ttl)
	}
}

// A registered key deleted by someone else while its lease lives comes
// back: the registry writes it again under the same lease. Deregister's own
// delete does not.
func TestRegistryRestoresDeletedKey(t *testing.T) {
	te := startEtcd(t)
	cli := te.newClient(t)
	reg := newRegistry(t, cli)
	w := watch(t, newBuilder(t, cli), "etcd:///echo")
	w.waitFor(t)
	ctx := context.Background()
	a := &discovery.Instance{Addr: "10.0.0.1:1"}
	if err := reg.Register(ctx, "echo", a); err != nil {
		t.Fatal(err)
	}
	w.waitFor(t, "10.0.0.1:1")
	key := etcd.DefaultPrefix + "echo/10.0.0.1:1"
	before, err := cli.Get(ctx, key)
	if err != nil || len(before.Kvs) != 1 {
		t.Fatalf("get: %v %v", before, err)
	}
	if _, err := te.newClient(t).Delete(ctx, key); err != nil {
		t.Fatal(err)
	}
	w.waitFor(t)               // gone for a moment
	w.waitFor(t, "10.0.0.1:1") // and back
	after, err := cli.Get(ctx, key)
	if err != nil || len(after.Kvs) != 1 || after.Kvs[0].Lease != before.Kvs[0].Lease {
		t.Fatalf("restored key %v (%v), want it under lease %x", after, err, before.Kvs[0].Lease)
	}
	if err := reg.Deregister(ctx, "echo", a); err != nil {
		t.Fatal(err)
	}
	w.waitFor(t)
	// Nothing writes it again after Deregister.
	if resp, err := cli.Get(ctx, key); err != nil || len(resp.Kvs) != 0 {
		t.Fatalf("after Deregister: %v %v", resp, err)
	}
}

// A resolver reports at most WithMaxInstances instances, the first by
// address.
func TestResolverMaxInstances(t *testing.T) {
	te := startEtcd(t)
	cli := te.newClient(t)
	reg := newRegistry(t, cli)
	w := watch(t, newBuilder(t, cli, etcd.WithMaxInstances(2)), "etcd:///echo")
	w.waitFor(t)
	ctx := context.Background()
	for _, addr := range []string{"10.0.0.3:1", "10.0.0.1:1", "10.0.0.2:1"} {
		if err := reg.Register(ctx, "echo", &discovery.Instance{Addr: addr}); err != nil {
			t.Fatal(err)
		}
	}
	w.waitFor(t, "10.0.0.1:1", "10.0.0.2:1")
	if err := reg.Deregister(ctx, "echo", &discovery.Instance{Addr: "10.0.0.1:1"}); err != nil {
		t.Fatal(err)
	}
	w.waitFor(t, "10.0.0.2:1", "10.0.0.3:1")
	if _, err := etcd.NewBuilder(cli, etcd.WithMaxInstances(0)); err == nil {
		t.Fatal("WithMaxInstances(0) accepted")
	}
	if _, err := etcd.NewRegistry(cli, etcd.WithMaxInstances(5)); err == nil {
		t.Fatal("WithMaxInstances accepted by NewRegistry")
	}
}
