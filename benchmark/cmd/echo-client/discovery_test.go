//go:build unix

package main

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/server/v3/embed"
	"go.uber.org/zap"

	"github.com/ospreyrpc/osprey/contrib/etcd"
)

// TestDiscoveryThroughEtcd runs the commands as a user would: two
// echo-servers registered in an etcd under "echo", and an echo-client of
// etcd://HOST:PORT/echo that spreads its calls over both without an
// error; then one server, sent SIGTERM, deregisters before it exits.
func TestDiscoveryThroughEtcd(t *testing.T) {
	bin := buildCommands(t)
	etcdAddr := startEtcd(t)
	registry := "etcd://" + etcdAddr
	// One server on an unspecified host: it registers 127.0.0.1:PORT.
	s1 := startServer(t, bin, "--addr", ":0", "--registry", registry, "--deregister-wait", "300ms")
	s2 := startServer(t, bin, "--addr", "127.0.0.1:0", "--registry", registry, "--deregister-wait", "300ms")
	if !strings.HasPrefix(s1.addr, "127.0.0.1:") {
		t.Errorf("server on :0 registered %s, want 127.0.0.1:PORT", s1.addr)
	}

	out, err := exec.Command(filepath.Join(bin, "echo-client"), "--target", registry+"/echo", "--retry", "2", "--lb", "rr",
		"-c", "4", "-b", "16", "--warmup", "100ms", "-d", "500ms").CombinedOutput()
	if err != nil {
		t.Fatalf("echo-client: %v\n%s", err, out)
	}
	if !regexp.MustCompile(`qps, .*, 0 errors`).Match(out) {
		t.Errorf("echo-client reported errors:\n%s", out)
	}
	m := regexp.MustCompile(`calls by instance \(warm-up included\): (\S+)=(\d+) (\S+)=(\d+)\n`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("echo-client did not report calls on two instances:\n%s", out)
	}
	got := map[string]int{}
	for i := 1; i < len(m); i += 2 {
		got[string(m[i])], _ = strconv.Atoi(string(m[i+1]))
	}
	if got[s1.addr] == 0 || got[s2.addr] == 0 {
		t.Errorf("calls by instance %v, want some on both %s and %s", got, s1.addr, s2.addr)
	}
	t.Logf("%s", out)

	// Every other balancer spreads the calls over both instances too.
	for _, lb := range []string{"wrr", "random", "hash", "p2c"} {
		out, err := exec.Command(filepath.Join(bin, "echo-client"), "--target", registry+"/echo", "--lb", lb,
			"-c", "4", "-b", "16", "--warmup", "50ms", "-d", "300ms").CombinedOutput()
		if err != nil {
			t.Fatalf("echo-client --lb %s: %v\n%s", lb, err, out)
		}
		if !regexp.MustCompile(`qps, .*, 0 errors`).Match(out) {
			t.Errorf("echo-client --lb %s reported errors:\n%s", lb, out)
		}
		if !regexp.MustCompile(`calls by instance \(warm-up included\): \S+=[1-9]\d* \S+=[1-9]\d*\n`).Match(out) {
			t.Errorf("echo-client --lb %s did not spread calls over both instances:\n%s", lb, out)
		}
	}
	if out, err := exec.Command(filepath.Join(bin, "echo-client"), "--target", registry+"/echo", "--lb", "nope").CombinedOutput(); err == nil {
		t.Errorf("echo-client --lb nope succeeded:\n%s", out)
	}

	// SIGTERM: the server deregisters (the key is gone when it says so),
	// then drains and exits 0.
	if err := s1.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	s1.waitLine(t, "deregistered echo "+s1.addr+" from "+registry)
	cli, err := clientv3.New(clientv3.Config{Endpoints: []string{etcdAddr}, DialTimeout: 5 * time.Second, Logger: zap.NewNop()})
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	resp, err := cli.Get(ctx, etcd.DefaultPrefix+"echo/", clientv3.WithPrefix())
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, kv := range resp.Kvs {
		keys = append(keys, string(kv.Key))
	}
	if want := etcd.DefaultPrefix + "echo/" + s2.addr; len(keys) != 1 || keys[0] != want {
		t.Errorf("keys once s1 deregistered: %v, want [%s]", keys, want)
	}
	if err := s1.wait(); err != nil {
		t.Errorf("echo-server after SIGTERM: %v", err)
	}
}

