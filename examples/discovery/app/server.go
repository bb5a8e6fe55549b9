package main

import (
	"context"
	"errors"
	"net"
	"net/url"
	"os"
	"sync"
	"time"

	"go.etcd.io/etcd/server/v3/embed"
	"go.uber.org/zap"

	"github.com/ospreyrpc/osprey/contrib/etcd"
	"github.com/ospreyrpc/osprey/examples/echo/gen/echo"
	"github.com/ospreyrpc/osprey/server"
)

// leaseTTL is how long etcd keeps an instance whose registry stopped
// renewing its lease: about etcd's minimum, so a killed instance goes
// quickly.
const leaseTTL = 2 * time.Second

// startEtcd starts a one-member etcd on free loopback ports, with its data
// in a temporary directory that its Close removes.
func startEtcd() (*etcdServer, error) {
	dir, err := os.MkdirTemp("", "osprey-discovery-")
	if err != nil {
		return nil, err
	}
	client, err := freeURL()
	if err != nil {
		return nil, err
	}
	peer, err := freeURL()
	if err != nil {
		return nil, err
	}
	cfg := embed.NewConfig()
	cfg.Name = "example"
	cfg.Dir = dir
	cfg.ListenClientUrls, cfg.AdvertiseClientUrls = []url.URL{client}, []url.URL{client}
	cfg.ListenPeerUrls, cfg.AdvertisePeerUrls = []url.URL{peer}, []url.URL{peer}
	cfg.InitialCluster = cfg.Name + "=" + peer.String()
	cfg.ZapLoggerBuilder = embed.NewZapLoggerBuilder(zap.NewNop())
	cfg.LogLevel = "error"
	e, err := embed.StartEtcd(cfg)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	select {
	case <-e.Server.ReadyNotify():
	case <-time.After(30 * time.Second):
		e.Close()
		os.RemoveAll(dir)
		return nil, errNotReady
	}
	return &etcdServer{e, dir}, nil
}

// etcdServer is an embedded etcd and its data directory.
type etcdServer struct {
	*embed.Etcd
	dir string
}

// Close stops etcd and removes its data.
func (e *etcdServer) Close() {
	e.Etcd.Close()
	os.RemoveAll(e.dir)
}

var errNotReady = errors.New("etcd not ready in 30 s")

func freeURL() (url.URL, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return url.URL{}, err
	}
	defer ln.Close()
	return url.URL{Scheme: "http", Host: ln.Addr().String()}, nil
}

// instance is an echo server registered in etcd.
type instance struct {
	addr string
	srv  *server.Server
	reg  *etcd.Registry
	ln   *trackingListener
	done chan struct{}
}

type handler struct{}

func (handler) Echo(_ context.Context, req *echo.Request) (*echo.Response, error) {
	return &echo.Response{Action: req.Action, Msg: req.Msg}, nil
}

// startInstance serves echo on a free loopback port, registered as "echo"
// in the etcd at registry, with a registry of its own as a server process
// would have.
func startInstance(name, registry string) (*instance, error) {
	reg, err := etcd.DialRegistry(registry, etcd.WithTTL(leaseTTL), etcd.WithLogger(quiet))
	if err != nil {
		return nil, err
	}
	s, err := server.New(server.WithRegistry(reg, "echo", nil), server.WithLogger(quiet))
	if err != nil {
		reg.Close()
		return nil, err
	}
	if err := echo.RegisterEchoServer(s, handler{}); err != nil {
		reg.Close()
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		reg.Close()
		return nil, err
	}
	in := &instance{addr: ln.Addr().String(), srv: s, reg: reg, ln: &trackingListener{Listener: ln}, done: make(chan struct{})}
	go func() {
		defer close(in.done)
		s.Serve(in.ln)
	}()
	return in, nil
}

// kill ends the instance as a crash would: its listener and connections
// close, and its registry stops renewing its lease without deregistering,
// so etcd drops it when the lease expires.
func (in *instance) kill() {
	in.reg.Close()
	in.ln.Close()
	in.ln.closeConns()
}

// stop stops the instance gracefully (after kill, it only cleans up).
func (in *instance) stop() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	in.srv.Stop(ctx)
	<-in.done
	in.reg.Close()
}

// trackingListener records the connections it accepts, so that kill can
// close them.
type trackingListener struct {
	net.Listener
	mu    sync.Mutex
	conns []net.Conn
}

func (l *trackingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.mu.Lock()
		l.conns = append(l.conns, c)
		l.mu.Unlock()
	}
	return c, err
}

func (l *trackingListener) closeConns() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, c := range l.conns {
		c.Close()
	}
}
