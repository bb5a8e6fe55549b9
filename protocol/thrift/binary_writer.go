package thrift

import (
	"encoding/binary"
	"math"
)

// binaryVersion1 is the strict binary protocol's version word, OR'ed with
// the message type (spec §3.1).
const binaryVersion1 = 0x80010000

// BinaryWriter appends values in the binary protocol (spec §2) to a buffer.
// The zero value appends to a nil buffer.
type BinaryWriter struct {
	buf []byte
}

// Reset makes w append to buf, after any bytes buf already holds.
func (w *BinaryWriter) Reset(buf []byte) { w.buf = buf }

// Bytes returns the buffer with everything written so far.
func (w *BinaryWriter) Bytes() []byte { return w.buf }

// WriteMessageBegin writes a strict message header (spec §3.1).
func (w *BinaryWriter) WriteMessageBegin(name string, typ MessageType, seq int32) {
	w.buf = binary.BigEndian.AppendUint32(w.buf, binaryVersion1|uint32(typ))
	w.WriteString(name)
	w.WriteI32(seq)
}

// StructBegin starts a struct. It returns a value to give to StructEnd; the
// binary protocol needs none, so it is always 0.
func (w *BinaryWriter) StructBegin() int16 { return 0 }

// StructEnd ends a struct by writing the stop field.
func (w *BinaryWriter) StructEnd(int16) { w.buf = append(w.buf, byte(TypeStop)) }

// WriteFieldBegin writes a field header: the field's type and id.
func (w *BinaryWriter) WriteFieldBegin(t Type, id int16) {
	w.buf = append(w.buf, byte(t), byte(uint16(id)>>8), byte(id))
}

// WriteBoolField writes a whole bool field, header and value.
func (w *BinaryWriter) WriteBoolField(id int16, v bool) {
	w.WriteFieldBegin(TypeBool, id)
	w.WriteBool(v)
}

// WriteBool writes a bool as one byte, 1 or 0.
func (w *BinaryWriter) WriteBool(v bool) {
	b := byte(0)
	if v {
		b = 1
	}
	w.buf = append(w.buf, b)
}

// WriteI8 writes an i8.
func (w *BinaryWriter) WriteI8(v int8) { w.buf = append(w.buf, byte(v)) }

// WriteI16 writes an i16, big-endian.
func (w *BinaryWriter) WriteI16(v int16) {
	w.buf = binary.BigEndian.AppendUint16(w.buf, uint16(v))
}

// WriteI32 writes an i32, big-endian.
func (w *BinaryWriter) WriteI32(v int32) {
	w.buf = binary.BigEndian.AppendUint32(w.buf, uint32(v))
}

// WriteI64 writes an i64, big-endian.
func (w *BinaryWriter) WriteI64(v int64) {
	w.buf = binary.BigEndian.AppendUint64(w.buf, uint64(v))
}

// WriteDouble writes a double as its IEEE 754 bits, big-endian.
func (w *BinaryWriter) WriteDouble(v float64) {
	w.buf = binary.BigEndian.AppendUint64(w.buf, math.Float64bits(v))
}

// WriteString writes a string: a 4-byte length, then the bytes.
func (w *BinaryWriter) WriteString(v string) {
	w.WriteI32(int32(len(v)))
	w.buf = append(w.buf, v...)
}

// WriteBinary writes binary data the way WriteString writes a string.
func (w *BinaryWriter) WriteBinary(v []byte) {
	w.WriteI32(int32(len(v)))
	w.buf = append(w.buf, v...)
}

// WriteUUID writes a uuid as its 16 bytes.
func (w *BinaryWriter) WriteUUID(v UUID) { w.buf = append(w.buf, v[:]...) }

// WriteListBegin writes a list header: element type and count.
func (w *BinaryWriter) WriteListBegin(elem Type, n int) {
	w.buf = append(w.buf, byte(elem))
	w.WriteI32(int32(n))
}

// WriteSetBegin writes a set header, which is laid out like a list header.
func (w *BinaryWriter) WriteSetBegin(elem Type, n int) { w.WriteListBegin(elem, n) }

// WriteMapBegin writes a map header: key type, value type and count.
func (w *BinaryWriter) WriteMapBegin(key, val Type, n int) {
	w.buf = append(w.buf, byte(key), byte(val))
	w.WriteI32(int32(n))
}

// Binary sizes of the fixed parts, for size computations (spec §2).
const (
	// BinaryFieldHeaderSize is the size of a field header.
	BinaryFieldHeaderSize = 3
	// BinaryListHeaderSize is the size of a list or set header.
	BinaryListHeaderSize = 5
	// BinaryMapHeaderSize is the size of a map header.
	BinaryMapHeaderSize = 6
	// BinaryLengthSize is the size of a string or binary length.
	BinaryLengthSize = 4
)

// BinaryMessageBeginSize returns the size of a strict message header for a
// method called name.
func BinaryMessageBeginSize(name string) int { return 4 + 4 + len(name) + 4 }
