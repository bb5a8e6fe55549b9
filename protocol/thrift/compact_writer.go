package thrift

import (
	"encoding/binary"
	"math"
	"math/bits"
)

// Compact protocol type codes (spec §4.4).
const (
	compactBoolTrue  = 1
	compactBoolFalse = 2
	compactI8        = 3
	compactI16       = 4
	compactI32       = 5
	compactI64       = 6
	compactDouble    = 7
	compactBinary    = 8
	compactList      = 9
	compactSet       = 10
	compactMap       = 11
	compactStruct    = 12
	compactUUID      = 13

	compactProtocolID = 0x82
	compactVersion    = 1
)

// compactTypes maps a Type to its compact code.
var compactTypes = [...]byte{
	TypeBool: compactBoolTrue, TypeI8: compactI8, TypeI16: compactI16, TypeI32: compactI32,
	TypeI64: compactI64, TypeDouble: compactDouble, TypeString: compactBinary,
	TypeList: compactList, TypeSet: compactSet, TypeMap: compactMap, TypeStruct: compactStruct,
	TypeUUID: compactUUID,
}

// CompactWriter appends values in the compact protocol (spec §4) to a
// buffer. The zero value appends to a nil buffer.
type CompactWriter struct {
	buf  []byte
	last int16 // id of the last field written in the current struct
}

// Reset makes w append to buf, after any bytes buf already holds.
func (w *CompactWriter) Reset(buf []byte) { w.buf, w.last = buf, 0 }

// Bytes returns the buffer with everything written so far.
func (w *CompactWriter) Bytes() []byte { return w.buf }

// WriteMessageBegin writes a message header (spec §4.3).
func (w *CompactWriter) WriteMessageBegin(name string, typ MessageType, seq int32) {
	w.buf = append(w.buf, compactProtocolID, byte(typ)<<5|compactVersion)
	w.buf = binary.AppendUvarint(w.buf, uint64(uint32(seq)))
	w.WriteString(name)
}

// StructBegin starts a struct. Pass what it returns to the matching
// StructEnd: field ids are written as deltas within a struct.
func (w *CompactWriter) StructBegin() int16 {
	prev := w.last
	w.last = 0
	return prev
}

// StructEnd writes the stop field and returns to the enclosing struct.
func (w *CompactWriter) StructEnd(prev int16) {
	w.buf = append(w.buf, 0)
	w.last = prev
}

func (w *CompactWriter) fieldHeader(ct byte, id int16) {
	if d := int(id) - int(w.last); d > 0 && d <= 15 {
		w.buf = append(w.buf, byte(d)<<4|ct)
	} else {
		w.buf = append(w.buf, ct)
		w.buf = binary.AppendUvarint(w.buf, uint64(zigzag32(int32(id))))
	}
	w.last = id
}

// WriteFieldBegin writes a field header. Use WriteBoolField for bools.
func (w *CompactWriter) WriteFieldBegin(t Type, id int16) { w.fieldHeader(compactTypes[t], id) }

// WriteBoolField writes a whole bool field: the compact protocol keeps the
// value in the header.
func (w *CompactWriter) WriteBoolField(id int16, v bool) {
	ct := byte(compactBoolFalse)
	if v {
		ct = compactBoolTrue
	}
	w.fieldHeader(ct, id)
}

// WriteBool writes a bool element of a container: 1 for true, 2 for false.
func (w *CompactWriter) WriteBool(v bool) {
	b := byte(compactBoolFalse)
	if v {
		b = compactBoolTrue
	}
	w.buf = append(w.buf, b)
}

// WriteI8 writes an i8.
func (w *CompactWriter) WriteI8(v int8) { w.buf = append(w.buf, byte(v)) }

// WriteI16 writes an i16 as a zigzag varint.
func (w *CompactWriter) WriteI16(v int16) {
	w.buf = binary.AppendUvarint(w.buf, uint64(zigzag32(int32(v))))
}

// WriteI32 writes an i32 as a zigzag varint.
func (w *CompactWriter) WriteI32(v int32) {
	w.buf = binary.AppendUvarint(w.buf, uint64(zigzag32(v)))
}

