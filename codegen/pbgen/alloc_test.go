//go:build !race

package pbgen_test

import (
	"testing"

	greet "github.com/ospreyrpc/osprey/internal/gen/pb/greet/v1"
)

// A call's storage is one allocation: the Holder with the request and
// the reply of a unary method, the Holder alone for a streaming one.
func TestNewCallAllocatesOnce(t *testing.T) {
	for _, m := range greet.GreeterDesc().Methods {
		if n := testing.AllocsPerRun(100, func() { _ = m.NewCall() }); n != 1 {
			t.Errorf("%s: NewCall allocates %v times, want 1", m.Name, n)
		}
	}
}
