package conformance

import (
	"math"
	"testing"

	athrift "github.com/apache/thrift/lib/go/thrift"

	agen "github.com/ospreyrpc/osprey/conformance/internal/apache/gen/thrifttest"
	tt "github.com/ospreyrpc/osprey/internal/gen/thrifttest"
	"github.com/ospreyrpc/osprey/internal/leakcheck"
	"github.com/ospreyrpc/osprey/protocol/thrift"
)

// TestCompareValues checks that compareValues, which TestCodecInterop relies
// on, tells equal values from different ones.
func TestCompareValues(t *testing.T) {
	leakcheck.Check(t)
	oIns := func(s string) *tt.Insanity { return &tt.Insanity{Xtructs: []*tt.Xtruct{{StringThing: s}}} }
	aIns := func(s string) *agen.Insanity { return &agen.Insanity{Xtructs: []*agen.Xtruct{{StringThing: s}}} }
	oCrazy := func(key string, uuid byte) *tt.CrazyNesting {
		return &tt.CrazyNesting{
			ListField: [][]crazyEntry{{{Key: []int32{1}, Value: crazyValue{1: {{insanityMap{oIns(key): "v"}}}}}}},
			UuidField: thrift.UUID{15: uuid},
		}
	}
	aCrazy := func(key string, uuid byte) *agen.CrazyNesting {
		return &agen.CrazyNesting{
			ListField: [][]athrift.MapEntry[[]int32, map[int32][][]map[*agen.Insanity]string]{
				{{Key: []int32{1}, Value: map[int32][][]map[*agen.Insanity]string{1: {{{aIns(key): "v"}}}}}},
			},
			UUIDField: athrift.Tuuid{15: uuid},
		}
	}
	for _, c := range []struct {
		name  string
		o, a  any
		equal bool
	}{
		{"equal structs", &tt.Xtruct{I32Thing: 1}, &agen.Xtruct{I32Thing: 1}, true},
		{"different i32", &tt.Xtruct{I32Thing: 1}, &agen.Xtruct{I32Thing: 2}, false},
		{"nil and empty map", &tt.Insanity{}, &agen.Insanity{UserMap: map[agen.Numberz]agen.UserId{}}, true},
		{"different map value",
			&tt.Insanity{UserMap: map[tt.Numberz]tt.UserId{tt.Numberz_ONE: 1}},
			&agen.Insanity{UserMap: map[agen.Numberz]agen.UserId{agen.Numberz_ONE: 2}}, false},
		{"struct keys by content", oCrazy("k", 1), aCrazy("k", 1), true},
		{"different struct key", oCrazy("k", 1), aCrazy("K", 1), false},
		{"different uuid", oCrazy("k", 1), aCrazy("k", 2), false},
		{"optional unset and empty",
			&tt.CrazyNesting{}, &agen.CrazyNesting{SetField: []*agen.Insanity{}}, false},
		{"zero and negative zero",
			&tt.VersioningTestV2{}, &agen.VersioningTestV2{Newdouble_: math.Copysign(0, -1)}, false},
		{"unset optional with its default", &tt.BoolTest{}, agen.NewBoolTest(), true},
		{"unset optional and another value", &tt.BoolTest{}, &agen.BoolTest{B: false, S: "true"}, false},
		{"set optional and unset", &tt.OptionalSetDefaultTest{WithDefault: []string{}}, &agen.OptionalSetDefaultTest{}, false},
	} {
		err := compareValues(c.o, c.a)
		if (err == nil) != c.equal {
			t.Errorf("%s: compareValues = %v, want equal %v", c.name, err, c.equal)
		} else if err != nil {
			t.Logf("%s: %v", c.name, err)
		}
	}
}
