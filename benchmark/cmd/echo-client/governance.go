//go:build unix

package main

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/ospreyrpc/osprey/client"
	"github.com/ospreyrpc/osprey/contrib/etcd"
	"github.com/ospreyrpc/osprey/endpoint"
	"github.com/ospreyrpc/osprey/loadbalance"
	"github.com/ospreyrpc/osprey/metainfo"
	"github.com/ospreyrpc/osprey/retry"
	"github.com/ospreyrpc/osprey/rpcinfo"

	"github.com/ospreyrpc/osprey/benchmark/system"
)

// governance is what --target, --lb and --retry ask for. Any of them makes
// echo-client call through sys.DialOsprey, which counts the calls each
// instance answered.
type governance struct {
	target string // "" for --addr
	lb     string // "" for the client's default
	retry  int    // attempts; 0 for the client's default (one)
}

func (g *governance) set() bool { return g.target != "" || g.lb != "" || g.retry != 0 }

// dial returns a client of sys for g's target (addr if none) with g's
// balancer and retry policy, and a count of the calls by instance.
func (g *governance) dial(sys system.System, addr string, callers int) (system.Client, *instanceCounts, error) {
	if sys.DialOsprey == nil {
		return nil, nil, fmt.Errorf("--target, --lb and --retry need an Osprey client; system %s has none", sys.Name)
	}
	target := g.target
	if target == "" {
		target = addr
	}
	b, err := etcd.URLBuilder()
	if err != nil {
		return nil, nil, err
	}
	counts := &instanceCounts{}
	opts := []client.Option{client.WithResolverBuilder(b), client.WithMiddleware(counts.middleware)}
	if g.lb != "" {
		bal, err := balancer(g.lb)
		if err != nil {
			return nil, nil, err
		}
		opts = append(opts, client.WithBalancer(bal))
		if g.lb == "hash" {
			opts = append(opts, client.WithMiddleware(hashKeys()))
		}
	}
	if g.retry < 0 {
		return nil, nil, fmt.Errorf("--retry %d: want a number of attempts, at least 1", g.retry)
	}
	if g.retry > 0 {
		// The benchmark's echo method is "Echo" in both IDLs (echo.thrift,
		// echo.proto), and it is idempotent. A broken connection is
		// Unavailable, which retry.DefaultCodes retries.
		opts = append(opts, client.WithMethodPolicy("Echo", client.Policy{
			Retry: retry.Policy{MaxAttempts: g.retry, Idempotent: true},
		}))
	}
	c, err := sys.DialOsprey(target, callers, opts...)
	if err != nil {
		return nil, nil, err
	}
	return c, counts, nil
}

// balancer returns the --lb balancer called name.
func balancer(name string) (loadbalance.Balancer, error) {
	switch name {
	case "rr":
		return loadbalance.RoundRobin(), nil
	case "wrr":
		return loadbalance.WeightedRoundRobin(), nil
	case "random":
		return loadbalance.WeightedRandom(), nil
	case "hash":
		return loadbalance.ConsistentHash(loadbalance.HashMetadata(hashKey)), nil
	case "p2c":
		return loadbalance.P2C(), nil
	}
	return nil, fmt.Errorf("--lb %q: want rr, wrr, random, hash or p2c", name)
}

// hashKey is the metadata key --lb hash hashes on.
const hashKey = "echo-key"

// hashKeys gives each call one of 64 keys in turn (a transient metadata
// value), so that --lb hash spreads them and sends each key to one
// instance.
func hashKeys() endpoint.Middleware {
	var n atomic.Uint64
	return func(next endpoint.Endpoint) endpoint.Endpoint {
		return func(ctx context.Context, req, resp any) error {
			ctx = metainfo.WithTransient(ctx, hashKey, strconv.FormatUint(n.Add(1)%64, 10))
			return next(ctx, req, resp)
		}
	}
}

// instanceCounts counts the calls each instance answered (the instance of
// a call's last attempt), warm-up included.
type instanceCounts struct {
	m sync.Map // address → *atomic.Int64
}

func (c *instanceCounts) middleware(next endpoint.Endpoint) endpoint.Endpoint {
	return func(ctx context.Context, req, resp any) error {
		err := next(ctx, req, resp)
		if err == nil {
			if inst := rpcinfo.FromContext(ctx).Instance; inst != nil {
				n, ok := c.m.Load(inst.Addr)
				if !ok {
					n, _ = c.m.LoadOrStore(inst.Addr, new(atomic.Int64))
				}
				n.(*atomic.Int64).Add(1)
			}
		}
		return err
	}
}

// String returns "ADDR=N ADDR=M", sorted by address.
func (c *instanceCounts) String() string {
	var parts []string
	c.m.Range(func(k, v any) bool {
		parts = append(parts, fmt.Sprintf("%s=%d", k, v.(*atomic.Int64).Load()))
		return true
	})
	slices.Sort(parts)
	return strings.Join(parts, " ")
}
