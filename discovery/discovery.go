package discovery

import (
	"context"
	"net"
	"strconv"
)

// DefaultWeight is the weight of an instance that does not state one.
const DefaultWeight = 100

// Instance is one address serving a service. Instances are shared between
// goroutines and never modified once a resolver has reported them.
type Instance struct {
	// Network is "tcp" or "unix".
	Network string
	// Addr is the address to dial: "host:port", or a socket path.
	Addr string
	// Weight is the instance's share of the load relative to the others;
	// 0 means DefaultWeight.
	Weight int
	// Tags are labels such as "zone" or "version", for pickers and routing.
	Tags map[string]string
}

// String returns the network and address, such as "tcp:10.0.0.1:80".
func (i *Instance) String() string { return i.Network + ":" + i.Addr }

// EffectiveWeight returns Weight, or DefaultWeight when it is not positive.
func (i *Instance) EffectiveWeight() int {
	if i.Weight <= 0 {
		return DefaultWeight
	}
	return i.Weight
}

// Resolver finds the instances of one target.
type Resolver interface {
	// Watch calls update with the full set of instances every time it
	// changes, the first time before or soon after Watch returns, until
	// ctx ends. update is never called concurrently with itself. Watch
	// returns an error only if it cannot start; afterwards it keeps the
	// last known set when the source fails, and reports errors through
	// update's caller-visible state only by not changing the set.
	Watch(ctx context.Context, update func([]*Instance)) error
}

// ResolverFunc adapts a function to Resolver.
type ResolverFunc func(ctx context.Context, update func([]*Instance)) error

// Watch calls f.
func (f ResolverFunc) Watch(ctx context.Context, update func([]*Instance)) error {
	return f(ctx, update)
}

// Static is a Resolver for a fixed list of instances.
type Static []*Instance

// Watch reports the list once.
func (s Static) Watch(ctx context.Context, update func([]*Instance)) error {
	update(s)
	return nil
}

// TCP returns an instance for a TCP address "host:port" with the default
// weight.
func TCP(addr string) *Instance { return &Instance{Network: "tcp", Addr: addr} }

// sameSet reports whether a and b hold the same addresses and weights in the
// same order.
func sameSet(a, b []*Instance) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Network != b[i].Network || a[i].Addr != b[i].Addr || a[i].Weight != b[i].Weight {
			return false
		}
	}
	return true
}

func joinHostPort(ip net.IP, port int) string {
	return net.JoinHostPort(ip.String(), strconv.Itoa(port))
}
