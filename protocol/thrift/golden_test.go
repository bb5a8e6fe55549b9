package thrift

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"
)

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestGoldenBytes pins encodings to the byte tables of docs/spec/thrift.md.
func TestGoldenBytes(t *testing.T) {
	tests := []struct {
		name  string
		bin   func(w *BinaryWriter)
		cmp   func(w *CompactWriter)
		want  string // binary
		wantC string // compact
	}{
		{"message header", func(w *BinaryWriter) { w.WriteMessageBegin("ab", MessageCall, 1) },
			func(w *CompactWriter) { w.WriteMessageBegin("ab", MessageCall, 1) },
			"80010001 00000002 6162 00000001", "82 21 01 02 6162"},
		{"negative seq id", func(w *BinaryWriter) { w.WriteMessageBegin("", MessageReply, -1) },
			func(w *CompactWriter) { w.WriteMessageBegin("", MessageReply, -1) },
			"80010002 00000000 ffffffff", "82 41 ffffffff0f 00"},
		{"i32 field id 1", func(w *BinaryWriter) { w.WriteFieldBegin(TypeI32, 1); w.WriteI32(-1) },
			func(w *CompactWriter) { w.WriteFieldBegin(TypeI32, 1); w.WriteI32(-1) },
			"08 0001 ffffffff", "15 01"},
		{"long field delta", func(w *BinaryWriter) { w.WriteFieldBegin(TypeI64, 300); w.WriteI64(150) },
			func(w *CompactWriter) { w.WriteFieldBegin(TypeI64, 300); w.WriteI64(150) },
			"0a 012c 0000000000000096", "06 d804 ac02"},
		{"bool fields", func(w *BinaryWriter) { w.WriteBoolField(1, true); w.WriteBoolField(2, false) },
			func(w *CompactWriter) { w.WriteBoolField(1, true); w.WriteBoolField(2, false) },
			"02 0001 01 02 0002 00", "11 12"},
		{"double", func(w *BinaryWriter) { w.WriteDouble(1.5) },
			func(w *CompactWriter) { w.WriteDouble(1.5) },
			"3ff8000000000000", "000000000000f83f"},
		{"short list", func(w *BinaryWriter) { w.WriteListBegin(TypeBool, 2); w.WriteBool(true); w.WriteBool(false) },
			func(w *CompactWriter) { w.WriteListBegin(TypeBool, 2); w.WriteBool(true); w.WriteBool(false) },
			"02 00000002 01 00", "21 01 02"},
		{"long list header", func(w *BinaryWriter) { w.WriteListBegin(TypeString, 15) },
			func(w *CompactWriter) { w.WriteListBegin(TypeString, 15) },
			"0b 0000000f", "f8 0f"},
		{"map header", func(w *BinaryWriter) { w.WriteMapBegin(TypeString, TypeStruct, 3) },
			func(w *CompactWriter) { w.WriteMapBegin(TypeString, TypeStruct, 3) },
			"0b 0c 00000003", "03 8c"},
		{"empty map", func(w *BinaryWriter) { w.WriteMapBegin(TypeI32, TypeI32, 0) },
			func(w *CompactWriter) { w.WriteMapBegin(TypeI32, TypeI32, 0) },
			"08 08 00000000", "00"},
		{"i16 and zigzag", func(w *BinaryWriter) { w.WriteI16(-2) },
			func(w *CompactWriter) { w.WriteI16(-2) },
			"fffe", "03"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var bw BinaryWriter
			tt.bin(&bw)
			if got := bw.Bytes(); !bytes.Equal(got, unhex(t, tt.want)) {
				t.Errorf("binary = % x, want %s", got, tt.want)
			}
			var cw CompactWriter
			tt.cmp(&cw)
			if got := cw.Bytes(); !bytes.Equal(got, unhex(t, tt.wantC)) {
				t.Errorf("compact = % x, want %s", got, tt.wantC)
			}
		})
	}
}

func TestNonStrictBinaryHeader(t *testing.T) {
	msg := unhex(t, "00000002 6162 01 00000007 00")
	var r BinaryReader
	r.Reset(msg)
	name, typ, seq := r.ReadMessageBegin()
	if r.Err() != nil || string(name) != "ab" || typ != MessageCall || seq != 7 {
		t.Fatalf("got %q %v %d %v", name, typ, seq, r.Err())
	}
}

func TestCompactSizes(t *testing.T) {
	for _, v := range []int64{0, 1, -1, 63, -64, 64, 1 << 20, -1 << 40, 1<<63 - 1, -1 << 63} {
		var w CompactWriter
		w.WriteI64(v)
		if got := CompactI64Size(v); got != len(w.Bytes()) {
			t.Errorf("CompactI64Size(%d) = %d, encoded %d", v, got, len(w.Bytes()))
		}
		w.Reset(nil)
		w.WriteI32(int32(v))
		if got := CompactI32Size(int32(v)); got != len(w.Bytes()) {
			t.Errorf("CompactI32Size(%d) = %d, encoded %d", int32(v), got, len(w.Bytes()))
		}
	}
	for _, c := range []struct{ id, last int16 }{{1, 0}, {15, 0}, {16, 0}, {3, 5}, {-1, 0}, {300, 1}} {
		var w CompactWriter
		w.last = c.last
		w.WriteFieldBegin(TypeI8, c.id)
		if got := CompactFieldHeaderSize(c.id, c.last); got != len(w.Bytes()) {
			t.Errorf("CompactFieldHeaderSize(%d, %d) = %d, encoded %d", c.id, c.last, got, len(w.Bytes()))
		}
	}
	for _, n := range []int{0, 14, 15, 200} {
		var w CompactWriter
		w.WriteListBegin(TypeI32, n)
		if CompactListHeaderSize(n) != len(w.Bytes()) {
			t.Errorf("CompactListHeaderSize(%d) wrong", n)
		}
		w.Reset(nil)
		w.WriteMapBegin(TypeI32, TypeI32, n)
		if CompactMapHeaderSize(n) != len(w.Bytes()) {
			t.Errorf("CompactMapHeaderSize(%d) wrong", n)
		}
	}
	var w CompactWriter
	w.WriteMessageBegin("method", MessageCall, -5)
	if CompactMessageBeginSize("method", -5) != len(w.Bytes()) {
		t.Error("CompactMessageBeginSize wrong")
	}
}
