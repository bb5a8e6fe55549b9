package conformance

import (
	"context"
	"fmt"

	athrift "github.com/apache/thrift/lib/go/thrift"

	"github.com/ospreyrpc/osprey/protocol/thrift"
)

// codecProtocol is one Thrift protocol as both sides encode and decode it in
// memory.
type codecProtocol struct {
	name string
	// ospreyEncode encodes v with Osprey's generated code, and checks that
	// the size method predicted the number of bytes written.
	ospreyEncode func(v thrift.Struct) ([]byte, error)
	// ospreyDecode decodes b into v with Osprey's generated code, and checks
	// that it read every byte.
	ospreyDecode func(b []byte, v thrift.Struct) error
	// apache returns the Apache protocol over trans.
	apache func(trans athrift.TTransport) athrift.TProtocol
}

var codecProtocols = []codecProtocol{
	{
		name: "binary",
		ospreyEncode: func(v thrift.Struct) ([]byte, error) {
			var w thrift.BinaryWriter
			v.EncodeBinary(&w)
			return checkSize(w.Bytes(), v.BinarySize(), "BinarySize")
		},
		ospreyDecode: func(b []byte, v thrift.Struct) error {
			var r thrift.BinaryReader
			r.Reset(b)
			return checkRead(v.DecodeBinary(&r), r.Remaining(), len(b))
		},
		apache: func(trans athrift.TTransport) athrift.TProtocol {
			return athrift.NewTBinaryProtocolConf(trans, nil)
		},
	},
	{
		name: "compact",
		ospreyEncode: func(v thrift.Struct) ([]byte, error) {
			var w thrift.CompactWriter
			v.EncodeCompact(&w)
			return checkSize(w.Bytes(), v.CompactSize(), "CompactSize")
		},
		ospreyDecode: func(b []byte, v thrift.Struct) error {
			var r thrift.CompactReader
			r.Reset(b)
			return checkRead(v.DecodeCompact(&r), r.Remaining(), len(b))
		},
		apache: func(trans athrift.TTransport) athrift.TProtocol {
			return athrift.NewTCompactProtocolConf(trans, nil)
		},
	},
}

func checkSize(b []byte, size int, method string) ([]byte, error) {
	if size != len(b) {
		return b, fmt.Errorf("Osprey's %s() = %d, but it wrote %d bytes", method, size, len(b))
	}
	return b, nil
}

func checkRead(err error, remaining, total int) error {
	if err != nil {
		return fmt.Errorf("Osprey cannot decode: %w", err)
	}
	if remaining != 0 {
		return fmt.Errorf("Osprey decoded a value from %d of %d bytes", total-remaining, total)
	}
	return nil
}

// apacheEncode encodes v with Apache's generated code.
func (p codecProtocol) apacheEncode(v athrift.TStruct) ([]byte, error) {
	ctx := context.Background()
	buf := athrift.NewTMemoryBuffer()
	proto := p.apache(buf)
	if err := v.Write(ctx, proto); err != nil {
		return nil, fmt.Errorf("Apache cannot encode: %w", err)
	}
	if err := proto.Flush(ctx); err != nil {
		return nil, fmt.Errorf("Apache cannot encode: %w", err)
	}
	return buf.Bytes(), nil
}

// apacheDecode decodes b into v with Apache's generated code, and checks that
// it read every byte.
func (p codecProtocol) apacheDecode(b []byte, v athrift.TStruct) error {
	buf := athrift.NewTMemoryBufferLen(len(b))
	buf.Write(b)
	if err := v.Read(context.Background(), p.apache(buf)); err != nil {
		return fmt.Errorf("Apache cannot decode: %w", err)
	}
	if n := buf.Len(); n != 0 {
		return fmt.Errorf("Apache decoded a value from %d of %d bytes", len(b)-n, len(b))
	}
	return nil
}
