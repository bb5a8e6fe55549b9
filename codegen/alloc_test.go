//go:build !race

package codegen_test

import (
	"testing"

	"github.com/ospreyrpc/osprey/internal/gen/thrifttest"
	"github.com/ospreyrpc/osprey/protocol/thrift"
)

// Encoding a generated struct into a buffer of the right size allocates
// nothing; decoding allocates only for strings, and nothing with no-copy.
func TestCodecAllocations(t *testing.T) {
	x := &thrifttest.Xtruct2{ByteThing: 1, StructThing: &thrifttest.Xtruct{StringThing: "hello", I32Thing: 5}, I32Thing: 9}
	buf := make([]byte, 0, x.CompactSize()+x.BinarySize())
	var bw thrift.BinaryWriter
	var cw thrift.CompactWriter
	if n := testing.AllocsPerRun(100, func() {
		bw.Reset(buf[:0])
		x.EncodeBinary(&bw)
		cw.Reset(buf[:0])
		x.EncodeCompact(&cw)
	}); n != 0 {
		t.Errorf("encoding allocated %v times", n)
	}
	bw.Reset(nil)
	x.EncodeBinary(&bw)
	msg := bw.Bytes()
	var r thrift.BinaryReader
	out := &thrifttest.Xtruct2{StructThing: &thrifttest.Xtruct{}}
	// One Xtruct for the nested struct, one string.
	if n := testing.AllocsPerRun(100, func() {
		r.Reset(msg)
		if err := out.DecodeBinary(&r); err != nil {
			t.Fatal(err)
		}
	}); n != 2 {
		t.Errorf("decoding allocated %v times, want 2 (nested struct and its string)", n)
	}
	r.SetNoCopy(true)
	if n := testing.AllocsPerRun(100, func() {
		r.Reset(msg)
		out.DecodeBinary(&r)
	}); n != 1 {
		t.Errorf("no-copy decoding allocated %v times, want 1 (the nested struct)", n)
	}
}
