package etcd_test

import (
	"context"

	"github.com/ospreyrpc/osprey/protocol/thrift"
	"github.com/ospreyrpc/osprey/service"
)

// ttext is a Thrift struct of one string, field 1; it serves as both the
// arguments and the result of whoThrift.
type ttext struct{ s string }

func (p *ttext) BinarySize() int { return 1 + 3 + 4 + len(p.s) }

func (p *ttext) EncodeBinary(w *thrift.BinaryWriter) {
	prev := w.StructBegin()
	w.WriteFieldBegin(thrift.TypeString, 1)
	w.WriteString(p.s)
	w.StructEnd(prev)
}

func (p *ttext) DecodeBinary(r *thrift.BinaryReader) error {
	if !r.StructBegin() {
		return r.Err()
	}
	for {
		t, id := r.ReadFieldBegin()
		if t == thrift.TypeStop {
			break
		}
		if id == 1 && t == thrift.TypeString {
			p.s = r.ReadString()
			continue
		}
		r.Skip(t)
	}
	r.StructEnd()
	return r.Err()
}

func (p *ttext) CompactSize() int { return 1 + 1 + thrift.CompactStringSize(p.s) }

func (p *ttext) EncodeCompact(w *thrift.CompactWriter) {
	prev := w.StructBegin()
	w.WriteFieldBegin(thrift.TypeString, 1)
	w.WriteString(p.s)
	w.StructEnd(prev)
}

func (p *ttext) DecodeCompact(r *thrift.CompactReader) error {
	if !r.StructBegin() {
		return r.Err()
	}
	for {
		t, id := r.ReadFieldBegin()
		if t == thrift.TypeStop {
			break
		}
		if id == 1 && t == thrift.TypeString {
			p.s = r.ReadString()
			continue
		}
		r.Skip(t)
	}
	r.StructEnd()
	return r.Err()
}

func (p *ttext) ThriftException() error            { return nil }
func (p *ttext) SetThriftException(err error) bool { return false }

// whoThrift is whoDesc over Thrift.
var whoThrift = service.Desc{Name: "Who", Methods: []service.Method{{
	Name:    "Who",
	NewCall: func() service.Call { return service.Call{Args: new(ttext), Result: new(ttext)} },
	Handler: func(_ context.Context, impl any, _, result any) error {
		result.(*ttext).s = impl.(string)
		return nil
	},
}}}
