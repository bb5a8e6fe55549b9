package etcd

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/ospreyrpc/osprey/discovery"
)

// Builder makes resolvers for "etcd://host:port/service" targets, reading
// through one etcd client (NewBuilder) or through a client of each target's
// own (URLBuilder). It implements discovery.Builder; give it to a client
// with client.WithResolverBuilder.
type Builder struct {
	cli *clientv3.Client // nil: dial each target's authority
	cfg *config
}

var _ discovery.Builder = (*Builder)(nil)

// NewBuilder returns a builder reading through cli, which the caller
// closes after the clients using the builder. Options: WithPrefix,
// WithMaxInstances, WithLogger. URLBuilder needs no etcd client.
func NewBuilder(cli *clientv3.Client, opts ...Option) (*Builder, error) {
	if cli == nil {
		return nil, errors.New("etcd: NewBuilder(nil)")
	}
	cfg, err := newConfig(true, opts)
	if err != nil {
		return nil, err
	}
	return &Builder{cli: cli, cfg: cfg}, nil
}

// Scheme returns "etcd".
func (b *Builder) Scheme() string { return "etcd" }

// Build returns the resolver of target's service, its path without the
// leading "/". With NewBuilder, the target's host, if any, must be one of
// the client's endpoints ("etcd:///service" takes the client as it is): a
// builder never reads a cluster other than the one named. With URLBuilder
// the host is required, and each Watch of the resolver dials it.
func (b *Builder) Build(target *url.URL) (discovery.Resolver, error) {
	prefix, err := b.cfg.serviceKey(strings.TrimPrefix(target.Path, "/"))
	if err != nil {
		return nil, err
	}
	if b.cli == nil {
		eps, err := endpoints(target)
		if err != nil {
			return nil, fmt.Errorf("etcd: target %s: %w", target, err)
		}
		return &resolver{cfg: b.cfg, prefix: prefix, endpoints: eps}, nil
	}
	if target.Host != "" && !b.isEndpoint(target.Host) {
		return nil, fmt.Errorf("etcd: target %s: %s is not one of the client's endpoints %v", target, target.Host, b.cli.Endpoints())
	}
	return &resolver{cli: b.cli, cfg: b.cfg, prefix: prefix}, nil
}

func (b *Builder) isEndpoint(host string) bool {
	for _, ep := range b.cli.Endpoints() {
		if _, rest, ok := strings.Cut(ep, "://"); ok {
			ep = rest
		}
		if strings.TrimSuffix(ep, "/") == host {
			return true
		}
	}
	return false
}

// resolver watches the keys of one service.
type resolver struct {
	cli       *clientv3.Client // nil: each Watch dials endpoints
	endpoints []string
	cfg       *config
	prefix    string
}

// known is a key's value and the instance decoded from it.
type known struct {
	val  string
	inst *discovery.Instance
}

// Watch starts watching in the background and returns nil: calls made
// before the first list wait for it (up to their deadline), so a client may
// start while etcd is unreachable. A resolver of URLBuilder dials its etcd
// here, and closes it once ctx has ended and the watching has stopped.
func (r *resolver) Watch(ctx context.Context, update func([]*discovery.Instance)) error {
	if r.cli != nil {
		go r.run(ctx, r.cli, update)
		return nil
	}
	cli, err := dial(r.endpoints)
	if err != nil {
		return fmt.Errorf("etcd: dial %v: %w", r.endpoints, err)
	}
	go func() {
		defer cli.Close()
		r.run(ctx, cli, update)
	}()
	return nil
}

// run lists the prefix through cli, watches it from the list's revision +
// 1, and lists again whenever the watch ends, until ctx ends.
func (r *resolver) run(ctx context.Context, cli *clientv3.Client, update func([]*discovery.Instance)) {
	log := r.cfg.logger
	var last []*discovery.Instance
	reported := false
	report := func(set map[string]known) {
		keys := make([]string, 0, len(set))
		for k := range set {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if max := r.cfg.maxInsts; len(keys) > max {
			log.Warn("osprey/etcd: more instances than WithMaxInstances; reporting the first", "prefix", r.prefix, "instances", len(keys), "max", max)
			keys = keys[:max]
		}
		insts := make([]*discovery.Instance, len(keys))
		for i, k := range keys {
			insts[i] = set[k].inst
		}
		if reported && slices.Equal(insts, last) {
			return
		}
		reported, last = true, insts
		update(insts)
	}
	delay := 100 * time.Millisecond
	down := false
	var prev map[string]known // the last round's, to keep its instances
	for ctx.Err() == nil {
		gctx, cancel := context.WithTimeout(ctx, requestTimeout)
		resp, err := cli.Get(gctx, r.prefix, clientv3.WithPrefix())
		cancel()
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			if !down {
				log.Warn("osprey/etcd: cannot list; keeping the last instances", "prefix", r.prefix, "err", err)
				down = true
			}
			if !wait(ctx, delay) {
				return
			}
			delay = min(2*delay, maxBackoff)
			continue
		}
		if down {
			log.Info("osprey/etcd: listed again", "prefix", r.prefix)
			down = false
		}
		delay = 100 * time.Millisecond
		set := make(map[string]known, len(resp.Kvs))
		for _, kv := range resp.Kvs {
			r.put(set, prev, string(kv.Key), kv.Value)
		}
		report(set)
		err = r.watch(ctx, cli, resp.Header.Revision+1, set, report)
		prev = set
		if ctx.Err() != nil {
			return
		}
		log.Warn("osprey/etcd: watch ended; listing again", "prefix", r.prefix, "err", err)
		if !wait(ctx, delay) {
			return
		}
	}
}

// watch applies the changes from rev on to set, reporting after each
// batch, until the watch fails or ctx ends.
func (r *resolver) watch(ctx context.Context, cli *clientv3.Client, rev int64, set map[string]known, report func(map[string]known)) error {
	wctx, cancel := context.WithCancel(clientv3.WithRequireLeader(ctx))
	defer cancel()
	for wr := range cli.Watch(wctx, r.prefix, clientv3.WithPrefix(), clientv3.WithRev(rev)) {
		if err := wr.Err(); err != nil {
			return err
		}
		for _, ev := range wr.Events {
			key := string(ev.Kv.Key)
			switch ev.Type {
			case clientv3.EventTypePut:
				r.put(set, nil, key, ev.Kv.Value)
			case clientv3.EventTypeDelete:
				delete(set, key)
			}
		}
		report(set)
	}
	return errors.New("watch closed")
}

// put decodes key's value into set. An unchanged value (in set, or in
// prev when listing again) keeps its instance, so that clients keep their
// nodes as they are. A value that does not decode is logged and removes
// the key.
func (r *resolver) put(set, prev map[string]known, key string, val []byte) {
	if k, ok := set[key]; ok && k.val == string(val) {
		return
	}
	if k, ok := prev[key]; ok && k.val == string(val) {
		set[key] = k
		return
	}
	inst, err := decode(val)
	if err != nil {
		r.cfg.logger.Warn("osprey/etcd: skipping an instance that does not decode", "key", key, "err", err)
		delete(set, key)
		return
	}
	set[key] = known{val: string(val), inst: inst}
}
