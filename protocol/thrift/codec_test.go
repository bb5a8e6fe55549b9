package thrift

import (
	"bytes"
	"errors"
	"math"
	"testing"
)

// sample is a hand-written Struct covering every type, shaped like
// generated code, used by the tests in this package.
type sample struct {
	B    bool
	I8   int8
	I16  int16
	I32  int32
	I64  int64
	D    float64
	S    string
	Bin  []byte
	U    [16]byte
	L    []int32
	Set  []string
	M    map[string]int64
	Bs   []bool
	Next *sample
	Far  int32 // field id 300: a long-form compact header
}

func (p *sample) BinarySize() int {
	var w BinaryWriter
	p.EncodeBinary(&w)
	return len(w.Bytes())
}

func (p *sample) CompactSize() int {
	var w CompactWriter
	p.EncodeCompact(&w)
	return len(w.Bytes())
}

// writer is the method set both writers share.
type writer interface {
	StructBegin() int16
	StructEnd(int16)
	WriteFieldBegin(Type, int16)
	WriteBoolField(int16, bool)
	WriteBool(bool)
	WriteI8(int8)
	WriteI16(int16)
	WriteI32(int32)
	WriteI64(int64)
	WriteDouble(float64)
	WriteString(string)
	WriteBinary([]byte)
	WriteUUID([16]byte)
	WriteListBegin(Type, int)
	WriteSetBegin(Type, int)
	WriteMapBegin(Type, Type, int)
}

// rd is the method set both readers share.
type rd interface {
	StructBegin() bool
	StructEnd()
	ReadFieldBegin() (Type, int16)
	ReadBool() bool
	ReadI8() int8
	ReadI16() int16
	ReadI32() int32
	ReadI64() int64
	ReadDouble() float64
	ReadString() string
	ReadBinary() []byte
	ReadUUID() [16]byte
	ReadListBegin() (Type, int)
	ReadSetBegin() (Type, int)
	ReadMapBegin() (Type, Type, int)
	Skip(Type)
	Err() error
}

func (p *sample) EncodeBinary(w *BinaryWriter)   { p.encode(w) }
func (p *sample) EncodeCompact(w *CompactWriter) { p.encode(w) }

func (p *sample) encode(w writer) {
	prev := w.StructBegin()
	w.WriteBoolField(1, p.B)
	w.WriteFieldBegin(I8, 2)
	w.WriteI8(p.I8)
	w.WriteFieldBegin(I16, 3)
	w.WriteI16(p.I16)
	w.WriteFieldBegin(I32, 4)
	w.WriteI32(p.I32)
	w.WriteFieldBegin(I64, 5)
	w.WriteI64(p.I64)
	w.WriteFieldBegin(DOUBLE, 6)
	w.WriteDouble(p.D)
	w.WriteFieldBegin(STRING, 7)
	w.WriteString(p.S)
	w.WriteFieldBegin(STRING, 8)
	w.WriteBinary(p.Bin)
	w.WriteFieldBegin(UUID, 9)
	w.WriteUUID(p.U)
	w.WriteFieldBegin(LIST, 10)
	w.WriteListBegin(I32, len(p.L))
	for _, v := range p.L {
		w.WriteI32(v)
	}
	w.WriteFieldBegin(SET, 11)
	w.WriteSetBegin(STRING, len(p.Set))
	for _, v := range p.Set {
		w.WriteString(v)
	}
	w.WriteFieldBegin(MAP, 12)
	w.WriteMapBegin(STRING, I64, len(p.M))
	for k, v := range p.M {
		w.WriteString(k)
		w.WriteI64(v)
	}
	w.WriteFieldBegin(LIST, 13)
	w.WriteListBegin(BOOL, len(p.Bs))
	for _, v := range p.Bs {
		w.WriteBool(v)
	}
	if p.Next != nil {
		w.WriteFieldBegin(STRUCT, 14)
		p.Next.encode(w)
	}
	w.WriteFieldBegin(I32, 300)
	w.WriteI32(p.Far)
	w.StructEnd(prev)
}

func (p *sample) DecodeBinary(r *BinaryReader) error   { return p.decode(r) }
func (p *sample) DecodeCompact(r *CompactReader) error { return p.decode(r) }

func (p *sample) decode(r rd) error {
	if !r.StructBegin() {
		return r.Err()
	}
	for {
		t, id := r.ReadFieldBegin()
		if t == STOP {
			break
		}
		switch {
		case id == 1 && t == BOOL:
			p.B = r.ReadBool()
		case id == 2 && t == I8:
			p.I8 = r.ReadI8()
		case id == 3 && t == I16:
			p.I16 = r.ReadI16()
		case id == 4 && t == I32:
			p.I32 = r.ReadI32()
		case id == 5 && t == I64:
			p.I64 = r.ReadI64()
		case id == 6 && t == DOUBLE:
			p.D = r.ReadDouble()
		case id == 7 && t == STRING:
			p.S = r.ReadString()
		case id == 8 && t == STRING:
			p.Bin = r.ReadBinary()
		case id == 9 && t == UUID:
			p.U = r.ReadUUID()
		case id == 10 && t == LIST:
			_, n := r.ReadListBegin()
			p.L = make([]int32, n)
			for i := range p.L {
				p.L[i] = r.ReadI32()
			}
		case id == 11 && t == SET:
			_, n := r.ReadSetBegin()
			p.Set = make([]string, n)
			for i := range p.Set {
				p.Set[i] = r.ReadString()
			}
		case id == 12 && t == MAP:
			_, _, n := r.ReadMapBegin()
			p.M = make(map[string]int64, n)
			for i := 0; i < n; i++ {
				k := r.ReadString()
				p.M[k] = r.ReadI64()
			}
		case id == 13 && t == LIST:
			_, n := r.ReadListBegin()
			p.Bs = make([]bool, n)
			for i := range p.Bs {
				p.Bs[i] = r.ReadBool()
			}
		case id == 14 && t == STRUCT:
			p.Next = new(sample)
			p.Next.decode(r)
		case id == 300 && t == I32:
			p.Far = r.ReadI32()
		default:
			r.Skip(t)
		}
	}
	r.StructEnd()
	return r.Err()
}

