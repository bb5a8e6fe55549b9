package metainfo

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
)

// DefaultMaxSize bounds the total length of the keys and values one call
// sends, in bytes: 64 KiB.
const DefaultMaxSize = 64 << 10

// Pair is one key and its value.
type Pair struct {
	Key, Value string
}

// Metadata is the metadata of one call. Its zero value is empty. What it
// points to is never modified once shared, so copying a Metadata is cheap
// and safe; it is two pointers, kept small because every call's rpcinfo
// holds one.
type Metadata struct {
	v    *values
	send *atomic.Pointer[Sink] // server side: where backward values for the caller go
}

// values are the values of a Metadata.
type values struct {
	persistent []Pair // sent every hop: received from upstream and added here
	transient  []Pair // sent to the next hop only: added here
	upstream   []Pair // transient values received from the caller: read, not sent
	recv       *Sink  // client side: backward values from the callee
}

// ContextKey is the context key under which a *Metadata is found. Frameworks
// whose per-call context already holds a Metadata answer it themselves;
// user code uses the functions of this package instead.
type ContextKey struct{}

var (
	empty      Metadata
	emptyValue values
)

// FromContext returns the metadata ctx carries; it is never nil, and must
// not be modified.
func FromContext(ctx context.Context) *Metadata {
	if m, ok := ctx.Value(ContextKey{}).(*Metadata); ok && m != nil {
		return m
	}
	return &empty
}

// vals returns m's values, never nil.
func (m *Metadata) vals() *values {
	if m.v == nil {
		return &emptyValue
	}
	return m.v
}

// with returns a child of ctx carrying a copy of its metadata changed by f.
func with(ctx context.Context, f func(*values)) context.Context {
	m := FromContext(ctx)
	v := *m.vals()
	f(&v)
	return context.WithValue(ctx, ContextKey{}, &Metadata{v: &v, send: m.send})
}

// set returns pairs with key set to value, copying pairs first.
func set(pairs []Pair, key, value string) []Pair {
	out := make([]Pair, 0, len(pairs)+1)
	for _, p := range pairs {
		if p.Key != key {
			out = append(out, p)
		}
	}
	return append(out, Pair{key, value})
}

func get(pairs []Pair, key string) (string, bool) {
	for i := len(pairs) - 1; i >= 0; i-- {
		if pairs[i].Key == key {
			return pairs[i].Value, true
		}
	}
	return "", false
}

// WithPersistent returns a child of ctx in which key is set to value for
// this call and every call downstream of it. An empty key is ignored.
func WithPersistent(ctx context.Context, key, value string) context.Context {
	if key == "" {
		return ctx
	}
	return with(ctx, func(v *values) { v.persistent = set(v.persistent, key, value) })
}

// WithTransient returns a child of ctx in which key is set to value for the
// next call only: the callee sees it, the callee's own calls do not carry
// it. An empty key is ignored.
func WithTransient(ctx context.Context, key, value string) context.Context {
	if key == "" {
		return ctx
	}
	return with(ctx, func(v *values) { v.transient = set(v.transient, key, value) })
}

// Persistent returns the persistent value of key in ctx.
func Persistent(ctx context.Context, key string) (string, bool) {
	return get(FromContext(ctx).vals().persistent, key)
}

// Transient returns the transient value of key in ctx: one set with
// WithTransient, or, in a server handler, one the caller sent.
func Transient(ctx context.Context, key string) (string, bool) {
	v := FromContext(ctx).vals()
	if s, ok := get(v.transient, key); ok {
		return s, true
	}
	return get(v.upstream, key)
}

// Size returns the total length of the keys and values the call sends.
func (m *Metadata) Size() int {
	n := 0
	v := m.vals()
	for _, p := range v.persistent {
		n += len(p.Key) + len(p.Value)
	}
	for _, p := range v.transient {
		n += len(p.Key) + len(p.Value)
	}
	return n
}

