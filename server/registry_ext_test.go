package server_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ospreyrpc/osprey/discovery"
	"github.com/ospreyrpc/osprey/internal/echotest"
	"github.com/ospreyrpc/osprey/internal/gen/echo"
	"github.com/ospreyrpc/osprey/internal/leakcheck"
	"github.com/ospreyrpc/osprey/registry"
	"github.com/ospreyrpc/osprey/server"
)

// fakeRegistry records calls; hooks run inside them.
type fakeRegistry struct {
	mu         sync.Mutex
	events     []string
	registered map[string]*discovery.Instance // by service/addr

	failRegister int // Register fails this many times first
	onRegister   func(ctx context.Context) error
	onDeregister func()
	registeredCh chan *discovery.Instance
	deregistered chan struct{}
}

func newFakeRegistry() *fakeRegistry {
	return &fakeRegistry{
		registered:   map[string]*discovery.Instance{},
		registeredCh: make(chan *discovery.Instance, 1),
		deregistered: make(chan struct{}),
	}
}

func (f *fakeRegistry) event(e string) {
	f.mu.Lock()
	f.events = append(f.events, e)
	f.mu.Unlock()
}

func (f *fakeRegistry) Events() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.events...)
}

func (f *fakeRegistry) Register(ctx context.Context, svc string, inst *discovery.Instance) error {
	if f.onRegister != nil {
		if err := f.onRegister(ctx); err != nil {
			f.event("register failed")
			return err
		}
	}
	f.mu.Lock()
	if f.failRegister > 0 {
		f.failRegister--
		f.events = append(f.events, "register failed")
		f.mu.Unlock()
		return errors.New("registry unreachable")
	}
	f.registered[svc+"/"+inst.Addr] = inst
	f.events = append(f.events, "register")
	f.mu.Unlock()
	f.registeredCh <- inst
	return nil
}

func (f *fakeRegistry) Deregister(ctx context.Context, svc string, inst *discovery.Instance) error {
	f.event("deregister")
	if f.onDeregister != nil {
		f.onDeregister()
	}
	f.mu.Lock()
	delete(f.registered, svc+"/"+inst.Addr)
	f.mu.Unlock()
	close(f.deregistered)
	return nil
}

var _ registry.Registry = (*fakeRegistry)(nil)

func waitRegistered(t *testing.T, f *fakeRegistry) *discovery.Instance {
	t.Helper()
	select {
	case inst := <-f.registeredCh:
		return inst
	case <-time.After(10 * time.Second):
		t.Fatalf("not registered; events %v", f.Events())
		return nil
	}
}

func TestRegistryRegistersListenerAddress(t *testing.T) {
	leakcheck.Check(t)
	f := newFakeRegistry()
	tmpl := &discovery.Instance{Weight: 7, Tags: map[string]string{registry.TagZone: "z1"}}
	s := echotest.Serve(t, "tcp", server.WithRegistry(f, "echo", tmpl))
	tmpl.Tags[registry.TagZone] = "changed after New" // the server keeps its copy
	inst := waitRegistered(t, f)
	if inst.Network != "tcp" || inst.Addr != s.Target || inst.Weight != 7 || inst.Tags[registry.TagZone] != "z1" {
		t.Fatalf("registered %+v, want tcp %s weight 7 zone z1", inst, s.Target)
	}
	f.mu.Lock()
	_, ok := f.registered["echo/"+s.Target]
	f.mu.Unlock()
	if !ok {
		t.Fatalf("registered %v, want echo/%s", f.registered, s.Target)
	}
}

func TestRegistryGivenAddressIsKept(t *testing.T) {
	f := newFakeRegistry()
	echotest.Serve(t, "tcp", server.WithRegistry(f, "echo", &discovery.Instance{Addr: "10.1.2.3:9090"}))
	if inst := waitRegistered(t, f); inst.Network != "tcp" || inst.Addr != "10.1.2.3:9090" {
		t.Fatalf("registered %+v, want tcp 10.1.2.3:9090", inst)
	}
}

func TestRegistryUnixListener(t *testing.T) {
	f := newFakeRegistry()
	s := echotest.Serve(t, "unix", server.WithRegistry(f, "echo", nil))
	if inst := waitRegistered(t, f); inst.Network != "unix" || "unix:"+inst.Addr != s.Target {
		t.Fatalf("registered %+v, want %s", inst, s.Target)
	}
}

// Deregistration comes before the drain: while Deregister runs, an idle
// connection still carries calls and the listener still accepts; once Stop
// returns, neither does.
func TestRegistryDeregistersBeforeDrain(t *testing.T) {
	leakcheck.Check(t)
	f := newFakeRegistry()
	s := echotest.Serve(t, "tcp", server.WithRegistry(f, "echo", nil))
	waitRegistered(t, f)
	c := newClient(t, s.Target)
	ctx := context.Background()
	if _, err := c.Echo(ctx, &echo.Request{Msg: "before"}); err != nil {
		t.Fatal(err)
	}
	f.event("served")
	var inDeregister []error
	f.onDeregister = func() {
		_, err := c.Echo(ctx, &echo.Request{Msg: "during"}) // its idle connection
		inDeregister = append(inDeregister, err)
		nc, err := net.Dial("tcp", s.Target)
		if err == nil {
			nc.Close()
		}
		inDeregister = append(inDeregister, err)
	}
	if err := s.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	f.event("stopped")
	for i, err := range inDeregister {
		if err != nil {
			t.Errorf("inside Deregister, step %d: %v; the server drained before deregistering", i, err)
		}
	}
	if got, want := strings.Join(f.Events(), ","), "register,served,deregister,stopped"; got != want {
		t.Fatalf("events %s, want %s", got, want)
	}
	if nc, err := net.Dial("tcp", s.Target); err == nil {
		nc.Close()
		t.Fatal("listener still accepts after Stop")
	}
	if _, err := c.Echo(ctx, &echo.Request{Msg: "after"}); err == nil {
		t.Fatal("call after Stop succeeded")
	}
}

