package conformance

import (
	"math"
	"testing"

	agen "github.com/ospreyrpc/osprey/conformance/internal/apache/gen/thrifttest"
	tt "github.com/ospreyrpc/osprey/internal/gen/thrifttest"
	"github.com/ospreyrpc/osprey/internal/leakcheck"
)

// TestCodecVersioning checks that a newer version of a struct written by one
// side reads as the older version on the other: fields the reader does not
// know are skipped, and so are fields whose type changed, even inside a
// list, without an error.
func TestCodecVersioning(t *testing.T) {
	leakcheck.Check(t)
	for _, p := range codecProtocols {
		t.Run(p.name, func(t *testing.T) {
			// Apache's VersioningTestV2, read by Osprey as V1. Field 3 is
			// V1's old_string but V2's newbyte, an i8: skipped.
			av2 := &agen.VersioningTestV2{
				BeginInBoth: math.MinInt32, Newint_: -65, Newbyte_: math.MinInt8, Newshort_: math.MinInt16,
				Newlong_: math.MaxInt64, Newdouble_: -math.Pi, Newstruct_: &agen.Bonk{Message: "bonk", Type: 7},
				Newlist_: []int32{1, -1}, Newset_: []int32{42}, Newmap_: map[int32]int32{1: 2, 3: 4},
				Newstring_: "new string", EndInBoth: math.MaxInt32,
			}
			b, err := p.apacheEncode(av2)
			if err != nil {
				t.Fatal(err)
			}
			var v1 tt.VersioningTestV1
			if err := p.ospreyDecode(b, &v1); err != nil {
				t.Fatalf("VersioningTestV2 from Apache as V1: %v\nApache wrote % x", err, b)
			}
			if want := (tt.VersioningTestV1{BeginInBoth: math.MinInt32, EndInBoth: math.MaxInt32}); v1 != want {
				t.Errorf("VersioningTestV2 from Apache as V1 = %+v, want %+v", v1, want)
			}

			// Osprey's VersioningTestV2, read by Apache as V1.
			ob, err := p.ospreyEncode(versioningV2(map[int32]int32{1: 2, 3: 4}))
			if err != nil {
				t.Fatal(err)
			}
			av1 := agen.NewVersioningTestV1()
			if err := p.apacheDecode(ob, av1); err != nil {
				t.Fatalf("VersioningTestV2 from Osprey as V1: %v\nOsprey wrote % x", err, ob)
			}
			if want := (agen.VersioningTestV1{BeginInBoth: math.MinInt32, EndInBoth: math.MaxInt32}); *av1 != want {
				t.Errorf("VersioningTestV2 from Osprey as V1 = %+v, want %+v", *av1, want)
			}

			// Apache's ListTypeVersioningV2, read by Osprey as V1: field 1
			// is a list in both, of strings in V2 and of i32s in V1.
			lb, err := p.apacheEncode(&agen.ListTypeVersioningV2{Strings: []string{"a", "bb", ""}, Hello: "hello ✓"})
			if err != nil {
				t.Fatal(err)
			}
			var l1 tt.ListTypeVersioningV1
			if err := p.ospreyDecode(lb, &l1); err != nil {
				t.Fatalf("ListTypeVersioningV2 from Apache as V1: %v\nApache wrote % x", err, lb)
			}
			if l1.Myints != nil || l1.Hello != "hello ✓" {
				t.Errorf("ListTypeVersioningV2 from Apache as V1 = %+v, want myints unset and hello %q", l1, "hello ✓")
			}
		})
	}
}