func fullSample() *sample {
	return &sample{
		B: true, I8: math.MinInt8, I16: math.MaxInt16, I32: math.MinInt32, I64: math.MaxInt64,
		D: -5.2098523, S: "héllo, 世界", Bin: []byte{0, 1, 2, 0xff},
		U: [16]byte{0: 0xde, 15: 0xad}, L: []int32{-1, 0, 1, math.MaxInt32},
		Set: []string{"", "a"}, M: map[string]int64{"k": -1},
		Bs:   []bool{true, false, true},
		Next: &sample{S: "nested", Bin: []byte{}, Far: -7},
		Far:  123456,
	}
}

func equalSample(t *testing.T, got, want *sample) {
	t.Helper()
	if got.B != want.B || got.I8 != want.I8 || got.I16 != want.I16 || got.I32 != want.I32 ||
		got.I64 != want.I64 || got.D != want.D || got.S != want.S || !bytes.Equal(got.Bin, want.Bin) ||
		got.U != want.U || got.Far != want.Far {
		t.Fatalf("scalars differ:\n got %+v\nwant %+v", got, want)
	}
	if len(got.L) != len(want.L) || len(got.Set) != len(want.Set) || len(got.M) != len(want.M) || len(got.Bs) != len(want.Bs) {
		t.Fatalf("containers differ:\n got %+v\nwant %+v", got, want)
	}
	for i := range want.Bs {
		if got.Bs[i] != want.Bs[i] {
			t.Fatalf("bool list differs: %v vs %v", got.Bs, want.Bs)
		}
	}
	if (got.Next == nil) != (want.Next == nil) {
		t.Fatalf("Next: got %v want %v", got.Next, want.Next)
	}
	if want.Next != nil {
		equalSample(t, got.Next, want.Next)
	}
}

func TestRoundTripBothEncodings(t *testing.T) {
	for _, enc := range []Encoding{Binary, Compact} {
		t.Run(enc.String(), func(t *testing.T) {
			var c Codec
			c.Init(enc)
			in := fullSample()
			size := c.MessageSize("testStruct", -3, in)
			msg := c.AppendMessage(make([]byte, 0, size), "testStruct", MessageCall, -3, in)
			if len(msg) != size || cap(msg) != size {
				t.Fatalf("len %d cap %d, MessageSize %d", len(msg), cap(msg), size)
			}
			name, typ, seq, err := c.ReadMessageBegin(msg)
			if err != nil || string(name) != "testStruct" || typ != MessageCall || seq != -3 {
				t.Fatalf("header = %q %v %d %v", name, typ, seq, err)
			}
			var out sample
			if err := c.ReadBody(&out); err != nil {
				t.Fatal(err)
			}
			equalSample(t, &out, in)
			if out.Next.Bin == nil {
				t.Error("empty binary decoded as nil")
			}
		})
	}
}

func TestNoCopyAliasesInput(t *testing.T) {
	for _, enc := range []Encoding{Binary, Compact} {
		var c Codec
		c.Init(enc)
		c.SetNoCopy(true)
		in := &sample{S: "alias", Bin: []byte("bytes")}
		msg := c.AppendMessage(nil, "m", MessageCall, 1, in)
		if _, _, _, err := c.ReadMessageBegin(msg); err != nil {
			t.Fatal(err)
		}
		var out sample
		if err := c.ReadBody(&out); err != nil {
			t.Fatal(err)
		}
		i := bytes.Index(msg, []byte("alias"))
		msg[i] = 'A'
		j := bytes.Index(msg, []byte("bytes"))
		msg[j] = 'B'
		if out.S != "Alias" || string(out.Bin) != "Bytes" {
			t.Errorf("%v: no-copy decode did not alias: %q %q", enc, out.S, out.Bin)
		}
	}
}

func TestEveryTruncationFails(t *testing.T) {
	for _, enc := range []Encoding{Binary, Compact} {
		var c Codec
		c.Init(enc)
		msg := c.AppendMessage(nil, "testStruct", MessageReply, 9, fullSample())
		for n := 0; n < len(msg); n++ {
			_, _, _, err := c.ReadMessageBegin(msg[:n])
			if err == nil {
				var s sample
				err = c.ReadBody(&s)
			}
			if !errors.Is(err, ErrTruncated) {
				t.Fatalf("%v: prefix of %d/%d bytes: err = %v, want ErrTruncated", enc, n, len(msg), err)
			}
		}
	}
}
