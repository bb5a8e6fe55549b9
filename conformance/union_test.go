package conformance

import (
	"bytes"
	"testing"

	athrift "github.com/apache/thrift/lib/go/thrift"

	agen "github.com/ospreyrpc/osprey/conformance/internal/apache/gen/thrifttest"
	tt "github.com/ospreyrpc/osprey/internal/gen/thrifttest"
	"github.com/ospreyrpc/osprey/internal/leakcheck"
	"github.com/ospreyrpc/osprey/protocol/thrift"
)

// TestCodecInteropUnion checks that Osprey encodes a union as Thrift
// requires and Apache does: a struct with exactly one field, the one set.
// (Osprey once gave union members default requiredness and wrote them all;
// Apache then refused to write the union back.)
func TestCodecInteropUnion(t *testing.T) {
	leakcheck.Check(t)
	xtruct := func() *tt.Xtruct3 { return &tt.Xtruct3{StringThing: "x", Changed: 1, I32Thing: 2, I64Thing: 3} }
	cases := []struct {
		name   string
		osprey *tt.SomeUnion
		apache *agen.SomeUnion
	}{
		{"i32_thing", &tt.SomeUnion{I32Thing: thrift.Ptr[int32](5)}, &agen.SomeUnion{I32Thing: athrift.Int32Ptr(5)}},
		{"string_thing", &tt.SomeUnion{StringThing: thrift.Ptr("s")}, &agen.SomeUnion{StringThing: athrift.StringPtr("s")}},
		{"map_thing", &tt.SomeUnion{MapThing: map[tt.Numberz]tt.UserId{tt.Numberz_ONE: 1}},
			&agen.SomeUnion{MapThing: map[agen.Numberz]agen.UserId{agen.Numberz_ONE: 1}}},
		{"xtruct_thing", &tt.SomeUnion{XtructThing: xtruct()},
			&agen.SomeUnion{XtructThing: &agen.Xtruct3{StringThing: "x", Changed: 1, I32Thing: 2, I64Thing: 3}}},
	}
	for _, p := range codecProtocols {
		for _, c := range cases {
			t.Run(p.name+"/"+c.name, func(t *testing.T) {
				want, err := p.apacheEncode(c.apache)
				if err != nil {
					t.Fatal(err)
				}
				got, err := p.ospreyEncode(c.osprey)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("Osprey encodes %v as\n% x\nApache as\n% x", c.osprey, got, want)
				}
				a := agen.NewSomeUnion()
				if err := p.apacheDecode(got, a); err != nil {
					t.Fatal(err)
				}
				if n := a.CountSetFieldsSomeUnion(); n != 1 {
					t.Errorf("Apache reads Osprey's %v with %d fields set, want 1: %v", c.osprey, n, a)
				}
				// And back: Apache's union, through Osprey, unchanged.
				var o tt.SomeUnion
				if err := p.ospreyDecode(want, &o); err != nil {
					t.Fatal(err)
				}
				if again, _ := p.ospreyEncode(&o); !bytes.Equal(again, want) {
					t.Errorf("Osprey reads Apache's % x and writes it back as % x", want, again)
				}
			})
		}
	}
}
