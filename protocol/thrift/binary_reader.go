package thrift

import (
	"encoding/binary"
	"math"
)

// BinaryReader reads the binary protocol (spec §2) from a complete message
// in memory. The zero value reads nothing; call Reset with the input.
type BinaryReader struct {
	reader
}

// binaryMinSize is the fewest bytes a value of each type takes.
var binaryMinSize = [17]int{
	TypeBool: 1, TypeI8: 1, TypeI16: 2, TypeI32: 4, TypeI64: 8, TypeDouble: 8, TypeString: 4,
	TypeStruct: 1, TypeMap: 6, TypeSet: 5, TypeList: 5, TypeUUID: 16,
}

// ReadMessageBegin reads a message header, strict or not (spec §3.1). name
// shares memory with the input.
func (r *BinaryReader) ReadMessageBegin() (name []byte, typ MessageType, seq int32) {
	word := r.ReadI32()
	if word < 0 {
		if uint32(word)&0xffff0000 != binaryVersion1 {
			r.Fail(invalidf("bad binary protocol version %#x", uint32(word)&0xffff0000))
			return nil, 0, 0
		}
		typ = MessageType(word & 0xff)
		name = r.take(r.length())
	} else {
		// Non-strict: the word is the name's length, and a type byte follows
		// the name.
		if !r.need(int(word)) {
			return nil, 0, 0
		}
		name = r.take(int(word))
		typ = MessageType(r.ReadI8())
	}
	seq = r.ReadI32()
	if r.err != nil {
		return nil, 0, 0
	}
	return name, typ, seq
}

// StructBegin starts reading a struct. It returns false, with the reader
// failed, if that nests deeper than MaxDepth.
func (r *BinaryReader) StructBegin() bool { return r.enter() }

// StructEnd ends a struct started with StructBegin.
func (r *BinaryReader) StructEnd() { r.depth-- }

// ReadFieldBegin reads a field header. It returns TypeStop at the end of the
// struct and once the reader has failed.
func (r *BinaryReader) ReadFieldBegin() (Type, int16) {
	b := r.take(1)
	if b == nil || b[0] == byte(TypeStop) {
		return TypeStop, 0
	}
	t := Type(b[0])
	if !r.checkType(t) {
		return TypeStop, 0
	}
	id := r.ReadI16()
	if r.err != nil {
		return TypeStop, 0
	}
	return t, id
}

// ReadBool reads a bool; any byte but 1 is false, as in Apache Thrift.
func (r *BinaryReader) ReadBool() bool {
	b := r.take(1)
	return b != nil && b[0] == 1
}

// ReadI8 reads an i8.
func (r *BinaryReader) ReadI8() int8 {
	b := r.take(1)
	if b == nil {
		return 0
	}
	return int8(b[0])
}

// ReadI16 reads an i16.
func (r *BinaryReader) ReadI16() int16 {
	b := r.take(2)
	if b == nil {
		return 0
	}
	return int16(binary.BigEndian.Uint16(b))
}

// ReadI32 reads an i32.
func (r *BinaryReader) ReadI32() int32 {
	b := r.take(4)
	if b == nil {
		return 0
	}
	return int32(binary.BigEndian.Uint32(b))
}

// ReadI64 reads an i64.
func (r *BinaryReader) ReadI64() int64 {
	b := r.take(8)
	if b == nil {
		return 0
	}
	return int64(binary.BigEndian.Uint64(b))
}

// ReadDouble reads a double.
func (r *BinaryReader) ReadDouble() float64 {
	return math.Float64frombits(uint64(r.ReadI64()))
}

// length reads a string or binary length and checks it against the input.
func (r *BinaryReader) length() int {
	n := r.ReadI32()
	if n < 0 {
		r.Fail(invalidf("negative length %d", n))
		return 0
	}
	if !r.need(int(n)) {
		return 0
	}
	return int(n)
}

// ReadString reads a string.
func (r *BinaryReader) ReadString() string { return r.stringOf(r.length()) }

// ReadBinary reads binary data. It never returns nil unless the reader has
// failed.
func (r *BinaryReader) ReadBinary() []byte { return r.binaryOf(r.length()) }

// ReadUUID reads a uuid.
func (r *BinaryReader) ReadUUID() (v UUID) {
	copy(v[:], r.take(16))
	return v
}

// ReadListBegin reads a list header. The count is checked against the bytes
// left; on error it is 0.
func (r *BinaryReader) ReadListBegin() (elem Type, n int) {
	b := r.take(1)
	size := r.ReadI32()
	if b == nil || r.err != nil {
		return TypeStop, 0
	}
	elem = Type(b[0])
	if size == 0 {
		return elem, 0
	}
	if !r.checkType(elem) || !r.checkCount("list", int64(size), binaryMinSize[elem]) {
		return TypeStop, 0
	}
	return elem, int(size)
}

// ReadSetBegin reads a set header, laid out like a list header.
func (r *BinaryReader) ReadSetBegin() (elem Type, n int) { return r.ReadListBegin() }

// ReadMapBegin reads a map header. The count is checked against the bytes
// left; on error it is 0.
func (r *BinaryReader) ReadMapBegin() (key, val Type, n int) {
	b := r.take(2)
	size := r.ReadI32()
	if b == nil || r.err != nil {
		return TypeStop, TypeStop, 0
	}
	key, val = Type(b[0]), Type(b[1])
	if size == 0 {
		return key, val, 0
	}
	if !r.checkType(key) || !r.checkType(val) ||
		!r.checkCount("map", int64(size), binaryMinSize[key]+binaryMinSize[val]) {
		return TypeStop, TypeStop, 0
	}
	return key, val, int(size)
}

// Skip reads past a value of type t without keeping it.
func (r *BinaryReader) Skip(t Type) {
	if r.err != nil {
		return
	}
	switch t {
	case TypeBool, TypeI8:
		r.take(1)
	case TypeI16:
		r.take(2)
	case TypeI32:
		r.take(4)
	case TypeI64, TypeDouble:
		r.take(8)
	case TypeUUID:
		r.take(16)
	case TypeString:
		r.take(r.length())
	case TypeStruct:
		if !r.enter() {
			return
		}
		for {
			ft, _ := r.ReadFieldBegin()
			if ft == TypeStop {
				break
			}
			r.Skip(ft)
		}
		r.depth--
	case TypeList, TypeSet:
		elem, n := r.ReadListBegin()
		r.skipN(elem, n)
	case TypeMap:
		k, v, n := r.ReadMapBegin()
		if n > 0 {
			r.skipPairs(k, v, n)
		}
	default:
		r.checkType(t)
	}
}

// skipN skips n values of type elem, in one step when elem is fixed-size.
func (r *BinaryReader) skipN(elem Type, n int) {
	if n == 0 {
		return
	}
	switch elem {
	case TypeBool, TypeI8, TypeI16, TypeI32, TypeI64, TypeDouble, TypeUUID:
		r.take(n * binaryMinSize[elem])
		return
	}
	if !r.enter() {
		return
	}
	for i := 0; i < n && r.err == nil; i++ {
		r.Skip(elem)
	}
	r.depth--
}
