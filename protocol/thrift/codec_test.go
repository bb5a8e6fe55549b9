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
	B       bool
	TypeI8  int8
	TypeI16 int16
	TypeI32 int32
	TypeI64 int64
	D       float64
	S       string
	Bin     []byte
	U       UUID
	L       []int32
	Set     []string
	M       map[string]int64
	Bs      []bool
	Next    *sample
	Far     int32 // field id 300: a long-form compact header
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
	WriteUUID(UUID)
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
	ReadUUID() UUID
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
	w.WriteFieldBegin(TypeI8, 2)
	w.WriteI8(p.TypeI8)
	w.WriteFieldBegin(TypeI16, 3)
	w.WriteI16(p.TypeI16)
	w.WriteFieldBegin(TypeI32, 4)
	w.WriteI32(p.TypeI32)
	w.WriteFieldBegin(TypeI64, 5)
	w.WriteI64(p.TypeI64)
	w.WriteFieldBegin(TypeDouble, 6)
	w.WriteDouble(p.D)
	w.WriteFieldBegin(TypeString, 7)
	w.WriteString(p.S)
	w.WriteFieldBegin(TypeString, 8)
	w.WriteBinary(p.Bin)
	w.WriteFieldBegin(TypeUUID, 9)
	w.WriteUUID(p.U)
	w.WriteFieldBegin(TypeList, 10)
	w.WriteListBegin(TypeI32, len(p.L))
	for _, v := range p.L {
		w.WriteI32(v)
	}
	w.WriteFieldBegin(TypeSet, 11)
	w.WriteSetBegin(TypeString, len(p.Set))
	for _, v := range p.Set {
		w.WriteString(v)
	}
	w.WriteFieldBegin(TypeMap, 12)
	w.WriteMapBegin(TypeString, TypeI64, len(p.M))
	for k, v := range p.M {
		w.WriteString(k)
		w.WriteI64(v)
	}
	w.WriteFieldBegin(TypeList, 13)
	w.WriteListBegin(TypeBool, len(p.Bs))
	for _, v := range p.Bs {
		w.WriteBool(v)
	}
	if p.Next != nil {
		w.WriteFieldBegin(TypeStruct, 14)
		p.Next.encode(w)
	}
	w.WriteFieldBegin(TypeI32, 300)
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
		if t == TypeStop {
			break
		}
		switch {
		case id == 1 && t == TypeBool:
			p.B = r.ReadBool()
		case id == 2 && t == TypeI8:
			p.TypeI8 = r.ReadI8()
		case id == 3 && t == TypeI16:
			p.TypeI16 = r.ReadI16()
		case id == 4 && t == TypeI32:
			p.TypeI32 = r.ReadI32()
		case id == 5 && t == TypeI64:
			p.TypeI64 = r.ReadI64()
		case id == 6 && t == TypeDouble:
			p.D = r.ReadDouble()
		case id == 7 && t == TypeString:
			p.S = r.ReadString()
		case id == 8 && t == TypeString:
			p.Bin = r.ReadBinary()
		case id == 9 && t == TypeUUID:
			p.U = r.ReadUUID()
		case id == 10 && t == TypeList:
			_, n := r.ReadListBegin()
			p.L = make([]int32, n)
			for i := range p.L {
				p.L[i] = r.ReadI32()
			}
		case id == 11 && t == TypeSet:
			_, n := r.ReadSetBegin()
			p.Set = make([]string, n)
			for i := range p.Set {
				p.Set[i] = r.ReadString()
			}
		case id == 12 && t == TypeMap:
			_, _, n := r.ReadMapBegin()
			p.M = make(map[string]int64, n)
			for i := 0; i < n; i++ {
				k := r.ReadString()
				p.M[k] = r.ReadI64()
			}
		case id == 13 && t == TypeList:
			_, n := r.ReadListBegin()
			p.Bs = make([]bool, n)
			for i := range p.Bs {
				p.Bs[i] = r.ReadBool()
			}
		case id == 14 && t == TypeStruct:
			p.Next = new(sample)
			p.Next.decode(r)
		case id == 300 && t == TypeI32:
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
		B: true, TypeI8: math.MinInt8, TypeI16: math.MaxInt16, TypeI32: math.MinInt32, TypeI64: math.MaxInt64,
		D: -5.2098523, S: "héllo, 世界", Bin: []byte{0, 1, 2, 0xff},
		U: UUID{0: 0xde, 15: 0xad}, L: []int32{-1, 0, 1, math.MaxInt32},
		Set: []string{"", "a"}, M: map[string]int64{"k": -1},
		Bs:   []bool{true, false, true},
		Next: &sample{S: "nested", Bin: []byte{}, Far: -7},
		Far:  123456,
	}
}

func equalSample(t *testing.T, got, want *sample) {
	t.Helper()
	if got.B != want.B || got.TypeI8 != want.TypeI8 || got.TypeI16 != want.TypeI16 || got.TypeI32 != want.TypeI32 ||
		got.TypeI64 != want.TypeI64 || got.D != want.D || got.S != want.S || !bytes.Equal(got.Bin, want.Bin) ||
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
