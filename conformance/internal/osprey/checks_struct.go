package osprey

import (
	"context"
	"fmt"
	"maps"
	"math"
	"slices"

	"github.com/ospreyrpc/osprey/internal/gen/thrifttest"
)

func structChecks() []check {
	var cs []check
	cs = append(cs, echo("testStruct", (*tclient).TestStruct, equalXtruct,
		&thrifttest.Xtruct{},
		&thrifttest.Xtruct{StringThing: "Zero ✓", ByteThing: 1, I32Thing: -3, I64Thing: -5},
		&thrifttest.Xtruct{StringThing: "min", ByteThing: math.MinInt8, I32Thing: math.MinInt32, I64Thing: math.MinInt64},
		&thrifttest.Xtruct{StringThing: "max", ByteThing: math.MaxInt8, I32Thing: math.MaxInt32, I64Thing: math.MaxInt64},
	)...)
	cs = append(cs, echo("testNest", (*tclient).TestNest, equalXtruct2,
		&thrifttest.Xtruct2{StructThing: &thrifttest.Xtruct{}},
		&thrifttest.Xtruct2{
			ByteThing:   math.MinInt8,
			StructThing: &thrifttest.Xtruct{StringThing: "Ünïcödé 🦅", ByteThing: -1, I32Thing: math.MaxInt32, I64Thing: math.MinInt64},
			I32Thing:    math.MinInt32,
		},
	)...)
	cs = append(cs, echo("testEnum", (*tclient).TestEnum, eq,
		thrifttest.Numberz_ONE, thrifttest.Numberz_TWO, thrifttest.Numberz_THREE,
		thrifttest.Numberz_FIVE, thrifttest.Numberz_SIX, thrifttest.Numberz_EIGHT)...)
	cs = append(cs, echo("testTypedef", (*tclient).TestTypedef, eq,
		0, 309858235082523, math.MinInt64, math.MaxInt64)...)
	cs = append(cs, check{name: "testMapMap", run: checkMapMap})
	cs = append(cs, check{name: "testInsanity", run: checkInsanity})
	cs = append(cs, check{name: "testMulti", run: checkMulti})
	return cs
}

func checkMapMap(ctx context.Context, c *tclient) error {
	got, err := c.TestMapMap(ctx, 1)
	if err != nil {
		return err
	}
	want := wantMapMap()
	if !equalMaps(got, want, maps.Equal[map[int32]int32]) {
		return fmt.Errorf("got %v, want %v", got, want)
	}
	return nil
}

func checkInsanity(ctx context.Context, c *tclient) error {
	arg := &thrifttest.Insanity{
		UserMap: map[thrifttest.Numberz]thrifttest.UserId{
			thrifttest.Numberz_FIVE:  5,
			thrifttest.Numberz_EIGHT: math.MinInt64,
		},
		Xtructs: []*thrifttest.Xtruct{
			{StringThing: "Goodbye4", ByteThing: 4, I32Thing: 4, I64Thing: 4},
			{StringThing: "Hello2 ☃", ByteThing: -2, I32Thing: math.MinInt32, I64Thing: math.MaxInt64},
		},
	}
	got, err := c.TestInsanity(ctx, arg)
	if err != nil {
		return err
	}
	want := wantInsanity(arg)
	equalInner := func(got, want map[thrifttest.Numberz]*thrifttest.Insanity) bool {
		return equalMaps(got, want, equalInsanity)
	}
	if !equalMaps(got, want, equalInner) {
		return fmt.Errorf("got %v, want %v", got, want)
	}
	return nil
}

func checkMulti(ctx context.Context, c *tclient) error {
	var (
		arg0 int8  = math.MinInt8
		arg1 int32 = math.MaxInt32
		arg2 int64 = math.MinInt64
	)
	arg3 := map[int16]string{1: "blah", -1: "thing ✓", math.MaxInt16: ""}
	got, err := c.TestMulti(ctx, arg0, arg1, arg2, arg3, thrifttest.Numberz_FIVE, -24)
	if err != nil {
		return err
	}
	if want := wantMulti(arg0, arg1, arg2); !equalXtruct(got, want) {
		return fmt.Errorf("got %v, want %v", got, want)
	}
	return nil
}

// equalMaps reports whether got and want hold the same keys with values that
// equal says are equal; nil and empty maps are equal.
func equalMaps[K comparable, V any](got, want map[K]V, equal func(got, want V) bool) bool {
	if len(got) != len(want) {
		return false
	}
	for k, w := range want {
		g, ok := got[k]
		if !ok || !equal(g, w) {
			return false
		}
	}
	return true
}

// equalXtruct reports whether got and want are both nil or hold equal fields.
func equalXtruct(got, want *thrifttest.Xtruct) bool {
	if got == nil || want == nil {
		return got == want
	}
	return *got == *want
}

// equalXtruct2 reports whether got and want are both nil or hold equal
// fields.
func equalXtruct2(got, want *thrifttest.Xtruct2) bool {
	if got == nil || want == nil {
		return got == want
	}
	return got.ByteThing == want.ByteThing && got.I32Thing == want.I32Thing &&
		equalXtruct(got.StructThing, want.StructThing)
}

// equalInsanity reports whether got and want are both nil or hold equal
// fields; nil and empty containers are equal.
func equalInsanity(got, want *thrifttest.Insanity) bool {
	if got == nil || want == nil {
		return got == want
	}
	return maps.Equal(got.UserMap, want.UserMap) && slices.EqualFunc(got.Xtructs, want.Xtructs, equalXtruct)
}
