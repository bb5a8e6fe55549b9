package etcd_test

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/server/v3/embed"
	"go.uber.org/zap"

	"github.com/ospreyrpc/osprey/discovery"
)

// testEtcd is an embedded etcd on loopback, which a test can stop and
// start again on the same ports.
type testEtcd struct {
	t       *testing.T
	dir     string
	client  url.URL
	peer    url.URL
	e       *embed.Etcd
	stopped bool
}

// startEtcd starts a one-member etcd with its data in a temporary
// directory, stopped when the test ends.
func startEtcd(t *testing.T) *testEtcd {
	t.Helper()
	te := &testEtcd{t: t, dir: t.TempDir(), client: freeURL(t), peer: freeURL(t)}
	te.start()
	t.Cleanup(te.stop)
	return te
}

func freeURL(t *testing.T) url.URL {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return url.URL{Scheme: "http", Host: ln.Addr().String()}
}

// start starts etcd on te's ports and data directory.
func (te *testEtcd) start() {
	te.t.Helper()
	cfg := embed.NewConfig()
	cfg.Name = "test"
	cfg.Dir = te.dir
	cfg.ListenClientUrls = []url.URL{te.client}
	cfg.AdvertiseClientUrls = []url.URL{te.client}
	cfg.ListenPeerUrls = []url.URL{te.peer}
	cfg.AdvertisePeerUrls = []url.URL{te.peer}
	cfg.InitialCluster = cfg.Name + "=" + te.peer.String()
	cfg.ZapLoggerBuilder = embed.NewZapLoggerBuilder(zap.NewNop())
	cfg.LogLevel = "error"
	cfg.EnableGRPCGateway = false // its client connection would be a goroutine leak to the leak check
	var e *embed.Etcd
	var err error
	// The ports were just given up by etcd or by freeURL; the kernel may
	// hold them back for a moment.
	for i := 0; i < 50; i++ {
		e, err = embed.StartEtcd(cfg)
		if err == nil || !strings.Contains(err.Error(), "address already in use") {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		te.t.Fatalf("start etcd: %v", err)
	}
	select {
	case <-e.Server.ReadyNotify():
	case <-time.After(30 * time.Second):
		e.Close()
		te.t.Fatal("etcd not ready in 30 s")
	}
	te.e, te.stopped = e, false
}

// stop stops etcd; its data stays.
func (te *testEtcd) stop() {
	if !te.stopped {
		te.e.Close()
		te.stopped = true
	}
}

// addr is etcd's client address, host:port.
func (te *testEtcd) addr() string { return te.client.Host }

// newClient returns an etcd client, closed when the test ends.
func (te *testEtcd) newClient(t *testing.T) *clientv3.Client {
	t.Helper()
	cli, err := clientv3.New(clientv3.Config{
		Endpoints:   []string{te.client.String()},
		DialTimeout: 5 * time.Second,
		Logger:      zap.NewNop(),
		// Reconnect promptly after a restart.
		DialKeepAliveTime:    time.Second,
		DialKeepAliveTimeout: time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cli.Close() })
	return cli
}

// watcher records a resolver's updates.
type watcher struct {
	mu      sync.Mutex
	updates [][]*discovery.Instance
	ch      chan []*discovery.Instance
}

func newWatcher() *watcher { return &watcher{ch: make(chan []*discovery.Instance, 100)} }

func (w *watcher) update(insts []*discovery.Instance) {
	w.mu.Lock()
	w.updates = append(w.updates, insts)
	w.mu.Unlock()
	w.ch <- insts
}

func (w *watcher) all() [][]*discovery.Instance {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([][]*discovery.Instance(nil), w.updates...)
}

// waitFor waits for an update whose addresses are want (sorted by key,
// which is by address here), failing the test after 30 s.
func (w *watcher) waitFor(t *testing.T, want ...string) []*discovery.Instance {
	t.Helper()
	timeout := time.After(30 * time.Second)
	for {
		select {
		case insts := <-w.ch:
			if addrs(insts) == strings.Join(want, ",") {
				return insts
			}
		case <-timeout:
			t.Fatalf("no update with %v; updates %v", want, w.all())
		}
	}
}

func addrs(insts []*discovery.Instance) string {
	s := make([]string, len(insts))
	for i, in := range insts {
		s[i] = in.Addr
	}
	return strings.Join(s, ",")
}

// watch resolves service through cli until the test ends.
func watch(t *testing.T, b discovery.Builder, target string) *watcher {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	r, err := b.Build(u)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	w := newWatcher()
	if err := r.Watch(ctx, w.update); err != nil {
		t.Fatal(err)
	}
	return w
}

// logWatch is a slog handler that signals when a message containing a
// string is logged.
type logWatch struct {
	mu    sync.Mutex
	lines []string
	wait  map[string]chan struct{}
}

func newLogWatch() *logWatch { return &logWatch{wait: map[string]chan struct{}{}} }

func (l *logWatch) logger() *slog.Logger { return slog.New(l) }

// on returns a channel closed when a message containing s is logged.
func (l *logWatch) on(s string) <-chan struct{} {
	l.mu.Lock()
	defer l.mu.Unlock()
	ch := make(chan struct{})
	l.wait[s] = ch
	return ch
}

func (l *logWatch) Enabled(context.Context, slog.Level) bool { return true }
func (l *logWatch) WithAttrs([]slog.Attr) slog.Handler       { return l }
func (l *logWatch) WithGroup(string) slog.Handler            { return l }
func (l *logWatch) Handle(_ context.Context, r slog.Record) error {
	line := r.Message
	r.Attrs(func(a slog.Attr) bool {
		line += fmt.Sprintf(" %s=%v", a.Key, a.Value)
		return true
	})
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, line)
	for s, ch := range l.wait {
		if strings.Contains(line, s) {
			close(ch)
			delete(l.wait, s)
		}
	}
	return nil
}

func (l *logWatch) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

// waitSignal waits for ch, failing after 30 s.
func waitSignal(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(30 * time.Second):
		t.Fatalf("no %s in 30 s", what)
	}
}
