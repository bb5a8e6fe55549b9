package discovery_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"testing"
	"time"

	"github.com/ospreyrpc/osprey/discovery"
)

func addrs(insts []*discovery.Instance) []string {
	var out []string
	for _, i := range insts {
		out = append(out, fmt.Sprintf("%s/%d", i.Addr, i.EffectiveWeight()))
	}
	return out
}

// TestSRV checks which records become instances: the best priority's,
// weights kept (0 becomes 1), no-service and port-0 records dropped,
// duplicates merged; and that a failed lookup later keeps the last set.
func TestSRV(t *testing.T) {
	answers := make(chan []*net.SRV, 2)
	fail := errors.New("servfail")
	r := &discovery.SRV{Name: "_echo._tcp.example.com", Interval: time.Millisecond, Lookup: func(_ context.Context, name string) ([]*net.SRV, error) {
		if name != "_echo._tcp.example.com" {
			t.Errorf("looked up %q", name)
		}
		select {
		case recs := <-answers:
			return recs, nil
		default:
			return nil, fail
		}
	}}
	answers <- []*net.SRV{
		{Target: "b.example.com.", Port: 9000, Priority: 10, Weight: 3},
		{Target: "a.example.com.", Port: 9000, Priority: 10, Weight: 0},
		{Target: "a.example.com.", Port: 9000, Priority: 10, Weight: 0},
		{Target: "backup.example.com.", Port: 9000, Priority: 20, Weight: 5},
		{Target: ".", Port: 9000, Priority: 1},
		{Target: "zero.example.com.", Port: 0, Priority: 1},
	}
	answers <- []*net.SRV{{Target: "backup.example.com.", Port: 9001, Priority: 20, Weight: 5}}
	updates := make(chan []*discovery.Instance, 4)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := r.Watch(ctx, func(insts []*discovery.Instance) { updates <- insts }); err != nil {
		t.Fatal(err)
	}
	if got, want := addrs(<-updates), []string{"a.example.com:9000/1", "b.example.com:9000/3"}; !slices.Equal(got, want) {
		t.Errorf("first set %q, want %q", got, want)
	}
	// The second answer has only the fallback priority; after it every
	// lookup fails, and the set stays.
	if got, want := addrs(<-updates), []string{"backup.example.com:9001/5"}; !slices.Equal(got, want) {
		t.Errorf("second set %q, want %q", got, want)
	}
	cancel()
	select {
	case u := <-updates:
		t.Errorf("update after failed lookups: %q", addrs(u))
	default:
	}
}

func TestSRVErrors(t *testing.T) {
	for _, name := range []string{"echo.tcp.example.com", "_echo.example", "_echo._tcp.", "_._tcp.x", ""} {
		if _, err := discovery.NewSRV(name); err == nil {
			t.Errorf("NewSRV(%q) accepted", name)
		}
	}
	r := &discovery.SRV{Name: "_echo._tcp.example.com", Lookup: func(context.Context, string) ([]*net.SRV, error) {
		return []*net.SRV{{Target: ".", Port: 1}}, nil
	}}
	if err := r.Watch(context.Background(), func([]*discovery.Instance) {}); err == nil {
		t.Error("Watch of a name with no usable records succeeded")
	}
}
