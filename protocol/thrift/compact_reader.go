package thrift

import (
	"encoding/binary"
	"math"
)

// CompactReader reads the compact protocol (spec §4) from a complete
// message in memory. The zero value reads nothing; call Reset with the
// input.
type CompactReader struct {
	reader
	// last holds, per nesting depth, the id of the last field read there.
	last [MaxDepth + 1]int16
	// boolField holds the value of a bool field whose header was just read.
	boolField    bool
	boolFieldSet bool
}

// compactMinSize is the fewest bytes a value of each type takes.
var compactMinSize = [17]int{
	TypeBool: 1, TypeI8: 1, TypeI16: 1, TypeI32: 1, TypeI64: 1, TypeDouble: 8, TypeString: 1,
	TypeStruct: 1, TypeMap: 1, TypeSet: 1, TypeList: 1, TypeUUID: 16,
}

// fromCompact maps compact codes to Types; 0 marks codes that are invalid.
var fromCompact = [16]Type{
	compactBoolTrue: TypeBool, compactBoolFalse: TypeBool, compactI8: TypeI8,
	compactI16: TypeI16, compactI32: TypeI32, compactI64: TypeI64, compactDouble: TypeDouble,
	compactBinary: TypeString, compactList: TypeList, compactSet: TypeSet, compactMap: TypeMap,
	compactStruct: TypeStruct, compactUUID: TypeUUID,
}

// Reset makes the reader read buf from its start and clears any error.
func (r *CompactReader) Reset(buf []byte) {
	r.reader.Reset(buf)
	r.last[0] = 0
	r.boolFieldSet = false
}

func (r *CompactReader) elemType(ct byte) Type {
	t := fromCompact[ct&0x0f]
	if t == 0 {
		r.Fail(invalidf("unknown compact type code %d at offset %d", ct&0x0f, r.pos))
		return TypeStop
	}
	return t
}

// uvarint reads a varint of at most 64 bits.
func (r *CompactReader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.buf[r.pos:])
	switch {
	case n > 0:
		r.pos += n
		return v
	case n == 0:
		r.truncated(1)
	default:
		r.Fail(invalidf("varint overflows 64 bits at offset %d", r.pos))
	}
	return 0
}

// uvarint32 reads a varint that must fit in 32 bits.
func (r *CompactReader) uvarint32() uint32 {
	start := r.pos
	v := r.uvarint()
	if v > math.MaxUint32 {
		r.pos = start
		r.Fail(invalidf("varint overflows 32 bits at offset %d", start))
		return 0
	}
	return uint32(v)
}

func unzigzag32(v uint32) int32 { return int32(v>>1) ^ -int32(v&1) }
func unzigzag64(v uint64) int64 { return int64(v>>1) ^ -int64(v&1) }

// ReadMessageBegin reads a message header (spec §4.3). name shares memory
// with the input.
func (r *CompactReader) ReadMessageBegin() (name []byte, typ MessageType, seq int32) {
	b := r.take(2)
	if b == nil {
		return nil, 0, 0
	}
	if b[0] != compactProtocolID {
		r.Fail(invalidf("bad compact protocol id %#x", b[0]))
		return nil, 0, 0
	}
	if b[1]&0x1f != compactVersion {
		r.Fail(invalidf("bad compact protocol version %d", b[1]&0x1f))
		return nil, 0, 0
	}
	typ = MessageType(b[1] >> 5)
	seq = int32(r.uvarint32())
	name = r.take(r.length())
	if r.err != nil {
		return nil, 0, 0
	}
	return name, typ, seq
}

// StructBegin starts reading a struct. It returns false, with the reader
// failed, if that nests deeper than MaxDepth.
func (r *CompactReader) StructBegin() bool {
	if !r.enter() {
		return false
	}
	r.last[r.depth] = 0
	return true
}

// StructEnd ends a struct started with StructBegin.
func (r *CompactReader) StructEnd() { r.depth-- }

// ReadFieldBegin reads a field header. It returns TypeStop at the end of the
// struct and once the reader has failed. For a bool field the value is in
// the header: the next ReadBool returns it.
func (r *CompactReader) ReadFieldBegin() (Type, int16) {
	b := r.take(1)
	if b == nil || b[0] == 0 {
		return TypeStop, 0
	}
	t := r.elemType(b[0])
	if t == TypeStop {
		return TypeStop, 0
	}
	var id int16
	if d := int16(b[0] >> 4); d != 0 {
		id = r.last[r.depth] + d
	} else {
		v := unzigzag32(r.uvarint32())
		if v < math.MinInt16 || v > math.MaxInt16 {
			r.Fail(invalidf("field id %d out of range", v))
		}
		id = int16(v)
	}
	if r.err != nil {
		return TypeStop, 0
	}
	r.last[r.depth] = id
	if t == TypeBool {
		r.boolField, r.boolFieldSet = b[0]&0x0f == compactBoolTrue, true
	}
	return t, id
}

