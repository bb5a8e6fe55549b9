//go:build !race

package pbrich_test

import (
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/ospreyrpc/osprey/internal/gen/pbrich"
)

// TestAllocMarshal pins MarshalGRPC into a big enough buffer at zero
// allocations, for flat and nested messages and a small map.
func TestAllocMarshal(t *testing.T) {
	for name, m := range map[string]fastMessage{
		"echo":    &pbrich.Echo{Action: "echo", Msg: strings.Repeat("x", 1024)},
		"scalars": &pbrich.Scalars{I32: -5, U64: 1 << 40, S32: -3, Str: "osprey", By: []byte("b"), Db: 1.5, Color: pbrich.Color_COLOR_BLUE},
		"nested":  &pbrich.Rich{Scalars: &pbrich.Scalars{Str: "s"}, Inners: []*pbrich.Rich_Inner{{Id: 1}, {Id: 2}}},
		"map":     &pbrich.Maps{StrStr: map[string]string{"a": "1", "b": "2"}, I32I64: map[int32]int64{1: 2, 3: 4}},
	} {
		buf := make([]byte, 0, 4096)
		allocs := testing.AllocsPerRun(100, func() {
			if _, err := m.MarshalGRPC(buf[:0]); err != nil {
				t.Fatal(err)
			}
		})
		if allocs != 0 {
			t.Errorf("%s: MarshalGRPC allocates %v times, want 0", name, allocs)
		}
	}
}

// TestAllocUnmarshal pins UnmarshalGRPC at the allocations its result
// needs: one per bytes value and sub-message, and one copy of a message of
// up to pbrt.ArenaMax bytes that all its strings share (one per string
// above that size).
func TestAllocUnmarshal(t *testing.T) {
	for name, tc := range map[string]struct {
		m    fastMessage
		want float64
	}{
		"echo":    {&pbrich.Echo{Action: "echo", Msg: strings.Repeat("x", 1024)}, 1},
		"big":     {&pbrich.Echo{Action: "echo", Msg: strings.Repeat("x", 8192)}, 2},
		"scalars": {&pbrich.Scalars{I32: -5, U64: 1 << 40, Str: "osprey", By: []byte("b")}, 2},
		"nested":  {&pbrich.Rich{Scalars: &pbrich.Scalars{I64: 3}, Inner: &pbrich.Rich_Inner{Id: 1}}, 2},
		"packed":  {&pbrich.Repeated{I32: []int32{1, 2, 3, 4, 5, 6, 7, 8}}, 1},
	} {
		b, err := proto.Marshal(tc.m)
		if err != nil {
			t.Fatal(err)
		}
		into := tc.m.ProtoReflect().New().Interface().(fastMessage)
		allocs := testing.AllocsPerRun(100, func() {
			if err := into.UnmarshalGRPC(b); err != nil {
				t.Fatal(err)
			}
		})
		if allocs != tc.want {
			t.Errorf("%s: UnmarshalGRPC allocates %v times, want %v", name, allocs, tc.want)
		}
	}
}
