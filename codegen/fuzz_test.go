package codegen_test

import (
	"runtime"
	"testing"

	"github.com/ospreyrpc/osprey/internal/gen/features"
	"github.com/ospreyrpc/osprey/internal/gen/features/shared"
	"github.com/ospreyrpc/osprey/internal/gen/thrifttest"
	"github.com/ospreyrpc/osprey/internal/roundtrip"
	"github.com/ospreyrpc/osprey/protocol/thrift"
)

// fuzzTargets are the generated types the decoder fuzzers decode into.
func fuzzTargets() []func() thrift.Struct {
	return []func() thrift.Struct{
		func() thrift.Struct { return new(thrifttest.CrazyNesting) },
		func() thrift.Struct { return new(thrifttest.Insanity) },
		func() thrift.Struct { return new(thrifttest.LargeDeltas) },
		func() thrift.Struct { return new(features.Everything) },
	}
}

func seedGenerated(f *testing.F, c codecs) {
	f.Add(c.encode(fullEverything()))
	f.Add(c.encode(&thrifttest.Insanity{UserMap: map[thrifttest.Numberz]thrifttest.UserId{1: 2},
		Xtructs: []*thrifttest.Xtruct{{StringThing: "s"}}}))
	f.Add(c.encode(&thrifttest.CrazyNesting{StringField: "x", ListField: [][]thrift.MapEntry[[]int32, map[int32][][]map[*thrifttest.Insanity]string]{{{Key: []int32{1}, Value: map[int32][][]map[*thrifttest.Insanity]string{2: {{{&thrifttest.Insanity{}: "i"}}}}}}}}))
	f.Add(c.encode(&thrifttest.LargeDeltas{B1: &thrifttest.Bools{ImTrue: true}, CheckTrue: true, BigNumbers: []int32{1, -1}}))
	f.Add([]byte{0})
}

// maxAllocFactor bounds the bytes decoding may allocate per input byte.
// Counts on the wire are checked against the bytes left, so allocation
// follows the input: the worst cases here are an empty struct element (one
// byte) becoming a Go struct, and an empty string becoming a string header.
const maxAllocFactor = 64

// checkGenerated decodes data into every fuzz target. Decoding must never
// panic nor allocate far more than the input's size; what decodes must
// encode to exactly its computed size and decode again to an equal value.
func checkGenerated(t *testing.T, c codecs, data []byte) {
	for _, newT := range fuzzTargets() {
		v := newT()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		err := c.decode(data, v)
		runtime.ReadMemStats(&after)
		if got, limit := after.TotalAlloc-before.TotalAlloc, uint64(maxAllocFactor*len(data)+64<<10); got > limit {
			t.Fatalf("%T: decoding %d bytes allocated %d bytes (limit %d)", v, len(data), got, limit)
		}
		if err != nil {
			continue
		}
		if n, b := c.size(v), c.encode(v); n != len(b) {
			t.Fatalf("%T: size %d, encoded %d", v, n, len(b))
		}
		if d, err := roundTrip(c, v, newT); err != nil || d != "" {
			t.Fatalf("%T: re-decoding: %v; round trip differs: %s", v, err, d)
		}
	}
}

// roundTrip encodes v, decodes the bytes into newT() and returns how that
// differs from v (see package roundtrip for what counts as equal).
func roundTrip(c codecs, v thrift.Struct, newT func() thrift.Struct) (diff string, err error) {
	again := newT()
	if err := c.decode(c.encode(v), again); err != nil {
		return "", err
	}
	return roundtrip.Diff(v, again), nil
}

// TestRoundTripCatchesALossyEncoder shows the fuzz round trip's comparison
// fails when the encoder drops or changes a field, for each kind of field.
func TestRoundTripCatchesALossyEncoder(t *testing.T) {
	newE := func() thrift.Struct { return new(features.Everything) }
	for _, tc := range []struct {
		name   string
		change func(e *features.Everything)
	}{
		{"optional struct dropped", func(e *features.Everything) { e.Where = nil }},
		{"required field changed", func(e *features.Everything) { e.Anchor.X++ }},
		{"string changed", func(e *features.Everything) { e.String_ += "!" }},
		{"negative zero made positive", func(e *features.Everything) { e.Doubles[1] = 0 }},
		{"list element dropped", func(e *features.Everything) { e.Tags = e.Tags[:2] }},
		{"struct-keyed map entry changed", func(e *features.Everything) {
			e.ByPoint = map[*shared.Point]string{{X: 3, Y: 5}: "five"}
		}},
		{"nested enum changed", func(e *features.Everything) { e.Deep[0][0]["s"][1] = features.Status_ACTIVE }},
		{"optional set to empty made unset", func(e *features.Everything) { e.Blobs = nil }},
	} {
		for _, c := range bothProtocols {
			t.Run(tc.name+"/"+c.name, func(t *testing.T) {
				in := newE()
				if err := c.decode(c.encode(fullEverything()), in); err != nil {
					t.Fatal(err)
				}
				if d, err := roundTrip(c, in, newE); err != nil || d != "" {
					t.Fatalf("faithful encoder: err %v, diff %s", err, d)
				}
				lossy := c
				lossy.encode = func(s thrift.Struct) []byte {
					e := new(features.Everything)
					if err := c.decode(c.encode(s), e); err != nil {
						t.Fatal(err)
					}
					tc.change(e)
					return c.encode(e)
				}
				d, err := roundTrip(lossy, in, newE)
				if err != nil || d == "" {
					t.Fatalf("lossy encoder passed the round trip (err %v)", err)
				}
				t.Log(d)
			})
		}
	}
}

func FuzzGeneratedBinary(f *testing.F) {
	seedGenerated(f, bothProtocols[0])
	f.Fuzz(func(t *testing.T, data []byte) { checkGenerated(t, bothProtocols[0], data) })
}

func FuzzGeneratedCompact(f *testing.F) {
	seedGenerated(f, bothProtocols[1])
	f.Fuzz(func(t *testing.T, data []byte) { checkGenerated(t, bothProtocols[1], data) })
}