// Check returns an error if the metadata a call sends is larger than max
// bytes.
func (m *Metadata) Check(max int) error {
	if m.v == nil {
		return nil
	}
	if n := m.Size(); n > max {
		return fmt.Errorf("metainfo: %d bytes of metadata, limit %d", n, max)
	}
	return nil
}

// Outgoing returns the persistent and transient values a call with this
// metadata sends. The slices must not be modified.
func (m *Metadata) Outgoing() (persistent, transient []Pair) {
	v := m.vals()
	return v.persistent, v.transient
}

// ForCall returns the metadata a client call made under m starts with: the
// persistent and transient values and the backward receiver, without what
// m holds only for its own server side (values received as transient, and
// where backward values go).
func (m *Metadata) ForCall() Metadata {
	if m.v == nil || m.v.upstream == nil {
		return Metadata{v: m.v}
	}
	return Metadata{v: &values{persistent: m.v.persistent, transient: m.v.transient, recv: m.v.recv}}
}

// Incoming returns the metadata of a call a server received: persistent
// values to read and forward, transient values to read only. The server
// owns the slices from then on.
func Incoming(persistent, transient []Pair) Metadata {
	if persistent == nil && transient == nil {
		return Metadata{}
	}
	return Metadata{v: &values{persistent: persistent, upstream: transient}}
}

// Sink collects backward values. Its zero value is ready.
type Sink struct {
	mu    sync.Mutex
	pairs []Pair
}

// Set sets key to value. It is safe for concurrent use.
func (s *Sink) Set(key, value string) {
	s.mu.Lock()
	s.pairs = set(s.pairs, key, value)
	s.mu.Unlock()
}

// Pairs returns the values set so far; the slice must not be modified.
func (s *Sink) Pairs() []Pair {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pairs
}

// WithBackward returns a child of ctx whose calls record the backward values
// their callees send, for RecvBackward. Each call of WithBackward starts an
// empty record.
func WithBackward(ctx context.Context) context.Context {
	return with(ctx, func(v *values) { v.recv = new(Sink) })
}

// RecvBackward returns the backward value of key that a callee sent to a
// call made under ctx, which must come from WithBackward.
func RecvBackward(ctx context.Context, key string) (string, bool) {
	s := FromContext(ctx).vals().recv
	if s == nil {
		return "", false
	}
	return get(s.Pairs(), key)
}

// AllBackward returns every backward value calls made under ctx received,
// or nil if ctx does not come from WithBackward.
func AllBackward(ctx context.Context) map[string]string {
	s := FromContext(ctx).vals().recv
	if s == nil {
		return nil
	}
	out := map[string]string{}
	for _, p := range s.Pairs() {
		out[p.Key] = p.Value
	}
	return out
}

// Received records a backward value a callee sent, if the call asked for
// them. Frameworks call it while decoding a reply.
func (m *Metadata) Received(key, value string) {
	if s := m.vals().recv; s != nil && key != "" {
		s.Set(key, value)
	}
}

// SendBackward sets a backward value for the caller of the server handler
// ctx belongs to. Protocols that cannot carry backward values (plain
// Thrift) drop them. It returns an error outside a server call. It is safe
// for concurrent use.
func SendBackward(ctx context.Context, key, value string) error {
	if key == "" {
		return fmt.Errorf("metainfo: SendBackward with an empty key")
	}
	p := FromContext(ctx).send
	if p == nil {
		return fmt.Errorf("metainfo: SendBackward outside a server call")
	}
	s := p.Load()
	if s == nil {
		s = new(Sink)
		if !p.CompareAndSwap(nil, s) {
			s = p.Load()
		}
	}
	s.Set(key, value)
	return nil
}

// SendTo makes SendBackward on a server call whose metadata is m put its
// values in the Sink p points to, made on first use. Frameworks call it
// before the handler runs, with storage in their per-call object.
func (m *Metadata) SendTo(p *atomic.Pointer[Sink]) { m.send = p }
