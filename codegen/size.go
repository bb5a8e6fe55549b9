package codegen

import (
	"strconv"

	"github.com/ospreyrpc/osprey/idl"
)

// sizeFunc writes BinarySize or CompactSize. Both are nil-safe: a nil
// struct encodes as an empty one.
func (fg *fileGen) sizeFunc(p proto, s *idl.Struct, name string) {
	fg.P("// ", p.name, "Size implements thrift.Struct: the exact size Encode", p.name, " writes.")
	fg.P("func (p *", name, ") ", p.name, "Size() int {")
	if len(s.Fields) == 0 {
		fg.P("return 1")
		fg.P("}")
		fg.P()
		return
	}
	fg.P("if p == nil {")
	fg.P("return 1")
	fg.P("}")
	fg.P("n := 1")
	// A compact field header depends on the id of the field written before
	// it in the same struct. While the fields so far are always written
	// that id is known here and the header size is a constant. After a
	// field that may be absent, the code keeps the id in a variable, last.
	compact := p.name == "Compact"
	known, static, declared := true, int16(0), false
	for i, f := range s.Fields {
		expr, cond := fg.fieldExpr(s, f)
		more := i < len(s.Fields)-1
		header := "3"
		if compact {
			if cond != "" && more {
				switch {
				case !declared:
					fg.P("last := int16(", static, ")")
					declared = true
				case known:
					fg.P("last = ", static)
				}
			}
			if known {
				header = strconv.Itoa(compactHeaderSize(f.ID, static))
			} else {
				header = fg.thrift("CompactFieldHeaderSize") + "(" + strconv.Itoa(int(f.ID)) + ", last)"
			}
		}
		if cond != "" {
			fg.P("if ", cond, " {")
		}
		if compact && f.Type.True().Kind == idl.KindBool {
			fg.P("n += ", header)
		} else if e, ok := fg.sizeExpr(p, f.Type, expr, false); ok {
			fg.P("n += ", header, " + ", e)
		} else {
			fg.P("n += ", header)
			fg.sizeValue(p, f.Type, expr, 0, false)
		}
		if compact {
			if cond == "" {
				known, static = true, f.ID
			} else if more {
				fg.P("last = ", f.ID)
				known = false
			}
		}
		if cond != "" {
			fg.P("}")
		}
	}
	fg.P("return n")
	fg.P("}")
	fg.P()
}

// compactHeaderSize is thrift.CompactFieldHeaderSize, at generation time.
func compactHeaderSize(id, last int16) int {
	if d := int(id) - int(last); d > 0 && d <= 15 {
		return 1
	}
	z := uint64(uint32(int32(id)<<1) ^ uint32(int32(id)>>31))
	n := 1
	for z >= 0x80 {
		z >>= 7
		n++
	}
	return 1 + n
}

// sizeExpr returns an expression for the encoded size of expr, of IDL
// type t, when one expression can say it (no loop).
func (fg *fileGen) sizeExpr(p proto, t *idl.Type, expr string, key bool) (string, bool) {
	tt := t.True()
	if n, ok := fixedSize(p, tt); ok {
		return strconv.Itoa(n), true
	}
	compact := p.name == "Compact"
	switch tt.Kind {
	case idl.KindString, idl.KindBinary:
		if compact {
			if tt.Kind == idl.KindBinary && !key {
				return fg.thrift("CompactBinarySize") + "(" + conv(t, "[]byte", expr) + ")", true
			}
			return fg.thrift("CompactStringSize") + "(" + conv(t, "string", expr) + ")", true
		}
		return "4 + len(" + expr + ")", true
	case idl.KindI16:
		return fg.thrift("CompactI16Size") + "(" + conv(t, "int16", expr) + ")", true
	case idl.KindI32, idl.KindEnum:
		return fg.thrift("CompactI32Size") + "(" + conv(t, "int32", expr) + ")", true
	case idl.KindI64:
		return fg.thrift("CompactI64Size") + "(" + conv(t, "int64", expr) + ")", true
	case idl.KindStruct:
		return expr + "." + p.name + "Size()", true
	case idl.KindList, idl.KindSet, idl.KindMap:
		hdr := "5"
		if tt.Kind == idl.KindMap {
			hdr = "6"
		}
		if compact {
			fn := "CompactListHeaderSize"
			if tt.Kind == idl.KindMap {
				fn = "CompactMapHeaderSize"
			}
			hdr = fg.thrift(fn) + "(len(" + expr + "))"
		}
		per, ok := fixedSize(p, tt.Elem)
		if tt.Kind == idl.KindMap {
			kn, kok := fixedSize(p, tt.Key)
			per, ok = per+kn, ok && kok
		}
		if ok {
			return hdr + " + len(" + expr + ")*" + strconv.Itoa(per), true
		}
	}
	return "", false
}

// fixedSize returns the encoded size of every value of t, if it is fixed.
func fixedSize(p proto, t *idl.Type) (int, bool) {
	switch t.True().Kind {
	case idl.KindBool, idl.KindByte:
		return 1, true
	case idl.KindDouble:
		return 8, true
	case idl.KindUUID:
		return 16, true
	}
	if p.name == "Compact" {
		return 0, false
	}
	switch t.True().Kind {
	case idl.KindI16:
		return 2, true
	case idl.KindI32, idl.KindEnum:
		return 4, true
	case idl.KindI64:
		return 8, true
	}
	return 0, false
}

// sizeValue writes statements adding the encoded size of expr to n, for
// the containers sizeExpr cannot size in one expression.
func (fg *fileGen) sizeValue(p proto, t *idl.Type, expr string, d int, key bool) {
	if e, ok := fg.sizeExpr(p, t, expr, key); ok {
		fg.P("n += ", e)
		return
	}
	tt := t.True()
	ds := strconv.Itoa(d)
	if tt.Kind == idl.KindMap {
		if p.name == "Compact" {
			fg.P("n += ", fg.thrift("CompactMapHeaderSize"), "(len(", expr, "))")
		} else {
			fg.P("n += 6")
		}
		// A fixed-size key or value is counted once for all entries.
		kn, kFixed := fixedSize(p, tt.Key)
		vn, vFixed := fixedSize(p, tt.Elem)
		switch {
		case kFixed:
			fg.P("n += len(", expr, ")*", kn)
		case vFixed:
			fg.P("n += len(", expr, ")*", vn)
		}
		k, v := "k"+ds, "v"+ds
		if entryMap(tt) {
			fg.P("for _, e", ds, " := range ", expr, " {")
			k, v = "e"+ds+".Key", "e"+ds+".Value"
		} else if kFixed {
			fg.P("for _, ", v, " := range ", expr, " {")
		} else if vFixed {
			fg.P("for ", k, " := range ", expr, " {")
		} else {
			fg.P("for ", k, ", ", v, " := range ", expr, " {")
		}
		if !kFixed {
			fg.sizeValue(p, tt.Key, k, d+1, true)
		}
		if !vFixed || kFixed && vFixed {
			fg.sizeValue(p, tt.Elem, v, d+1, false)
		}
		fg.P("}")
		return
	}
	if p.name == "Compact" {
		fg.P("n += ", fg.thrift("CompactListHeaderSize"), "(len(", expr, "))")
	} else {
		fg.P("n += 5")
	}
	fg.P("for _, v", ds, " := range ", expr, " {")
	fg.sizeValue(p, tt.Elem, "v"+ds, d+1, false)
	fg.P("}")
}
