package discovery

import (
	"context"
	"fmt"
	"net"
	"slices"
	"strconv"
	"time"
)

// DefaultDNSInterval is how often a DNS resolver looks its name up again.
const DefaultDNSInterval = 30 * time.Second

// DNS is a Resolver that looks up a host's A and AAAA records and reports
// one instance per address, with the port given. It looks the name up again
// every Interval, and keeps the last addresses it found when a lookup fails.
type DNS struct {
	// Host is the name to look up; Port the port of every instance.
	Host string
	Port int
	// Interval is the time between lookups; 0 means DefaultDNSInterval.
	Interval time.Duration
	// Lookup looks the host up; nil means net.DefaultResolver.LookupIP with
	// network "ip". Tests give their own.
	Lookup func(ctx context.Context, host string) ([]net.IP, error)
}

// NewDNS returns a DNS resolver for hostport, "host:port".
func NewDNS(hostport string) (*DNS, error) {
	host, port, err := net.SplitHostPort(hostport)
	if err != nil {
		return nil, fmt.Errorf("discovery: DNS target %q: %w", hostport, err)
	}
	p, err := strconv.Atoi(port)
	if err != nil || p <= 0 || p > 65535 || host == "" {
		return nil, fmt.Errorf("discovery: DNS target %q: want host:port", hostport)
	}
	return &DNS{Host: host, Port: p}, nil
}

// Watch looks the name up now and then every Interval until ctx ends. It
// returns an error if the first lookup fails or finds nothing.
func (d *DNS) Watch(ctx context.Context, update func([]*Instance)) error {
	return poll(ctx, d.Interval, d.lookup, update)
}

// poll calls lookup now and then every interval (0: DefaultDNSInterval)
// until ctx ends, reporting each new set; a failed lookup keeps the last
// set. It returns the first lookup's error.
func poll(ctx context.Context, interval time.Duration, lookup func(context.Context) ([]*Instance, error), update func([]*Instance)) error {
	if interval <= 0 {
		interval = DefaultDNSInterval
	}
	last, err := lookup(ctx)
	if err != nil {
		return err
	}
	update(last)
	go func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			set, err := lookup(ctx)
			if err != nil || sameSet(set, last) {
				continue // keep the last known addresses
			}
			last = set
			update(set)
		}
	}()
	return nil
}

func (d *DNS) lookup(ctx context.Context) ([]*Instance, error) {
	lookup := d.Lookup
	if lookup == nil {
		lookup = func(ctx context.Context, host string) ([]net.IP, error) {
			return net.DefaultResolver.LookupIP(ctx, "ip", host)
		}
	}
	lctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	ips, err := lookup(lctx, d.Host)
	if err != nil {
		return nil, fmt.Errorf("discovery: look up %s: %w", d.Host, err)
	}
	if len(ips) == 0 {
		return nil, fmt.Errorf("discovery: %s has no addresses", d.Host)
	}
	slices.SortFunc(ips, func(a, b net.IP) int { return slices.Compare(a.To16(), b.To16()) })
	out := make([]*Instance, 0, len(ips))
	for _, ip := range ips {
		out = append(out, &Instance{Network: "tcp", Addr: joinHostPort(ip, d.Port)})
	}
	return out, nil
}
