//go:build !race

package circuitbreak_test

import (
	"testing"

	"github.com/ospreyrpc/osprey/circuitbreak"
)

func TestAllocs(t *testing.T) {
	b := circuitbreak.New(circuitbreak.Policy{})
	if n := testing.AllocsPerRun(1000, func() {
		if b.Allow() {
			b.Done(false)
		}
	}); n != 0 {
		t.Errorf("Allow+Done: %v allocations, want 0", n)
	}
	if n := testing.AllocsPerRun(1000, func() {
		if b.Allow() {
			b.Done(true)
		}
	}); n != 0 { // opens, then fails fast
		t.Errorf("Allow+Done(failed): %v allocations, want 0", n)
	}
}
