package thrift

import (
	"errors"
	"runtime"
	"testing"
)

// TestHostileLengths feeds lengths and counts that claim far more than the
// input holds: each must fail before allocating for them.
func TestHostileLengths(t *testing.T) {
	tests := []struct {
		name string
		enc  Encoding
		in   string
		read func(r rd)
		want error
	}{
		{"binary negative string", Binary, "ffffffff", func(r rd) { r.ReadString() }, ErrInvalidData},
		{"binary huge string", Binary, "7fffffff 00", func(r rd) { r.ReadString() }, ErrTruncated},
		{"binary huge list", Binary, "08 7fffffff 00000000", func(r rd) { r.ReadListBegin() }, ErrTruncated},
		{"binary negative list", Binary, "08 80000000", func(r rd) { r.ReadListBegin() }, ErrInvalidData},
		{"binary huge map", Binary, "0b0b 10000000 00", func(r rd) { r.ReadMapBegin() }, ErrTruncated},
		{"binary bad list type", Binary, "63 00000001 00", func(r rd) { r.ReadListBegin() }, ErrInvalidData},
		{"binary bad field type", Binary, "07 0001", func(r rd) { r.ReadFieldBegin() }, ErrInvalidData},
		{"compact huge string", Compact, "ffffffff07", func(r rd) { r.ReadString() }, ErrTruncated},
		{"compact string len overflow", Compact, "ffffffff1f", func(r rd) { r.ReadString() }, ErrInvalidData},
		{"compact huge list", Compact, "f5 ffffffff07", func(r rd) { r.ReadListBegin() }, ErrTruncated},
		{"compact huge map", Compact, "ffffffff07 55", func(r rd) { r.ReadMapBegin() }, ErrTruncated},
		{"compact bad type", Compact, "1e", func(r rd) { r.ReadFieldBegin() }, ErrInvalidData},
		{"compact varint too long", Compact, "ffffffffffffffffffff01", func(r rd) { r.ReadI64() }, ErrInvalidData},
		{"compact i16 out of range", Compact, "feff07", func(r rd) { r.ReadI16() }, ErrInvalidData},
		{"compact doubles claim", Compact, "f7 64 00", func(r rd) { r.ReadListBegin() }, ErrTruncated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := unhex(t, tt.in)
			var r rd
			if tt.enc == Binary {
				br := new(BinaryReader)
				br.Reset(in)
				r = br
			} else {
				cr := new(CompactReader)
				cr.Reset(in)
				r = cr
			}
			tt.read(r)
			if !errors.Is(r.Err(), tt.want) {
				t.Fatalf("err = %v, want %v", r.Err(), tt.want)
			}
			// A failed reader keeps failing with zero values.
			if ft, _ := r.ReadFieldBegin(); ft != TypeStop || r.ReadI32() != 0 || r.ReadString() != "" {
				t.Fatal("failed reader returned non-zero values")
			}
		})
	}
}

func TestHostileLengthsDoNotAllocate(t *testing.T) {
	in := unhex(t, "0f 7fffffff 00")
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for i := 0; i < 100; i++ {
		var r BinaryReader
		r.Reset(in)
		r.Skip(TypeList)
		if r.Err() == nil {
			t.Fatal("hostile list accepted")
		}
	}
	runtime.ReadMemStats(&after)
	// Only the error values allocate; the claimed 2^31 elements must not.
	if per := (after.TotalAlloc - before.TotalAlloc) / 100; per > 1024 {
		t.Errorf("skipping a hostile list allocated %d bytes", per)
	}
}

func nest(w *BinaryWriter, depth int) {
	if depth == 0 {
		w.StructEnd(w.StructBegin())
		return
	}
	prev := w.StructBegin()
	w.WriteFieldBegin(TypeStruct, 1)
	nest(w, depth-1)
	w.StructEnd(prev)
}

func TestDepthLimit(t *testing.T) {
	for _, depth := range []int{MaxDepth - 1, MaxDepth} {
		var w BinaryWriter
		nest(&w, depth)
		var r BinaryReader
		r.Reset(w.Bytes())
		r.Skip(TypeStruct)
		ok := depth < MaxDepth
		if (r.Err() == nil) != ok {
			t.Errorf("depth %d: err = %v", depth, r.Err())
		}
		if !ok && !errors.Is(r.Err(), ErrTooDeep) {
			t.Errorf("depth %d: err = %v, want ErrTooDeep", depth, r.Err())
		}
		var s Skimmer
		s.Reset(Binary, 1<<20)
		var m BinaryWriter
		m.WriteMessageBegin("m", MessageCall, 1)
		msg := append(m.Bytes(), w.Bytes()...)
		_, _, err := s.Skim(msg)
		if (err == nil) != ok {
			t.Errorf("skim depth %d: err = %v", depth, err)
		}
	}
}

func TestExceptionMapping(t *testing.T) {
	for _, enc := range []Encoding{Binary, Compact} {
		var c Codec
		c.Init(enc)
		in := &ApplicationException{Type: ExceptionUnknownMethod, Message: "no such method"}
		msg := c.AppendMessage(nil, "m", MessageException, 1, in)
		if len(msg) != c.MessageSize("m", 1, in) {
			t.Errorf("%v: size mismatch", enc)
		}
		c.ReadMessageBegin(msg)
		var out ApplicationException
		if err := c.ReadBody(&out); err != nil || out != *in {
			t.Fatalf("%v: got %+v, %v", enc, out, err)
		}
	}
}
