package conformance

import (
	"testing"

	"github.com/ospreyrpc/osprey/conformance/internal/apache"
	"github.com/ospreyrpc/osprey/conformance/internal/osprey"
	"github.com/ospreyrpc/osprey/internal/leakcheck"
)

// TestOspreyClientApacheServer runs every check with the Osprey client
// against the Apache library server, in each protocol and transport.
func TestOspreyClientApacheServer(t *testing.T) {
	leakcheck.Check(t)
	for _, opts := range allOptions {
		t.Run(opts.String(), func(t *testing.T) {
			t.Parallel()
			ctx := testContext(t)
			s := startApache(t, opts)
			if err := osprey.Check(ctx, s.Addr().String(), opts); err != nil {
				t.Errorf("osprey.Check against the Apache server:\n%v", err)
			}
			secs, err := s.WaitOneway(ctx)
			if err != nil {
				t.Fatalf("WaitOneway: %v", err)
			}
			if secs != 1 {
				t.Errorf("the Apache server got testOneway(%d), want testOneway(1)", secs)
			}
			if n := s.OnewayCalls(); n != 1 {
				t.Errorf("the Apache server got %d testOneway calls, want 1", n)
			}
		})
	}
}

// TestApacheClientOspreyServer runs every check with the Apache library
// client against the Osprey server, in each protocol and transport.
func TestApacheClientOspreyServer(t *testing.T) {
	leakcheck.Check(t)
	for _, opts := range allOptions {
		t.Run(opts.String(), func(t *testing.T) {
			t.Parallel()
			ctx := testContext(t)
			s := startOsprey(t)
			if err := apache.Check(ctx, s.Addr().String(), opts); err != nil {
				t.Errorf("apache.Check against the Osprey server:\n%v", err)
			}
			secs, err := s.WaitOneway(ctx)
			if err != nil {
				t.Fatalf("WaitOneway: %v", err)
			}
			if secs != 1 {
				t.Errorf("the Osprey server got testOneway(%d), want testOneway(1)", secs)
			}
			if n := s.OnewayCalls(); n != 1 {
				t.Errorf("the Osprey server got %d testOneway calls, want 1", n)
			}
		})
	}
}
