package conformance

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"testing"

	athrift "github.com/apache/thrift/lib/go/thrift"

	"github.com/ospreyrpc/osprey/internal/leakcheck"
	"github.com/ospreyrpc/osprey/protocol/thrift"
)

// A small model of Thrift values, written by both libraries' protocol
// writers directly, below generated code: a pval is a bool, int8, int16,
// int32, int64, float64, string, []byte, thrift.UUID, plist, pmap or
// pstruct.
type (
	pval   any
	pfield struct {
		id int16
		v  pval
	}
	pstruct []pfield
	plist   struct {
		elem  thrift.Type
		set   bool
		items []pval
	}
	pmap struct {
		key, val thrift.Type
		entries  [][2]pval
	}
)

// primitivesValue exercises what generated code for ThriftTest does not:
// field ids that are negative, large, or smaller than the previous one, bool
// fields and bools in containers (compact keeps the former in the field
// header), long compact list headers, empty and non-empty sets and maps,
// uuids and doubles in containers, and field id deltas after a nested struct.
func primitivesValue() pstruct {
	ints := make([]pval, 20)
	for i := range ints {
		ints[i] = int32(i*i*i) - 1000
	}
	return pstruct{
		{1, true}, {2, false}, {20, true}, {3, int8(math.MinInt8)},
		{-5, int16(math.MinInt16)}, {32767, int32(math.MaxInt32)}, {100, int64(math.MinInt64)},
		{101, math.Copysign(0, -1)}, {102, "héllo ✓"}, {103, allBytes()},
		{104, thrift.UUID{0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff}},
		{105, plist{elem: thrift.TypeBool, items: []pval{true, false, true}}},
		{106, plist{elem: thrift.TypeI32, items: ints}},
		{107, plist{elem: thrift.TypeString, set: true, items: []pval{}}},
		{108, plist{elem: thrift.TypeI16, set: true, items: []pval{int16(-1), int16(math.MaxInt16)}}},
		{109, pmap{key: thrift.TypeI32, val: thrift.TypeBool, entries: [][2]pval{{int32(1), false}}}},
		{110, pmap{key: thrift.TypeString, val: thrift.TypeI64, entries: nil}},
		{111, pstruct{{1, false}, {2, pstruct{}}, {30, int8(7)}}},
		{112, int8(1)},
		{113, plist{elem: thrift.TypeStruct, items: []pval{pstruct{{1, true}}, pstruct{}}}},
		{114, plist{elem: thrift.TypeUUID, items: []pval{thrift.UUID{15: 1}, thrift.UUID{0: 2}}}},
		{115, plist{elem: thrift.TypeDouble, items: []pval{1.5, math.Inf(-1), math.SmallestNonzeroFloat64}}},
		{116, pmap{key: thrift.TypeBool, val: thrift.TypeList, entries: [][2]pval{
			{true, plist{elem: thrift.TypeBool, items: []pval{false}}}}}},
		{117, []byte{}},
	}
}

// TestProtocolPrimitives checks that Osprey's protocol writers write the
// same bytes as Apache's for primitivesValue, in both protocols, and that
// Osprey's readers read Apache's bytes back to the same values and can skip
// them.
func TestProtocolPrimitives(t *testing.T) {
	leakcheck.Check(t)
	ctx := context.Background()
	v := primitivesValue()
	for _, p := range codecProtocols {
		t.Run(p.name, func(t *testing.T) {
			buf := athrift.NewTMemoryBuffer()
			ap := p.apache(buf)
			if err := writeApache(ctx, ap, v); err != nil {
				t.Fatal(err)
			}
			if err := ap.Flush(ctx); err != nil {
				t.Fatal(err)
			}
			want := buf.Bytes()
			var got []byte
			var r ospreyReader
			if p.name == "binary" {
				var w thrift.BinaryWriter
				writeOsprey(&w, v)
				got, r = w.Bytes(), new(thrift.BinaryReader)
			} else {
				var w thrift.CompactWriter
				writeOsprey(&w, v)
				got, r = w.Bytes(), new(thrift.CompactReader)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("different encodings:\nOsprey: % x\nApache: % x", got, want)
			}
			r.Reset(want)
			if err := readOsprey(r, v); err != nil {
				t.Errorf("Osprey reads Apache's bytes: %v", err)
			} else if n := r.Remaining(); n != 0 {
				t.Errorf("Osprey read all but %d of Apache's bytes", n)
			}
			r.Reset(want)
			r.Skip(thrift.TypeStruct)
			if err, n := r.Err(), r.Remaining(); err != nil || n != 0 {
				t.Errorf("Osprey skips Apache's bytes: %v, %d bytes left", err, n)
			}
		})
	}
}

// typeOf returns the Thrift type of v.
func typeOf(v pval) thrift.Type {
	switch v := v.(type) {
	case bool:
		return thrift.TypeBool
	case int8:
		return thrift.TypeI8
	case int16:
		return thrift.TypeI16
	case int32:
		return thrift.TypeI32
	case int64:
		return thrift.TypeI64
	case float64:
		return thrift.TypeDouble
	case string, []byte:
		return thrift.TypeString
	case thrift.UUID:
		return thrift.TypeUUID
	case plist:
		if v.set {
			return thrift.TypeSet
		}
		return thrift.TypeList
	case pmap:
		return thrift.TypeMap
	case pstruct:
		return thrift.TypeStruct
	}
	panic(fmt.Sprintf("not a pval: %T", v))
}
