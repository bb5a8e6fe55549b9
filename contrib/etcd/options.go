package etcd

import (
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// Defaults.
const (
	// DefaultPrefix is where services' keys live.
	DefaultPrefix = "/osprey/services/"
	// DefaultTTL is the registry's lease time to live.
	DefaultTTL = 10 * time.Second
	// DefaultMaxInstances bounds the instances a resolver reports for one
	// service (WithMaxInstances).
	DefaultMaxInstances = 10000
	// requestTimeout bounds one Get, Grant or Put made in the background.
	requestTimeout = 5 * time.Second
	// maxBackoff is the longest wait between retries against etcd.
	maxBackoff = 2 * time.Second
)

// An Option configures NewRegistry or NewBuilder. Giving the same option
// twice, or one that does not apply, is an error.
type Option interface {
	apply(*config) error
}

type optionFunc func(*config) error

func (f optionFunc) apply(c *config) error { return f(c) }

type config struct {
	set      map[string]bool
	resolver bool // NewBuilder's options
	prefix   string
	ttl      time.Duration
	maxInsts int
	logger   *slog.Logger
}

func newConfig(resolver bool, opts []Option) (*config, error) {
	c := &config{set: map[string]bool{}, resolver: resolver, prefix: DefaultPrefix, ttl: DefaultTTL, maxInsts: DefaultMaxInstances, logger: slog.Default()}
	for _, o := range opts {
		if o == nil {
			return nil, fmt.Errorf("etcd: nil Option")
		}
		if err := o.apply(c); err != nil {
			return nil, err
		}
	}
	return c, nil
}

func (c *config) once(name string) error {
	if c.set[name] {
		return fmt.Errorf("etcd: %s given twice", name)
	}
	c.set[name] = true
	return nil
}

// WithPrefix sets the key prefix under which services' instances live; it
// must start and end with "/". Default DefaultPrefix. A registry and the
// builders that resolve its services must use the same prefix.
func WithPrefix(p string) Option {
	return optionFunc(func(c *config) error {
		if !strings.HasPrefix(p, "/") || !strings.HasSuffix(p, "/") {
			return fmt.Errorf("etcd: WithPrefix(%q): want a prefix that starts and ends with /", p)
		}
		c.prefix = p
		return c.once("WithPrefix")
	})
}

// WithTTL sets the registry's lease time to live, in whole seconds, at
// least 1 s (etcd may raise a short one to its minimum, about 2 s with
// default settings). Default DefaultTTL. An instance whose server died
// disappears within about this time. Registry only.
func WithTTL(d time.Duration) Option {
	return optionFunc(func(c *config) error {
		if c.resolver {
			return fmt.Errorf("etcd: WithTTL is an option of NewRegistry")
		}
		if d < time.Second || d%time.Second != 0 {
			return fmt.Errorf("etcd: WithTTL(%v): want whole seconds, at least 1 s", d)
		}
		c.ttl = d
		return c.once("WithTTL")
	})
}

// WithMaxInstances bounds how many instances a resolver reports for one
// service: beyond n, it reports the first n by key (address) and logs a
// warning, so that a runaway registration cannot make every client hold
// connections to it all. Default DefaultMaxInstances; n must be between 1
// and 1,000,000. Resolver only.
func WithMaxInstances(n int) Option {
	return optionFunc(func(c *config) error {
		if !c.resolver {
			return fmt.Errorf("etcd: WithMaxInstances is an option of NewBuilder and URLBuilder")
		}
		if n < 1 || n > 1_000_000 {
			return fmt.Errorf("etcd: WithMaxInstances(%d): want 1 to 1000000", n)
		}
		c.maxInsts = n
		return c.once("WithMaxInstances")
	})
}

// WithLogger sets where lost leases, outages and undecodable values are
// logged. Default slog.Default().
func WithLogger(l *slog.Logger) Option {
	return optionFunc(func(c *config) error {
		if l == nil {
			return fmt.Errorf("etcd: WithLogger(nil)")
		}
		c.logger = l
		return c.once("WithLogger")
	})
}

// serviceKey returns the prefix of service's keys.
func (c *config) serviceKey(service string) (string, error) {
	if service == "" || strings.Contains(service, "/") || len(service) > maxServiceLen {
		return "", fmt.Errorf("etcd: service name %q: want 1 to %d bytes without /", service, maxServiceLen)
	}
	return c.prefix + service + "/", nil
}
