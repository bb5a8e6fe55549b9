package codegen_test

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/ospreyrpc/osprey/internal/gen/features"
	"github.com/ospreyrpc/osprey/internal/gen/features/shared"
	"github.com/ospreyrpc/osprey/internal/gen/thrifttest"
	"github.com/ospreyrpc/osprey/protocol/thrift"
	"github.com/ospreyrpc/osprey/status"
)

func fullEverything() *features.Everything {
	e := features.NewEverything_()
	e.Flag = true
	e.Tiny = thrift.Ptr[int8](-8)
	e.Medium = thrift.Ptr[int32](1 << 20)
	e.Data = []byte{0, 1, 0xff}
	e.Uid = thrift.UUID{1, 2, 3, 15: 16}
	e.Kind = thrift.Ptr(features.Status_DELETED)
	e.Tags = []string{"a", "", "ünïcode"}
	e.Nums = []int32{-1, 0, 1}
	e.Points = map[string]*shared.Point{"o": {X: 1, Y: -1}}
	e.ByBlob = map[string]int32{"\x00\x01": 5}
	e.ByPoint = map[*shared.Point]string{{X: 3, Y: 4}: "five"}
	e.ByList = []thrift.MapEntry[[]int32, string]{{Key: []int32{1, 2}, Value: "pair"}}
	e.Where = &shared.Point{X: 9}
	e.Path = features.Path{{X: 1}, {Y: 2}}
	e.Deep = [][]map[string][]features.Status{{{"s": {features.Status_ACTIVE, features.Status_DELETED}}}}
	// Containers of default requiredness are always written, so nil ones
	// come back empty (TestNilContainersComeBackEmpty); give the nested
	// value empty ones to compare it whole.
	e.Next = &features.Everything{Name: "inner", Anchor: &shared.Point{},
		Tags: []string{}, Nums: []int32{}, Points: map[string]*shared.Point{}, ByBlob: map[string]int32{},
		ByList: []thrift.MapEntry[[]int32, string]{}, Path: features.Path{},
		Deep: [][]map[string][]features.Status{}, Bools: []bool{}}
	e.Negative = -5
	e.Implicit = 42
	e.Bools = []bool{true, false, true}
	e.Doubles = []float64{1.5, math.Copysign(0, -1)}
	e.Anchor = &shared.Point{X: -1, Y: 1 << 30}
	e.String_ = "field named string"
	e.GetName_ = 26
	e.Blobs = map[int16]features.Blob{300: features.Blob("b")}
	e.MaybeUid = &thrift.UUID{0xff}
	e.Maybe = thrift.Ptr(false)
	return e
}

type codecs struct {
	name   string
	encode func(thrift.Struct) []byte
	decode func([]byte, thrift.Struct) error
	size   func(thrift.Struct) int
}

var bothProtocols = []codecs{
	{"binary",
		func(s thrift.Struct) []byte { var w thrift.BinaryWriter; s.EncodeBinary(&w); return w.Bytes() },
		func(b []byte, s thrift.Struct) error {
			var r thrift.BinaryReader
			r.Reset(b)
			return s.DecodeBinary(&r)
		},
		func(s thrift.Struct) int { return s.BinarySize() }},
	{"compact",
		func(s thrift.Struct) []byte { var w thrift.CompactWriter; s.EncodeCompact(&w); return w.Bytes() },
		func(b []byte, s thrift.Struct) error {
			var r thrift.CompactReader
			r.Reset(b)
			return s.DecodeCompact(&r)
		},
		func(s thrift.Struct) int { return s.CompactSize() }},
}

