package etcd

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/ospreyrpc/osprey/discovery"
	"github.com/ospreyrpc/osprey/registry"
)

// Registry registers instances in etcd, each under a lease it keeps alive
// and renews by itself when the lease is lost. It implements
// registry.Registry; its methods are safe for concurrent use.
type Registry struct {
	cli   *clientv3.Client
	cfg   *config
	owned bool // DialRegistry's: Close closes cli

	mu      sync.Mutex
	entries map[string]*entry // by key
	closed  bool
}

var _ registry.Registry = (*Registry)(nil)

// entry is one registered key and the goroutine keeping it.
type entry struct {
	key, val string
	cancel   context.CancelFunc
	done     chan struct{}

	mu    sync.Mutex
	lease clientv3.LeaseID
}

// NewRegistry returns a registry writing through cli, which the caller
// closes after the registry. Options: WithPrefix, WithTTL, WithLogger.
// DialRegistry needs no etcd client.
func NewRegistry(cli *clientv3.Client, opts ...Option) (*Registry, error) {
	if cli == nil {
		return nil, errors.New("etcd: NewRegistry(nil)")
	}
	cfg, err := newConfig(false, opts)
	if err != nil {
		return nil, err
	}
	return &Registry{cli: cli, cfg: cfg, entries: map[string]*entry{}}, nil
}

// Register writes inst under service with a new lease and keeps the lease
// alive until Deregister, Close, or until cli is closed; when the lease is lost it
// grants a new one and writes the key again, retrying with a backoff up to
// 2 s. It returns once the first write is done. Registering the same
// service and address again replaces the value and the lease. Register and
// Deregister of one service and address must not overlap (a server never
// does that); different ones may.
func (r *Registry) Register(ctx context.Context, service string, inst *discovery.Instance) error {
	key, val, err := r.keyValue(service, inst)
	if err != nil {
		return err
	}
	r.mu.Lock()
	closed := r.closed
	r.mu.Unlock()
	if closed {
		return errClosed
	}
	lease, err := r.put(ctx, key, val)
	if err != nil {
		return fmt.Errorf("etcd: register %s: %w", key, err)
	}
	kctx, cancel := context.WithCancel(context.Background())
	e := &entry{key: key, val: val, cancel: cancel, done: make(chan struct{}), lease: lease}
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		cancel()
		r.revoke(lease)
		return errClosed
	}
	old := r.entries[key]
	r.entries[key] = e
	r.mu.Unlock()
	go r.keep(kctx, e)
	if old != nil {
		old.cancel()
		<-old.done
		// The key is under the new lease now: revoking the old one frees it
		// and deletes nothing.
		old.mu.Lock()
		lease := old.lease
		old.mu.Unlock()
		_, _ = r.cli.Revoke(ctx, lease)
	}
	return nil
}

// Deregister stops keeping inst's lease, deletes its key and revokes the
// lease. If etcd cannot be reached, the key goes when the lease expires.
func (r *Registry) Deregister(ctx context.Context, service string, inst *discovery.Instance) error {
	key, _, err := r.keyValue(service, inst)
	if err != nil {
		return err
	}
	r.mu.Lock()
	e := r.entries[key]
	delete(r.entries, key)
	r.mu.Unlock()
	if e != nil {
		e.cancel()
		<-e.done
	}
	if _, err := r.cli.Delete(ctx, key); err != nil {
		return fmt.Errorf("etcd: deregister %s: %w", key, err)
	}
	if e != nil {
		e.mu.Lock()
		lease := e.lease
		e.mu.Unlock()
		// The key is gone; the lease would expire by itself.
		_, _ = r.cli.Revoke(ctx, lease)
	}
	return nil
}

// Close stops keeping alive the leases of the instances still registered
// (their keys go when the leases expire; Deregister first, as a server's
// Stop does, to remove them at once) and, for a registry of DialRegistry,
// closes its etcd client. Register fails after Close; closing again does
// nothing.
func (r *Registry) Close() error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil
	}
	r.closed = true
	entries := r.entries
	r.entries = map[string]*entry{}
	r.mu.Unlock()
	for _, e := range entries {
		e.cancel()
		<-e.done
	}
	if r.owned {
		return r.cli.Close()
	}
	return nil
}

