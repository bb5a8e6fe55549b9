package osprey

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/ospreyrpc/osprey/internal/gen/thrifttest"
	"github.com/ospreyrpc/osprey/protocol/thrift"
)

// tclient is the generated Osprey client the checks call.
type tclient = thrifttest.ThriftTestClient

// echo returns a check for each value, calling method with it and expecting
// it back, as equal decides.
func echo[T any](method string, call func(*tclient, context.Context, T) (T, error), equal func(got, want T) bool, values ...T) []check {
	cs := make([]check, 0, len(values))
	for _, v := range values {
		cs = append(cs, check{
			name: fmt.Sprintf("%s(%s)", method, brief(v)),
			run: func(ctx context.Context, c *tclient) error {
				got, err := call(c, ctx, v)
				if err != nil {
					return err
				}
				if !equal(got, v) {
					return fmt.Errorf("got %s, want %s", brief(got), brief(v))
				}
				return nil
			},
		})
	}
	return cs
}

func eq[T comparable](got, want T) bool { return got == want }

// sameFloat reports whether got and want have the same bits, so that -0 and
// 0 differ and NaN equals itself.
func sameFloat(got, want float64) bool { return math.Float64bits(got) == math.Float64bits(want) }

// brief formats v for a check name or message, shortened if long.
func brief(v any) string {
	const max = 60
	var s string
	switch v := v.(type) {
	case string:
		if len(v) > max {
			cut := max
			for cut > 0 && !utf8.RuneStart(v[cut]) {
				cut--
			}
			return fmt.Sprintf("%q... (%d bytes)", v[:cut], len(v))
		}
		return fmt.Sprintf("%q", v)
	case []byte:
		if len(v) > max/2 {
			return fmt.Sprintf("[%d bytes %x...]", len(v), v[:max/4])
		}
		return fmt.Sprintf("[%x]", v)
	case float64:
		s = fmt.Sprintf("%v (%#016x)", v, math.Float64bits(v))
	default:
		s = fmt.Sprintf("%v", v)
	}
	if len(s) > 4*max {
		s = s[:4*max] + "..."
	}
	return s
}

// Strings that exercise the wire: empty, non-ASCII UTF-8 of every encoded
// length, an embedded NUL, and one longer than the buffered transport's
// buffer.
var testStrings = []string{
	"",
	"Hello, world!",
	"Ünïcödé: Привет, мир! 你好, 世界! こんにちは 🦅🦀",
	"nul\x00inside",
	strings.Repeat("abcdefgh€", 2000),
}

// allBytes returns the 256 byte values in order.
func allBytes() []byte {
	b := make([]byte, 256)
	for i := range b {
		b[i] = byte(i)
	}
	return b
}

// testUUIDs are the uuids testUuid echoes: nil, max, and two whose bytes all
// differ, so that a reordering would show.
var testUUIDs = []thrift.UUID{
	{},
	{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
	{0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff},
	{0x5e, 0x2a, 0xb1, 0x88, 0x17, 0x26, 0x4e, 0x75, 0xa0, 0x4f, 0x1e, 0xd9, 0xa6, 0xa8, 0x9c, 0x4c},
}

func scalarChecks() []check {
	var cs []check
	cs = append(cs, check{name: "testVoid", run: func(ctx context.Context, c *tclient) error {
		return c.TestVoid(ctx)
	}})
	cs = append(cs, echo("testString", (*tclient).TestString, eq, testStrings...)...)
	cs = append(cs, echo("testBool", (*tclient).TestBool, eq, true, false)...)
	cs = append(cs, echo("testByte", (*tclient).TestByte, eq, 0, 1, -1, 42, math.MinInt8, math.MaxInt8)...)
	cs = append(cs, echo("testI32", (*tclient).TestI32, eq,
		0, 1, -1, 63, 64, -64, -65, math.MinInt32, math.MaxInt32)...)
	cs = append(cs, echo("testI64", (*tclient).TestI64, eq,
		0, 1, -1, 1<<32, -(1<<32), math.MinInt64, math.MaxInt64)...)
	cs = append(cs, echo("testDouble", (*tclient).TestDouble, sameFloat,
		0, math.Copysign(0, -1), 1, -5.2098523, 1.0/3, math.Pi,
		math.MaxFloat64, -math.MaxFloat64,
		math.SmallestNonzeroFloat64,           // the smallest denormal
		0x1p-1022,                             // the smallest normal
		0x1p-1022-math.SmallestNonzeroFloat64, // the largest denormal
		math.Inf(1), math.Inf(-1), math.NaN())...)
	cs = append(cs, echo("testBinary", (*tclient).TestBinary, bytes.Equal,
		[]byte{}, []byte{0}, allBytes(), bytes.Repeat(allBytes(), 64))...)
	cs = append(cs, echo("testUuid", (*tclient).TestUuid, eq, testUUIDs...)...)
	return cs
}