// ReadBool reads a bool: the value of the bool field whose header was just
// read, or else a container element, where 1 is true.
func (r *CompactReader) ReadBool() bool {
	if r.boolFieldSet {
		r.boolFieldSet = false
		return r.boolField
	}
	b := r.take(1)
	return b != nil && b[0] == compactBoolTrue
}

// ReadI8 reads an i8.
func (r *CompactReader) ReadI8() int8 {
	b := r.take(1)
	if b == nil {
		return 0
	}
	return int8(b[0])
}

// ReadI16 reads an i16.
func (r *CompactReader) ReadI16() int16 {
	v := unzigzag32(r.uvarint32())
	if v < math.MinInt16 || v > math.MaxInt16 {
		r.Fail(invalidf("i16 value %d out of range", v))
		return 0
	}
	return int16(v)
}

// ReadI32 reads an i32.
func (r *CompactReader) ReadI32() int32 { return unzigzag32(r.uvarint32()) }

// ReadI64 reads an i64.
func (r *CompactReader) ReadI64() int64 { return unzigzag64(r.uvarint()) }

// ReadDouble reads a double.
func (r *CompactReader) ReadDouble() float64 {
	b := r.take(8)
	if b == nil {
		return 0
	}
	return math.Float64frombits(binary.LittleEndian.Uint64(b))
}

// length reads a string or binary length and checks it against the input.
func (r *CompactReader) length() int {
	n := r.uvarint32()
	if n > math.MaxInt32 {
		r.Fail(invalidf("length %d too large", n))
		return 0
	}
	if !r.need(int(n)) {
		return 0
	}
	return int(n)
}

// ReadString reads a string.
func (r *CompactReader) ReadString() string { return r.stringOf(r.length()) }

// ReadBinary reads binary data. It never returns nil unless the reader has
// failed.
func (r *CompactReader) ReadBinary() []byte { return r.binaryOf(r.length()) }

// ReadUUID reads a uuid.
func (r *CompactReader) ReadUUID() (v UUID) {
	copy(v[:], r.take(16))
	return v
}

// ReadListBegin reads a list header. The count is checked against the bytes
// left; on error it is 0.
func (r *CompactReader) ReadListBegin() (elem Type, n int) {
	b := r.take(1)
	if b == nil {
		return TypeStop, 0
	}
	size := uint64(b[0] >> 4)
	if size == 15 {
		size = uint64(r.uvarint32())
	}
	if r.err != nil {
		return TypeStop, 0
	}
	if size == 0 {
		// Writers differ in the element type of an empty list; any will do.
		return fromCompact[b[0]&0x0f], 0
	}
	elem = r.elemType(b[0])
	if r.err != nil || !r.checkCount("list", int64(size), compactMinSize[elem]) {
		return TypeStop, 0
	}
	return elem, int(size)
}

// ReadSetBegin reads a set header, laid out like a list header.
func (r *CompactReader) ReadSetBegin() (elem Type, n int) { return r.ReadListBegin() }

// ReadMapBegin reads a map header. The count is checked against the bytes
// left; on error it is 0.
func (r *CompactReader) ReadMapBegin() (key, val Type, n int) {
	size := r.uvarint32()
	if r.err != nil || size == 0 {
		return TypeStop, TypeStop, 0
	}
	b := r.take(1)
	if b == nil {
		return TypeStop, TypeStop, 0
	}
	key, val = r.elemType(b[0]>>4), r.elemType(b[0])
	if r.err != nil || !r.checkCount("map", int64(size), compactMinSize[key]+compactMinSize[val]) {
		return TypeStop, TypeStop, 0
	}
	return key, val, int(size)
}

// Skip reads past a value of type t without keeping it.
func (r *CompactReader) Skip(t Type) {
	if r.err != nil {
		return
	}
	switch t {
	case TypeBool:
		r.ReadBool()
	case TypeI8:
		r.take(1)
	case TypeI16, TypeI32, TypeI64:
		r.uvarint()
	case TypeDouble:
		r.take(8)
	case TypeUUID:
		r.take(16)
	case TypeString:
		r.take(r.length())
	case TypeStruct:
		if !r.StructBegin() {
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

// skipN skips n values of type elem.
func (r *CompactReader) skipN(elem Type, n int) {
	if n == 0 {
		return
	}
	switch elem {
	case TypeBool, TypeI8:
		r.take(n)
		return
	case TypeDouble, TypeUUID:
		r.take(n * compactMinSize[elem])
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
