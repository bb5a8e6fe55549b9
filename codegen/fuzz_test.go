package codegen_test

import (
	"runtime"
	"testing"

	"github.com/ospreyrpc/osprey/internal/gen/features"
	"github.com/ospreyrpc/osprey/internal/gen/thrifttest"
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
// encode to exactly its computed size and decode again.
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
		b := c.encode(v)
		if c.size(v) != len(b) {
			t.Fatalf("%T: size %d, encoded %d", v, c.size(v), len(b))
		}
		if err := c.decode(b, newT()); err != nil {
			t.Fatalf("%T: re-decoding: %v", v, err)
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
