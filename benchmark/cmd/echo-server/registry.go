//go:build unix

package main

import (
	"context"
	"fmt"
	"net"
	"time"

	"github.com/ospreyrpc/osprey/contrib/etcd"
	"github.com/ospreyrpc/osprey/discovery"
	"github.com/ospreyrpc/osprey/registry"
	"github.com/ospreyrpc/osprey/server"

	"github.com/ospreyrpc/osprey/benchmark/system"
)

// registration is what --registry, --service, --advertise and
// --deregister-wait ask for.
type registration struct {
	url, service, advertise string
	wait                    time.Duration
}

// serve serves sys on ln registered in etcd: the server registers once it
// serves and, on stop, deregisters and waits r.wait before draining.
func (r *registration) serve(sys system.System, ln net.Listener) (stop func(), err error) {
	if sys.ServeOsprey == nil {
		return nil, fmt.Errorf("--registry: system %s does not have Osprey's server", sys.Name)
	}
	addr, err := advertised(r.advertise, ln.Addr())
	if err != nil {
		return nil, err
	}
	reg, err := etcd.DialRegistry(r.url)
	if err != nil {
		return nil, err
	}
	inst := &discovery.Instance{Network: "tcp", Addr: addr}
	stopServer, err := sys.ServeOsprey(ln,
		server.WithRegistry(printing{reg, r.url}, r.service, inst),
		server.WithDeregisterWait(r.wait))
	if err != nil {
		reg.Close()
		return nil, err
	}
	return func() {
		stopServer()
		reg.Close()
	}, nil
}

// advertised returns the address to register: flag if set, else the
// listener's, with 127.0.0.1 for an unspecified host.
func advertised(flag string, ln net.Addr) (string, error) {
	if flag != "" {
		if _, _, err := net.SplitHostPort(flag); err != nil {
			return "", fmt.Errorf("--advertise %q: want host:port", flag)
		}
		return flag, nil
	}
	a, ok := ln.(*net.TCPAddr)
	if !ok {
		return ln.String(), nil
	}
	if a.IP == nil || a.IP.IsUnspecified() {
		return net.JoinHostPort("127.0.0.1", fmt.Sprint(a.Port)), nil
	}
	return a.String(), nil
}

// printing is a registry that prints "registered SERVICE ADDR in URL" and
// "deregistered SERVICE ADDR from URL" once each is done.
type printing struct {
	registry.Registry
	url string
}

func (p printing) Register(ctx context.Context, service string, inst *discovery.Instance) error {
	err := p.Registry.Register(ctx, service, inst)
	if err == nil {
		fmt.Printf("registered %s %s in %s\n", service, inst.Addr, p.url)
	}
	return err
}

func (p printing) Deregister(ctx context.Context, service string, inst *discovery.Instance) error {
	err := p.Registry.Deregister(ctx, service, inst)
	if err == nil {
		fmt.Printf("deregistered %s %s from %s\n", service, inst.Addr, p.url)
	}
	return err
}