// A server that cannot register keeps serving and keeps trying.
func TestRegistryRetriesFailedRegister(t *testing.T) {
	leakcheck.Check(t)
	f := newFakeRegistry()
	f.failRegister = 2
	s := echotest.Serve(t, "tcp", server.WithRegistry(f, "echo", nil))
	c := newClient(t, s.Target)
	if _, err := c.Echo(context.Background(), &echo.Request{Msg: "serving"}); err != nil {
		t.Fatal(err)
	}
	waitRegistered(t, f)
	if got, want := strings.Join(f.Events(), ","), "register failed,register failed,register"; got != want {
		t.Fatalf("events %s, want %s", got, want)
	}
	if n := strings.Count(s.Logs(), "register failed; retrying"); n != 2 {
		t.Fatalf("logged %d failures, want 2:\n%s", n, s.Logs())
	}
}

// Stop while Register hangs (the registry unreachable): the attempt is
// cancelled, Deregister still runs (the write may have landed), nothing
// leaks.
func TestRegistryStopWhileRegistering(t *testing.T) {
	leakcheck.Check(t)
	f := newFakeRegistry()
	entered := make(chan struct{})
	f.onRegister = func(ctx context.Context) error {
		close(entered)
		<-ctx.Done()
		return ctx.Err()
	}
	s := echotest.Serve(t, "tcp", server.WithRegistry(f, "echo", nil))
	<-entered
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(f.Events(), ","), "register failed,deregister"; got != want {
		t.Fatalf("events %s, want %s", got, want)
	}
}

// A server stopped before it serves registers nothing.
func TestRegistryStopBeforeServe(t *testing.T) {
	f := newFakeRegistry()
	s, err := server.New(server.WithRegistry(f, "echo", nil))
	if err != nil {
		t.Fatal(err)
	}
	if err := echo.RegisterEcho(s, echotest.NewHandler()); err != nil {
		t.Fatal(err)
	}
	if err := s.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Serve(ln); err != server.ErrStopped {
		t.Fatalf("Serve after Stop: %v", err)
	}
	if ev := f.Events(); len(ev) != 0 {
		t.Fatalf("events %v, want none", ev)
	}
}

// WithDeregisterWait holds the drain back: calls still work after
// Deregister until the wait ends, here by Stop's ctx.
func TestRegistryDeregisterWait(t *testing.T) {
	leakcheck.Check(t)
	f := newFakeRegistry()
	s := echotest.Serve(t, "tcp", server.WithRegistry(f, "echo", nil), server.WithDeregisterWait(time.Hour))
	waitRegistered(t, f)
	c := newClient(t, s.Target)
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan error, 1)
	go func() { stopped <- s.Stop(ctx) }()
	<-f.deregistered
	if _, err := c.Echo(context.Background(), &echo.Request{Msg: "during the wait"}); err != nil {
		t.Fatalf("call during the wait: %v", err)
	}
	select {
	case err := <-stopped:
		t.Fatalf("Stop returned %v during the wait", err)
	default:
	}
	cancel()
	if err := <-stopped; err != nil && !errors.Is(err, context.Canceled) {
		t.Fatal(err)
	}
}

func TestRegistryOptionErrors(t *testing.T) {
	f := newFakeRegistry()
	for name, opts := range map[string][]server.Option{
		"nil registry":      {server.WithRegistry(nil, "echo", nil)},
		"no service":        {server.WithRegistry(f, "", nil)},
		"twice":             {server.WithRegistry(f, "a", nil), server.WithRegistry(f, "b", nil)},
		"wait, no registry": {server.WithDeregisterWait(time.Second)},
		"negative wait":     {server.WithRegistry(f, "a", nil), server.WithDeregisterWait(-time.Second)},
		"wait given twice":  {server.WithRegistry(f, "a", nil), server.WithDeregisterWait(1), server.WithDeregisterWait(2)},
	} {
		if _, err := server.New(opts...); err == nil {
			t.Errorf("%s: New succeeded", name)
		}
	}
}

// Stop without grace (its ctx already ended) still deregisters first,
// before it closes the connections.
func TestRegistryStopWithoutGraceDeregistersFirst(t *testing.T) {
	leakcheck.Check(t)
	f := newFakeRegistry()
	s := echotest.Serve(t, "tcp", server.WithRegistry(f, "echo", nil), server.WithDeregisterWait(time.Hour))
	waitRegistered(t, f)
	c := newClient(t, s.Target)
	if _, err := c.Echo(context.Background(), &echo.Request{Msg: "before"}); err != nil {
		t.Fatal(err)
	}
	var during error
	f.onDeregister = func() {
		_, during = c.Echo(context.Background(), &echo.Request{Msg: "during"})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.Stop(ctx); err != nil && !errors.Is(err, context.Canceled) {
		t.Fatal(err)
	}
	if during != nil {
		t.Fatalf("call inside Deregister: %v", during)
	}
	if got, want := strings.Join(f.Events(), ","), "register,deregister"; got != want {
		t.Fatalf("events %s, want %s", got, want)
	}
}