func TestEverythingRoundTrip(t *testing.T) {
	for _, c := range bothProtocols {
		t.Run(c.name, func(t *testing.T) {
			in := fullEverything()
			b := c.encode(in)
			if c.size(in) != len(b) {
				t.Fatalf("size %d, encoded %d bytes", c.size(in), len(b))
			}
			out := new(features.Everything)
			if err := c.decode(b, out); err != nil {
				t.Fatal(err)
			}
			// Struct-keyed maps key by pointer: compare those by content.
			if len(out.ByPoint) != 1 {
				t.Fatalf("ByPoint = %v", out.ByPoint)
			}
			for k, v := range out.ByPoint {
				if *k != (shared.Point{X: 3, Y: 4}) || v != "five" {
					t.Errorf("ByPoint entry %v: %q", k, v)
				}
			}
			in.ByPoint, out.ByPoint = nil, nil
			if len(out.Next.ByPoint) != 0 {
				t.Fatalf("Next.ByPoint = %v", out.Next.ByPoint)
			}
			out.Next.ByPoint = nil
			if !reflect.DeepEqual(in, out) {
				t.Errorf("round trip differs:\n in %+v\nout %+v", in, out)
			}
		})
	}
}

func TestDefaultsAndGetters(t *testing.T) {
	e := features.NewEverything_()
	if e.Small != -3 || e.Big != 1234567890123 || e.Ratio != 0.25 || e.Name != "default" || e.Status != features.Status_ACTIVE {
		t.Errorf("defaults not applied: %+v", e)
	}
	if e.Tiny != nil || e.GetTiny() != 7 {
		t.Errorf("optional default: Tiny=%v GetTiny=%d", e.Tiny, e.GetTiny())
	}
	var nilE *features.Everything
	if nilE.GetName() != "default" || nilE.GetFlag() || nilE.IsSetNext() || nilE.GetTags() != nil {
		t.Error("getters on nil are not safe or not defaulted")
	}
	ex := features.NewNotFound()
	if ex.GetCode() != 404 || !ex.IsSetCode() == (ex.Code != nil) {
		t.Errorf("exception default: %v", ex.GetCode())
	}
	if features.MaxItems != 100 || features.Favorite != shared.Color_RED || features.Origin.Y != -1 || len(features.ByColor[shared.Color_GREEN]) != 2 {
		t.Error("constants wrong")
	}
	if features.Nil1.String() != "00000000-0000-0000-0000-000000000001" {
		t.Errorf("uuid const %v", features.Nil1)
	}
}

func TestRequiredFieldsAreChecked(t *testing.T) {
	for _, c := range bothProtocols {
		empty := c.encode(&features.NewEverything{})
		err := c.decode(empty, new(features.Everything))
		if !errors.Is(err, thrift.ErrMissingField) || !strings.Contains(err.Error(), "flag") {
			t.Errorf("%s: err = %v", c.name, err)
		}
	}
}

func TestVersionSkew(t *testing.T) {
	for _, c := range bothProtocols {
		v2 := &thrifttest.VersioningTestV2{BeginInBoth: 1, Newint: 2, Newbyte: 3, Newshort: 4, Newlong: 5,
			Newdouble: 6, Newstruct: &thrifttest.Bonk{Message: "m", Type: 7}, Newlist: []int32{8},
			Newset: []int32{9}, Newmap: map[int32]int32{10: 11}, Newstring: "s", EndInBoth: 12}
		var v1 thrifttest.VersioningTestV1
		if err := c.decode(c.encode(v2), &v1); err != nil || v1.BeginInBoth != 1 || v1.EndInBoth != 12 {
			t.Errorf("%s: V2 as V1 = %+v, %v", c.name, v1, err)
		}
		l2 := &thrifttest.ListTypeVersioningV2{Strings: []string{"a", "b"}, Hello: "hi"}
		var l1 thrifttest.ListTypeVersioningV1
		if err := c.decode(c.encode(l2), &l1); err != nil || l1.Hello != "hi" || l1.Myints != nil {
			t.Errorf("%s: list type changed: %+v, %v", c.name, l1, err)
		}
	}
}

