package conformance

import (
	"context"
	"fmt"

	athrift "github.com/apache/thrift/lib/go/thrift"

	"github.com/ospreyrpc/osprey/protocol/thrift"
)

// ospreyWriter is the method set Osprey's BinaryWriter and CompactWriter
// share.
type ospreyWriter interface {
	StructBegin() int16
	StructEnd(int16)
	WriteFieldBegin(thrift.Type, int16)
	WriteBoolField(int16, bool)
	WriteBool(bool)
	WriteI8(int8)
	WriteI16(int16)
	WriteI32(int32)
	WriteI64(int64)
	WriteDouble(float64)
	WriteString(string)
	WriteBinary([]byte)
	WriteUUID(thrift.UUID)
	WriteListBegin(thrift.Type, int)
	WriteSetBegin(thrift.Type, int)
	WriteMapBegin(thrift.Type, thrift.Type, int)
}

func writeOsprey(w ospreyWriter, v pval) {
	switch v := v.(type) {
	case bool:
		w.WriteBool(v)
	case int8:
		w.WriteI8(v)
	case int16:
		w.WriteI16(v)
	case int32:
		w.WriteI32(v)
	case int64:
		w.WriteI64(v)
	case float64:
		w.WriteDouble(v)
	case string:
		w.WriteString(v)
	case []byte:
		w.WriteBinary(v)
	case thrift.UUID:
		w.WriteUUID(v)
	case plist:
		if v.set {
			w.WriteSetBegin(v.elem, len(v.items))
		} else {
			w.WriteListBegin(v.elem, len(v.items))
		}
		for _, e := range v.items {
			writeOsprey(w, e)
		}
	case pmap:
		w.WriteMapBegin(v.key, v.val, len(v.entries))
		for _, e := range v.entries {
			writeOsprey(w, e[0])
			writeOsprey(w, e[1])
		}
	case pstruct:
		prev := w.StructBegin()
		for _, f := range v {
			if b, ok := f.v.(bool); ok {
				w.WriteBoolField(f.id, b)
				continue
			}
			w.WriteFieldBegin(typeOf(f.v), f.id)
			writeOsprey(w, f.v)
		}
		w.StructEnd(prev)
	}
}

func writeApache(ctx context.Context, p athrift.TProtocol, v pval) error {
	switch v := v.(type) {
	case bool:
		return p.WriteBool(ctx, v)
	case int8:
		return p.WriteByte(ctx, v)
	case int16:
		return p.WriteI16(ctx, v)
	case int32:
		return p.WriteI32(ctx, v)
	case int64:
		return p.WriteI64(ctx, v)
	case float64:
		return p.WriteDouble(ctx, v)
	case string:
		return p.WriteString(ctx, v)
	case []byte:
		return p.WriteBinary(ctx, v)
	case thrift.UUID:
		return p.WriteUUID(ctx, athrift.Tuuid(v))
	case plist:
		var err error
		if v.set {
			err = p.WriteSetBegin(ctx, athrift.TType(v.elem), len(v.items))
		} else {
			err = p.WriteListBegin(ctx, athrift.TType(v.elem), len(v.items))
		}
		for _, e := range v.items {
			err = firstErr(err, writeApache(ctx, p, e))
		}
		return err
	case pmap:
		err := p.WriteMapBegin(ctx, athrift.TType(v.key), athrift.TType(v.val), len(v.entries))
		for _, e := range v.entries {
			err = firstErr(err, writeApache(ctx, p, e[0]), writeApache(ctx, p, e[1]))
		}
		return err
	case pstruct:
		err := p.WriteStructBegin(ctx, "s")
		for _, f := range v {
			err = firstErr(err, p.WriteFieldBegin(ctx, "f", athrift.TType(typeOf(f.v)), f.id),
				writeApache(ctx, p, f.v), p.WriteFieldEnd(ctx))
		}
		return firstErr(err, p.WriteFieldStop(ctx), p.WriteStructEnd(ctx))
	}
	return fmt.Errorf("not a pval: %T", v)
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
