package etcd

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
)

// Settings of the etcd clients that URLBuilder and DialRegistry make.
const (
	// keepAliveTime is how long a connection to etcd may be silent before
	// the client pings it (etcd refuses pings more often than every 5 s).
	keepAliveTime = 10 * time.Second
	// keepAliveTimeout is how long the client waits for the ping's answer
	// before it drops the connection and dials again.
	keepAliveTimeout = 5 * time.Second
)

// URLBuilder returns a builder that, for each "etcd://host:port/service"
// target, dials the etcd member at the target's host:port (required) and
// closes that etcd client when the resolver's watch ends, that is when the
// Osprey client closes. The caller makes and closes nothing. Options:
// WithPrefix, WithMaxInstances, WithLogger.
//
// The etcd client connects in the background, without TLS or
// authentication, to that one member; use NewBuilder with a client of your
// own for those or for several endpoints.
func URLBuilder(opts ...Option) (*Builder, error) {
	cfg, err := newConfig(true, opts)
	if err != nil {
		return nil, err
	}
	return &Builder{cfg: cfg}, nil
}

// DialRegistry returns a registry writing to the etcd member at target,
// "etcd://host:port" (no path), through an etcd client of its own that
// Close closes. The client connects in the
// background: Register waits for it up to its ctx. Options: WithPrefix,
// WithTTL, WithLogger.
func DialRegistry(target string, opts ...Option) (*Registry, error) {
	u, err := url.Parse(target)
	if err != nil {
		return nil, fmt.Errorf("etcd: DialRegistry(%q): want etcd://host:port: %w", target, err)
	}
	if u.Scheme != "etcd" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, fmt.Errorf("etcd: DialRegistry(%q): want etcd://host:port", target)
	}
	eps, err := endpoints(u)
	if err != nil {
		return nil, fmt.Errorf("etcd: DialRegistry(%q): %w", target, err)
	}
	cfg, err := newConfig(false, opts)
	if err != nil {
		return nil, err
	}
	cli, err := dial(eps)
	if err != nil {
		return nil, fmt.Errorf("etcd: DialRegistry(%q): %w", target, err)
	}
	return &Registry{cli: cli, cfg: cfg, owned: true, entries: map[string]*entry{}}, nil
}

// endpoints returns the etcd endpoint a URL's authority names. (net/url
// does not parse a list of host:port, so a target names one member.)
func endpoints(u *url.URL) ([]string, error) {
	if u.Host == "" {
		return nil, errors.New("no etcd host:port in the target")
	}
	host, port, err := net.SplitHostPort(u.Host)
	if p, perr := strconv.Atoi(port); err != nil || host == "" || perr != nil || p < 1 || p > 65535 {
		return nil, fmt.Errorf("etcd endpoint %q: want host:port", u.Host)
	}
	return []string{u.Host}, nil
}

// dial returns an etcd client of eps that connects in the background.
func dial(eps []string) (*clientv3.Client, error) {
	return clientv3.New(clientv3.Config{
		Endpoints:            eps,
		Logger:               zap.NewNop(), // outages are logged by the resolver and registry
		DialKeepAliveTime:    keepAliveTime,
		DialKeepAliveTimeout: keepAliveTimeout,
	})
}