// errClosed is Register's error after Close.
var errClosed = errors.New("etcd: registry closed")

// revoke revokes a lease that nothing will use, within requestTimeout.
func (r *Registry) revoke(lease clientv3.LeaseID) {
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	_, _ = r.cli.Revoke(ctx, lease)
}

func (r *Registry) keyValue(service string, inst *discovery.Instance) (key, val string, err error) {
	if inst == nil {
		return "", "", errors.New("etcd: nil instance")
	}
	prefix, err := r.cfg.serviceKey(service)
	if err != nil {
		return "", "", err
	}
	b, err := encode(inst)
	if err != nil {
		return "", "", fmt.Errorf("etcd: %w", err)
	}
	return prefix + inst.Addr, string(b), nil
}

// put grants a lease and writes key under it.
func (r *Registry) put(ctx context.Context, key, val string) (clientv3.LeaseID, error) {
	g, err := r.cli.Grant(ctx, int64(r.cfg.ttl/time.Second))
	if err != nil {
		return 0, err
	}
	if _, err := r.cli.Put(ctx, key, val, clientv3.WithLease(g.ID)); err != nil {
		r.revoke(g.ID)
		return 0, err
	}
	return g.ID, nil
}

// keep keeps e's lease alive, and writes e again under a new lease when it
// is lost, until ctx ends or the client is closed.
func (r *Registry) keep(ctx context.Context, e *entry) {
	defer close(e.done)
	log := r.cfg.logger
	for {
		e.mu.Lock()
		lease := e.lease
		e.mu.Unlock()
		ch, err := r.cli.KeepAlive(ctx, lease)
		if err == nil {
			r.hold(ctx, e, lease, ch)
		}
		if ctx.Err() != nil || r.cli.Ctx().Err() != nil {
			return
		}
		log.Warn("osprey/etcd: lease lost; registering again", "key", e.key, "err", err)
		delay := 100 * time.Millisecond
		if err != nil && !wait(ctx, delay) { // the keep-alive loop halted: do not spin
			return
		}
		for {
			pctx, cancel := context.WithTimeout(ctx, requestTimeout)
			lease, err := r.put(pctx, e.key, e.val)
			cancel()
			if err == nil {
				e.mu.Lock()
				e.lease = lease
				e.mu.Unlock()
				log.Info("osprey/etcd: registered again", "key", e.key)
				break
			}
			if ctx.Err() != nil || r.cli.Ctx().Err() != nil {
				return
			}
			log.Debug("osprey/etcd: register again failed", "key", e.key, "err", err, "in", delay)
			if !wait(ctx, delay) {
				return
			}
			delay = min(2*delay, maxBackoff)
		}
	}
}

// hold keeps e's key while its lease is kept alive (ka delivers the
// keep-alive answers and closes when the lease is lost): if someone
// deletes the key, hold writes it again under the same lease, so an
// instance whose process still runs does not vanish from its clients.
func (r *Registry) hold(ctx context.Context, e *entry, lease clientv3.LeaseID, ka <-chan *clientv3.LeaseKeepAliveResponse) {
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	wch := r.cli.Watch(wctx, e.key)
	for {
		select {
		case _, ok := <-ka:
			if !ok {
				return
			}
		case resp, ok := <-wch:
			if !ok || resp.Err() != nil {
				// The watch ended (a compaction, a cancellation): start
				// another once ctx allows, without spinning.
				if !wait(ctx, 100*time.Millisecond) {
					return
				}
				wch = r.cli.Watch(wctx, e.key)
				continue
			}
			for _, ev := range resp.Events {
				if ev.Type != clientv3.EventTypeDelete {
					continue
				}
				r.cfg.logger.Warn("osprey/etcd: registered key deleted while its lease lives; writing it again", "key", e.key)
				pctx, pcancel := context.WithTimeout(ctx, requestTimeout)
				_, err := r.cli.Put(pctx, e.key, e.val, clientv3.WithLease(lease))
				pcancel()
				if err != nil && ctx.Err() == nil {
					// Most likely the lease is gone too: the keep-alive
					// channel closes and keep registers again.
					r.cfg.logger.Debug("osprey/etcd: writing the deleted key again failed", "key", e.key, "err", err)
				}
			}
		}
	}
}

// wait waits d, reporting false if ctx ends first.
func wait(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