func TestEnumText(t *testing.T) {
	if thrifttest.Numberz_FIVE.String() != "FIVE" || thrifttest.Numberz(4).String() != "Numberz(4)" {
		t.Error("String")
	}
	if v, err := thrifttest.NumberzFromString("EIGHT"); err != nil || v != 8 {
		t.Errorf("FromString = %v, %v", v, err)
	}
	var n thrifttest.Numberz
	if err := n.UnmarshalText([]byte("TWO")); err != nil || n != thrifttest.Numberz_TWO {
		t.Error("UnmarshalText name")
	}
	if err := n.UnmarshalText([]byte("7")); err != nil || n != 7 {
		t.Error("UnmarshalText number")
	}
	if err := n.UnmarshalText([]byte("SEVEN")); err == nil {
		t.Error("UnmarshalText accepted garbage")
	}
	if b, _ := thrifttest.Numberz_ONE.MarshalText(); string(b) != "ONE" {
		t.Error("MarshalText")
	}
}

func TestExceptionsAreBusinessErrors(t *testing.T) {
	var err error = &thrifttest.Xception{ErrorCode: 1001, Message: "x"}
	if !status.IsBusiness(err) || !strings.Contains(err.Error(), "1001") {
		t.Errorf("Xception: %v business=%v", err, status.IsBusiness(err))
	}
	res := &thrifttest.ThriftTestTestMultiExceptionResult{}
	if !res.SetThriftException(errors.Join(errors.New("ctx"), &thrifttest.Xception2{ErrorCode: 2})) || res.Err2 == nil {
		t.Error("wrapped declared exception not recognised")
	}
	if res.ThriftException() != res.Err2 {
		t.Error("ThriftException does not return the set exception")
	}
	if (&thrifttest.ThriftTestTestMultiExceptionResult{}).ThriftException() != nil {
		t.Error("empty result reports an exception")
	}
	if res.SetThriftException(errors.New("plain")) {
		t.Error("plain error taken as declared")
	}
}

func TestNilStructsEncodeAsEmpty(t *testing.T) {
	for _, c := range bothProtocols {
		var nilX *thrifttest.Xtruct
		if b := c.encode(nilX); len(b) != 1 || c.size(nilX) != 1 {
			t.Errorf("%s: nil struct encoded as % x", c.name, b)
		}
		in := &thrifttest.Insanity{Xtructs: []*thrifttest.Xtruct{nil, {StringThing: "x"}}}
		var out thrifttest.Insanity
		if err := c.decode(c.encode(in), &out); err != nil || len(out.Xtructs) != 2 || out.Xtructs[1].StringThing != "x" {
			t.Errorf("%s: nil element: %+v %v", c.name, out, err)
		}
	}
}

func TestNilContainersComeBackEmpty(t *testing.T) {
	for _, c := range bothProtocols {
		in := &features.Everything{Anchor: &shared.Point{}}
		var out features.Everything
		if err := c.decode(c.encode(in), &out); err != nil {
			t.Fatal(err)
		}
		if out.Tags == nil || len(out.Tags) != 0 || out.Points == nil {
			t.Errorf("%s: default-requiredness nil list/map: %#v %#v", c.name, out.Tags, out.Points)
		}
		if out.Data != nil || out.Doubles != nil || out.Blobs != nil {
			t.Errorf("%s: unset optional containers came back set", c.name)
		}
	}
}

// TestUnionWritesOnlyTheSetMember pins a union's encoding to Apache
// Thrift's: every member is optional and only the set one is written.
func TestUnionWritesOnlyTheSetMember(t *testing.T) {
	u := &thrifttest.SomeUnion{I32Thing: thrift.Ptr[int32](5)}
	want := map[string]string{"binary": "0800030000000500", "compact": "350a00"}
	for _, c := range bothProtocols {
		if got := fmt.Sprintf("%x", c.encode(u)); got != want[c.name] {
			t.Errorf("%s: % s, want %s", c.name, got, want[c.name])
		}
		var out thrifttest.SomeUnion
		if err := c.decode(c.encode(u), &out); err != nil || out.I32Thing == nil || *out.I32Thing != 5 || out.StringThing != nil || out.MapThing != nil {
			t.Errorf("%s: decoded %+v, %v", c.name, out, err)
		}
	}
}
