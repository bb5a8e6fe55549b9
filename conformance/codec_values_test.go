package conformance

import (
	"math"

	athrift "github.com/apache/thrift/lib/go/thrift"

	agen "github.com/ospreyrpc/osprey/conformance/internal/apache/gen/thrifttest"
	tt "github.com/ospreyrpc/osprey/internal/gen/thrifttest"
	"github.com/ospreyrpc/osprey/protocol/thrift"
)

// codecCase is a value of an Osprey generated type, with a constructor of
// the Apache generated type for the same Thrift type.
type codecCase struct {
	name      string
	value     thrift.Struct
	newApache func() athrift.TStruct
}

// Shorthands for the deeply nested types of CrazyNesting.list_field.
type (
	insanityMap = map[*tt.Insanity]string
	crazyValue  = map[int32][][]insanityMap
	crazyEntry  = thrift.MapEntry[[]int32, crazyValue]
)

func codecCases() []codecCase {
	ins1 := &tt.Insanity{
		UserMap: map[tt.Numberz]tt.UserId{tt.Numberz_ONE: 1},
		Xtructs: []*tt.Xtruct{{StringThing: "x ✓", ByteThing: -1, I32Thing: math.MinInt32, I64Thing: math.MaxInt64}},
	}
	ins2 := &tt.Insanity{UserMap: map[tt.Numberz]tt.UserId{tt.Numberz_EIGHT: math.MinInt64}}
	newInsanity := func() athrift.TStruct { return agen.NewInsanity() }
	newCrazy := func() athrift.TStruct { return agen.NewCrazyNesting() }
	newV2 := func() athrift.TStruct { return agen.NewVersioningTestV2() }
	newLarge := func() athrift.TStruct { return agen.NewLargeDeltas() }
	newMixed := func() athrift.TStruct { return agen.NewNestedMixedx2() }
	newBools := func() athrift.TStruct { return agen.NewBools() }
	newStructB := func() athrift.TStruct { return agen.NewStructB() }
	newBoolTest := func() athrift.TStruct { return agen.NewBoolTest() }
	newOSDT := func() athrift.TStruct { return agen.NewOptionalSetDefaultTest() }
	return []codecCase{
		{"Insanity", &tt.Insanity{
			UserMap: map[tt.Numberz]tt.UserId{tt.Numberz_FIVE: 5, tt.Numberz_EIGHT: math.MinInt64, tt.Numberz_ONE: 0},
			Xtructs: []*tt.Xtruct{{StringThing: "Goodbye4", ByteThing: 4, I32Thing: 4, I64Thing: 4}, {}},
		}, newInsanity},
		{"Insanity/ordered", ins1, newInsanity},
		{"Insanity/empty", &tt.Insanity{}, newInsanity},
		{"CrazyNesting", &tt.CrazyNesting{
			StringField: "crazy ✓",
			SetField:    []*tt.Insanity{ins1, ins2, {}},
			ListField: [][]crazyEntry{
				{
					{Key: []int32{1, 2, math.MinInt32}, Value: crazyValue{
						7:  {{insanityMap{ins1: "one", ins2: "two"}, {}}, {}},
						-7: {},
					}},
					{Key: []int32{}, Value: crazyValue{}},
				},
				{},
				{{Key: []int32{0}, Value: crazyValue{0: {{{}}}}}},
			},
			BinaryField: allBytes(),
			UuidField:   thrift.UUID{0x5e, 0x2a, 0xb1, 0x88, 0x17, 0x26, 0x4e, 0x75, 0xa0, 0x4f, 0x1e, 0xd9, 0xa6, 0xa8, 0x9c, 0x4c},
		}, newCrazy},
		{"CrazyNesting/ordered", &tt.CrazyNesting{
			StringField: "",
			SetField:    []*tt.Insanity{ins1},
			ListField:   [][]crazyEntry{{{Key: []int32{-1}, Value: crazyValue{3: {{insanityMap{ins1: "ins1"}}}}}}},
			BinaryField: []byte{},
			UuidField:   thrift.UUID{0: 0x00, 1: 0x11, 2: 0x22, 3: 0x33, 15: 0xff},
		}, newCrazy},
		{"CrazyNesting/empty-set", &tt.CrazyNesting{SetField: []*tt.Insanity{}, ListField: [][]crazyEntry{}}, newCrazy},
		{"CrazyNesting/unset", &tt.CrazyNesting{ListField: [][]crazyEntry{}}, newCrazy},
		{"Xtruct2", &tt.Xtruct2{
			ByteThing:   math.MinInt8,
			StructThing: &tt.Xtruct{StringThing: "Ünïcödé 🦅", ByteThing: math.MaxInt8, I32Thing: -64, I64Thing: -(1 << 40)},
			I32Thing:    math.MaxInt32,
		}, func() athrift.TStruct { return agen.NewXtruct2() }},
		{"VersioningTestV2", versioningV2(map[int32]int32{1: 2, -3: math.MaxInt32, math.MinInt32: 0}), newV2},
		{"VersioningTestV2/ordered", versioningV2(map[int32]int32{-1: -1}), newV2},
		{"LargeDeltas", &tt.LargeDeltas{
			B1:         &tt.Bools{ImTrue: true, ImFalse: false},
			B10:        &tt.Bools{ImTrue: false, ImFalse: true},
			B100:       &tt.Bools{ImTrue: true, ImFalse: true},
			CheckTrue:  true,
			B1000:      &tt.Bools{},
			CheckFalse: false,
			Vertwo2000: versioningV2(map[int32]int32{5: 6}),
			ASet2500:   []string{"a", "b", "ccc ✓"},
			Vertwo3000: &tt.VersioningTestV2{BeginInBoth: -1, EndInBoth: 1},
			BigNumbers: []int32{math.MaxInt32, math.MinInt32, 0, -1, 1 << 20},
		}, newLarge},
		{"NestedMixedx2", &tt.NestedMixedx2{
			IntSetList:       [][]int32{{1, 2, 3}, {}, {math.MinInt32}},
			MapIntStrset:     map[int32][]string{1: {"a", "b"}, -2: {}},
			MapIntStrsetList: []map[int32][]string{{1: {"x"}}, {}, {3: {"y", "z"}, 4: nil}},
		}, newMixed},
		{"NestedMixedx2/ordered", &tt.NestedMixedx2{
			IntSetList:       [][]int32{{-1}},
			MapIntStrset:     map[int32][]string{9: {"nine"}},
			MapIntStrsetList: []map[int32][]string{{1: {"x", "y"}}, {}},
		}, newMixed},
		{"OneField", &tt.OneField{Field: &tt.EmptyStruct{}}, func() athrift.TStruct { return agen.NewOneField() }},
		{"Bools/true-false", &tt.Bools{ImTrue: true, ImFalse: false}, newBools},
		{"Bools/false-true", &tt.Bools{ImTrue: false, ImFalse: true}, newBools},
		{"StructB", &tt.StructB{Aa: &tt.StructA{S: "aa"}, Ab: &tt.StructA{S: "ab ✓"}}, newStructB},
		{"StructB/unset", &tt.StructB{Ab: &tt.StructA{}}, newStructB},
		// b and s are optional with defaults true and "true". Apache's
		// generated code holds them as plain values and does not write one
		// that holds its default, so an Osprey value that sets one to its
		// default would not survive the round trip: Osprey would read
		// Apache's bytes as unset. Unset fields must read as the defaults.
		{"BoolTest", &tt.BoolTest{B: thrift.Ptr(false), S: thrift.Ptr("")}, newBoolTest},
		{"BoolTest/s", &tt.BoolTest{S: thrift.Ptr("false ✓")}, newBoolTest},
		{"BoolTest/unset", &tt.BoolTest{}, newBoolTest},
		{"OptionalSetDefaultTest", &tt.OptionalSetDefaultTest{WithDefault: []string{"a", "b"}}, newOSDT},
		{"OptionalSetDefaultTest/empty", &tt.OptionalSetDefaultTest{WithDefault: []string{}}, newOSDT},
		{"OptionalSetDefaultTest/unset", &tt.OptionalSetDefaultTest{}, newOSDT},
	}
}

// versioningV2 returns a VersioningTestV2 with every field set, newmap to m.
func versioningV2(m map[int32]int32) *tt.VersioningTestV2 {
	return &tt.VersioningTestV2{
		BeginInBoth: math.MinInt32,
		Newint:      -65,
		Newbyte:     math.MinInt8,
		Newshort:    math.MinInt16,
		Newlong:     math.MaxInt64,
		Newdouble:   -math.Pi,
		Newstruct:   &tt.Bonk{Message: "bonk ✓", Type: math.MaxInt32},
		Newlist:     []int32{1, -1, 0, 1 << 30},
		Newset:      []int32{math.MinInt32, 42},
		Newmap:      m,
		Newstring:   "new string",
		EndInBoth:   math.MaxInt32,
	}
}

// allBytes returns the 256 byte values in order.
func allBytes() []byte {
	b := make([]byte, 256)
	for i := range b {
		b[i] = byte(i)
	}
	return b
}
