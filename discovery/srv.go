package discovery

import (
	"context"
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"
	"time"
)

// SRV is a Resolver that looks up a DNS SRV name, such as
// "_echo._tcp.example.com", and reports one instance per record of the
// best (lowest) priority, its address the record's target and port and its
// weight the record's weight (0 becomes 1, so a zero-weight record still
// gets a little load, as RFC 2782 allows). Records of worse priorities are
// the fallback when the best one has none usable. It looks the name up
// again every Interval and keeps the last instances when a lookup fails.
type SRV struct {
	// Name is the full SRV name to look up.
	Name string
	// Interval is the time between lookups; 0 means DefaultDNSInterval.
	Interval time.Duration
	// Lookup looks the name up; nil means net.DefaultResolver.LookupSRV
	// with an empty service and protocol (Name is already complete).
	// Tests give their own.
	Lookup func(ctx context.Context, name string) ([]*net.SRV, error)
}

// maxSRVRecords bounds the instances one lookup may report.
const maxSRVRecords = 1024

// NewSRV returns an SRV resolver for name, which must have the form
// "_service._proto.domain".
func NewSRV(name string) (*SRV, error) {
	parts := strings.SplitN(name, ".", 3)
	if len(parts) < 3 || len(parts[0]) < 2 || len(parts[1]) < 2 || parts[0][0] != '_' || parts[1][0] != '_' || parts[2] == "" {
		return nil, fmt.Errorf("discovery: SRV target %q: want _service._proto.domain", name)
	}
	return &SRV{Name: name}, nil
}

// Watch looks the name up now and then every Interval until ctx ends. It
// returns an error if the first lookup fails or finds nothing.
func (s *SRV) Watch(ctx context.Context, update func([]*Instance)) error {
	return poll(ctx, s.Interval, s.lookup, update)
}

func (s *SRV) lookup(ctx context.Context) ([]*Instance, error) {
	lookup := s.Lookup
	if lookup == nil {
		lookup = func(ctx context.Context, name string) ([]*net.SRV, error) {
			_, recs, err := net.DefaultResolver.LookupSRV(ctx, "", "", name)
			return recs, err
		}
	}
	lctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	recs, err := lookup(lctx, s.Name)
	if err != nil {
		return nil, fmt.Errorf("discovery: look up SRV %s: %w", s.Name, err)
	}
	recs = slices.DeleteFunc(slices.Clone(recs), func(r *net.SRV) bool {
		return r == nil || r.Port == 0 || r.Target == "" || r.Target == "." // "." means no service
	})
	if len(recs) == 0 {
		return nil, fmt.Errorf("discovery: SRV %s has no usable records", s.Name)
	}
	best := recs[0].Priority
	for _, r := range recs {
		best = min(best, r.Priority)
	}
	var out []*Instance
	for _, r := range recs {
		if r.Priority != best || len(out) == maxSRVRecords {
			continue
		}
		host := strings.TrimSuffix(r.Target, ".")
		out = append(out, &Instance{Network: "tcp", Addr: net.JoinHostPort(host, strconv.Itoa(int(r.Port))), Weight: max(int(r.Weight), 1)})
	}
	slices.SortFunc(out, func(a, b *Instance) int { return strings.Compare(a.Addr, b.Addr) })
	out = slices.CompactFunc(out, func(a, b *Instance) bool { return a.Addr == b.Addr })
	return out, nil
}