// WriteI64 writes an i64 as a zigzag varint.
func (w *CompactWriter) WriteI64(v int64) {
	w.buf = binary.AppendUvarint(w.buf, zigzag64(v))
}

// WriteDouble writes a double as its IEEE 754 bits, little-endian.
func (w *CompactWriter) WriteDouble(v float64) {
	w.buf = binary.LittleEndian.AppendUint64(w.buf, math.Float64bits(v))
}

// WriteString writes a string: a varint length, then the bytes.
func (w *CompactWriter) WriteString(v string) {
	w.buf = binary.AppendUvarint(w.buf, uint64(len(v)))
	w.buf = append(w.buf, v...)
}

// WriteBinary writes binary data the way WriteString writes a string.
func (w *CompactWriter) WriteBinary(v []byte) {
	w.buf = binary.AppendUvarint(w.buf, uint64(len(v)))
	w.buf = append(w.buf, v...)
}

// WriteUUID writes a uuid as its 16 bytes.
func (w *CompactWriter) WriteUUID(v UUID) { w.buf = append(w.buf, v[:]...) }

// WriteListBegin writes a list header: count and element type.
func (w *CompactWriter) WriteListBegin(elem Type, n int) {
	ct := compactTypes[elem]
	if n < 15 {
		w.buf = append(w.buf, byte(n)<<4|ct)
		return
	}
	w.buf = append(w.buf, 0xf0|ct)
	w.buf = binary.AppendUvarint(w.buf, uint64(n))
}

// WriteSetBegin writes a set header, laid out like a list header.
func (w *CompactWriter) WriteSetBegin(elem Type, n int) { w.WriteListBegin(elem, n) }

// WriteMapBegin writes a map header: count, then key and value types unless
// the map is empty.
func (w *CompactWriter) WriteMapBegin(key, val Type, n int) {
	if n == 0 {
		w.buf = append(w.buf, 0)
		return
	}
	w.buf = binary.AppendUvarint(w.buf, uint64(n))
	w.buf = append(w.buf, compactTypes[key]<<4|compactTypes[val])
}

func zigzag32(v int32) uint32 { return uint32(v<<1) ^ uint32(v>>31) }
func zigzag64(v int64) uint64 { return uint64(v<<1) ^ uint64(v>>63) }

func uvarintSize(v uint64) int { return (bits.Len64(v|1) + 6) / 7 }

// CompactFieldHeaderSize returns the size of the header of field id when the
// previous field written in the same struct was last (0 for none).
func CompactFieldHeaderSize(id, last int16) int {
	if d := int(id) - int(last); d > 0 && d <= 15 {
		return 1
	}
	return 1 + uvarintSize(uint64(zigzag32(int32(id))))
}

// CompactI16Size returns the encoded size of an i16.
func CompactI16Size(v int16) int { return uvarintSize(uint64(zigzag32(int32(v)))) }

// CompactI32Size returns the encoded size of an i32.
func CompactI32Size(v int32) int { return uvarintSize(uint64(zigzag32(v))) }

// CompactI64Size returns the encoded size of an i64.
func CompactI64Size(v int64) int { return uvarintSize(zigzag64(v)) }

// CompactStringSize returns the encoded size of a string.
func CompactStringSize(v string) int { return uvarintSize(uint64(len(v))) + len(v) }

// CompactBinarySize returns the encoded size of binary data.
func CompactBinarySize(v []byte) int { return uvarintSize(uint64(len(v))) + len(v) }

// CompactListHeaderSize returns the size of a list or set header for n
// elements.
func CompactListHeaderSize(n int) int {
	if n < 15 {
		return 1
	}
	return 1 + uvarintSize(uint64(n))
}

// CompactMapHeaderSize returns the size of a map header for n entries.
func CompactMapHeaderSize(n int) int {
	if n == 0 {
		return 1
	}
	return uvarintSize(uint64(n)) + 1
}

// CompactMessageBeginSize returns the size of a message header for a method
// called name with sequence id seq.
func CompactMessageBeginSize(name string, seq int32) int {
	return 2 + uvarintSize(uint64(uint32(seq))) + CompactStringSize(name)
}