// buildCommands builds echo-server and echo-client into a temporary
// directory.
func buildCommands(t *testing.T) string {
	t.Helper()
	bin := t.TempDir()
	cmd := exec.Command("go", "build", "-o", bin+string(filepath.Separator), "./cmd/echo-server", "./cmd/echo-client")
	cmd.Dir = filepath.Join("..", "..")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// serverProc is a running echo-server.
type serverProc struct {
	cmd   *exec.Cmd
	addr  string // as registered
	lines chan string
	done  chan error
}

// startServer starts echo-server with args and waits until it has
// registered, stopping it when the test ends.
func startServer(t *testing.T, bin string, args ...string) *serverProc {
	t.Helper()
	cmd := exec.Command(filepath.Join(bin, "echo-server"), args...)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &serverProc{cmd: cmd, lines: make(chan string, 100), done: make(chan error, 1)}
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			p.lines <- sc.Text()
		}
		io.Copy(io.Discard, stdout)
		close(p.lines)
		p.done <- cmd.Wait()
	}()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Signal(syscall.SIGTERM)
			p.wait()
		}
	})
	line := p.waitLine(t, "registered echo ")
	// "registered echo ADDR in URL"
	if f := strings.Fields(line); len(f) == 5 {
		p.addr = f[2]
	} else {
		t.Fatalf("echo-server printed %q", line)
	}
	return p
}

// waitLine waits for a line starting with prefix, failing after 30 s.
func (p *serverProc) waitLine(t *testing.T, prefix string) string {
	t.Helper()
	timeout := time.After(30 * time.Second)
	for {
		select {
		case line, ok := <-p.lines:
			if !ok {
				t.Fatalf("echo-server exited before printing %q", prefix)
			}
			if strings.HasPrefix(line, prefix) {
				return line
			}
		case <-timeout:
			t.Fatalf("echo-server did not print %q in 30 s", prefix)
		}
	}
}

// wait waits for the process to exit, killing it after 30 s.
func (p *serverProc) wait() error {
	for range p.lines {
	}
	select {
	case err := <-p.done:
		return err
	case <-time.After(30 * time.Second):
		p.cmd.Process.Kill()
		return <-p.done
	}
}

// startEtcd starts a one-member etcd on loopback ports with its data in a
// temporary directory, stopped when the test ends, and returns its client
// address.
func startEtcd(t *testing.T) string {
	t.Helper()
	client, peer := freeURL(t), freeURL(t)
	cfg := embed.NewConfig()
	cfg.Name = "test"
	cfg.Dir = t.TempDir()
	cfg.ListenClientUrls, cfg.AdvertiseClientUrls = []url.URL{client}, []url.URL{client}
	cfg.ListenPeerUrls, cfg.AdvertisePeerUrls = []url.URL{peer}, []url.URL{peer}
	cfg.InitialCluster = cfg.Name + "=" + peer.String()
	cfg.ZapLoggerBuilder = embed.NewZapLoggerBuilder(zap.NewNop())
	cfg.LogLevel = "error"
	e, err := embed.StartEtcd(cfg)
	if err != nil {
		t.Fatalf("start etcd: %v", err)
	}
	t.Cleanup(e.Close)
	select {
	case <-e.Server.ReadyNotify():
	case <-time.After(30 * time.Second):
		t.Fatal("etcd not ready in 30 s")
	}
	return client.Host
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
