package conformance

import (
	"bytes"
	"fmt"
	"math"

	"github.com/ospreyrpc/osprey/protocol/thrift"
)

// ospreyReader is the method set Osprey's BinaryReader and CompactReader
// share.
type ospreyReader interface {
	Reset([]byte)
	Err() error
	Remaining() int
	Skip(thrift.Type)
	StructBegin() bool
	StructEnd()
	ReadFieldBegin() (thrift.Type, int16)
	ReadBool() bool
	ReadI8() int8
	ReadI16() int16
	ReadI32() int32
	ReadI64() int64
	ReadDouble() float64
	ReadString() string
	ReadBinary() []byte
	ReadUUID() thrift.UUID
	ReadListBegin() (thrift.Type, int)
	ReadSetBegin() (thrift.Type, int)
	ReadMapBegin() (thrift.Type, thrift.Type, int)
}

// readOsprey reads a value with r and checks that it equals want.
func readOsprey(r ospreyReader, want pval) error {
	var got any
	switch want := want.(type) {
	case bool:
		got = r.ReadBool()
	case int8:
		got = r.ReadI8()
	case int16:
		got = r.ReadI16()
	case int32:
		got = r.ReadI32()
	case int64:
		got = r.ReadI64()
	case float64:
		if g := r.ReadDouble(); math.Float64bits(g) != math.Float64bits(want) {
			return fmt.Errorf("got double %v, want %v", g, want)
		}
		return r.Err()
	case string:
		got = r.ReadString()
	case []byte:
		if g := r.ReadBinary(); !bytes.Equal(g, want) {
			return fmt.Errorf("got binary %x, want %x", g, want)
		}
		return r.Err()
	case thrift.UUID:
		got = r.ReadUUID()
	case plist:
		read := r.ReadListBegin
		if want.set {
			read = r.ReadSetBegin
		}
		if elem, n := read(); elem != want.elem || n != len(want.items) {
			return fmt.Errorf("got %v header %v×%d, want %v×%d", typeOf(want), elem, n, want.elem, len(want.items))
		}
		for i, e := range want.items {
			if err := readOsprey(r, e); err != nil {
				return fmt.Errorf("[%d]: %w", i, err)
			}
		}
		return r.Err()
	case pmap:
		// The compact protocol writes an empty map as just its count, 0,
		// without key and value types.
		k, v, n := r.ReadMapBegin()
		if n == 0 && len(want.entries) == 0 {
			return r.Err()
		}
		if k != want.key || v != want.val || n != len(want.entries) {
			return fmt.Errorf("got map header %v→%v×%d, want %v→%v×%d", k, v, n, want.key, want.val, len(want.entries))
		}
		for i, e := range want.entries {
			if err := firstErr(readOsprey(r, e[0]), readOsprey(r, e[1])); err != nil {
				return fmt.Errorf("entry %d: %w", i, err)
			}
		}
		return r.Err()
	case pstruct:
		r.StructBegin()
		for _, f := range want {
			if typ, id := r.ReadFieldBegin(); typ != typeOf(f.v) || id != f.id {
				return fmt.Errorf("got field %v %d, want %v %d (%v)", typ, id, typeOf(f.v), f.id, r.Err())
			}
			if err := readOsprey(r, f.v); err != nil {
				return fmt.Errorf("field %d: %w", f.id, err)
			}
		}
		if typ, id := r.ReadFieldBegin(); typ != thrift.TypeStop {
			return fmt.Errorf("got field %v %d, want the end of the struct", typ, id)
		}
		r.StructEnd()
		return r.Err()
	}
	if got != want {
		return fmt.Errorf("got %T %v, want %v (%v)", got, got, want, r.Err())
	}
	return r.Err()
}
