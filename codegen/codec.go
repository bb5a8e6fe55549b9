package codegen

import (
	"strconv"

	"github.com/ospreyrpc/osprey/idl"
)

// proto is one Thrift protocol as the generated code names it.
type proto struct {
	name   string // "Binary" or "Compact": method suffix
	reader string
	writer string
}

var (
	binaryProto  = proto{"Binary", "BinaryReader", "BinaryWriter"}
	compactProto = proto{"Compact", "CompactReader", "CompactWriter"}
)

// codec writes the six thrift.Struct methods of struct s, named name, and
// Validate.
func (fg *fileGen) codec(s *idl.Struct, name string) {
	fg.validateFunc(s, name)
	for _, p := range []proto{binaryProto, compactProto} {
		fg.sizeFunc(p, s, name)
		fg.encodeFunc(p, s, name)
		fg.decodeFunc(p, s, name)
	}
}

// typeCode returns the thrift.Type constant for values of t.
func (fg *fileGen) typeCode(t *idl.Type) string {
	var c string
	switch t.True().Kind {
	case idl.KindBool:
		c = "TypeBool"
	case idl.KindByte:
		c = "TypeI8"
	case idl.KindI16:
		c = "TypeI16"
	case idl.KindI32, idl.KindEnum:
		c = "TypeI32"
	case idl.KindI64:
		c = "TypeI64"
	case idl.KindDouble:
		c = "TypeDouble"
	case idl.KindString, idl.KindBinary:
		c = "TypeString"
	case idl.KindUUID:
		c = "TypeUUID"
	case idl.KindList:
		c = "TypeList"
	case idl.KindSet:
		c = "TypeSet"
	case idl.KindMap:
		c = "TypeMap"
	case idl.KindStruct:
		c = "TypeStruct"
	}
	return fg.thrift(c)
}

// base describes how a base type is written and read: the writer and
// reader method suffix and the Go type the methods take.
func base(k idl.Kind) (method, goType string) {
	switch k {
	case idl.KindBool:
		return "Bool", "bool"
	case idl.KindByte:
		return "I8", "int8"
	case idl.KindI16:
		return "I16", "int16"
	case idl.KindI32, idl.KindEnum:
		return "I32", "int32"
	case idl.KindI64:
		return "I64", "int64"
	case idl.KindDouble:
		return "Double", "float64"
	case idl.KindString:
		return "String", "string"
	case idl.KindBinary:
		return "Binary", "[]byte"
	case idl.KindUUID:
		return "UUID", "" // thrift.UUID, qualified by the caller
	}
	return "", ""
}

// conv converts expr of IDL type t to the Go type a writer method takes,
// when t's Go type is a named one.
func conv(t *idl.Type, goType, expr string) string {
	if goType == "" || (t.Kind != idl.KindTypedef && t.Kind != idl.KindEnum) {
		return expr
	}
	return goType + "(" + expr + ")"
}

// field returns the expression for field f of the struct in p, and the
// condition under which it is written ("" for always).
func (fg *fileGen) fieldExpr(s *idl.Struct, f *idl.Field) (expr, cond string) {
	expr = "p." + fg.fieldName(s, f)
	if fg.nilable(f) {
		cond = expr + " != nil"
		if fg.optional(f) && isScalar(f.Type) {
			expr = "*" + expr
		}
	}
	return expr, cond
}

func (fg *fileGen) encodeFunc(p proto, s *idl.Struct, name string) {
	fg.P("// Encode", p.name, " implements thrift.Struct.")
	fg.P("func (p *", name, ") Encode", p.name, "(w *", fg.thrift(p.writer), ") {")
	fg.P("prev := w.StructBegin()")
	if len(s.Fields) > 0 {
		fg.P("if p != nil {")
		for _, f := range s.Fields {
			expr, cond := fg.fieldExpr(s, f)
			if cond != "" {
				fg.P("if ", cond, " {")
			}
			if f.Type.True().Kind == idl.KindBool {
				fg.P("w.WriteBoolField(", f.ID, ", ", conv(f.Type, "bool", expr), ")")
			} else {
				fg.P("w.WriteFieldBegin(", fg.typeCode(f.Type), ", ", f.ID, ")")
				fg.writeValue(p, f.Type, expr, 0, false)
			}
			if cond != "" {
				fg.P("}")
			}
		}
		fg.P("}")
	}
	fg.P("w.StructEnd(prev)")
	fg.P("}")
	fg.P()
}

// writeValue writes the statements that encode expr, of IDL type t. key
// marks a map key, whose binary form is a Go string.
func (fg *fileGen) writeValue(p proto, t *idl.Type, expr string, d int, key bool) {
	tt := t.True()
	ds := strconv.Itoa(d)
	switch tt.Kind {
	case idl.KindStruct:
		fg.P(expr, ".Encode", p.name, "(w)")
	case idl.KindList, idl.KindSet:
		fg.P("w.Write", map[bool]string{true: "List", false: "Set"}[tt.Kind == idl.KindList],
			"Begin(", fg.typeCode(tt.Elem), ", len(", expr, "))")
		fg.P("for _, v", ds, " := range ", expr, " {")
		fg.writeValue(p, tt.Elem, "v"+ds, d+1, false)
		fg.P("}")
	case idl.KindMap:
		fg.P("w.WriteMapBegin(", fg.typeCode(tt.Key), ", ", fg.typeCode(tt.Elem), ", len(", expr, "))")
		if entryMap(tt) {
			fg.P("for _, e", ds, " := range ", expr, " {")
			fg.writeValue(p, tt.Key, "e"+ds+".Key", d+1, false)
			fg.writeValue(p, tt.Elem, "e"+ds+".Value", d+1, false)
		} else {
			fg.P("for k", ds, ", v", ds, " := range ", expr, " {")
			fg.writeValue(p, tt.Key, "k"+ds, d+1, true)
			fg.writeValue(p, tt.Elem, "v"+ds, d+1, false)
		}
		fg.P("}")
	default:
		if key && tt.Kind == idl.KindBinary {
			fg.P("w.WriteString(", expr, ")")
			return
		}
		m, goType := base(tt.Kind)
		if tt.Kind == idl.KindUUID {
			goType = fg.thrift("UUID")
		}
		fg.P("w.Write", m, "(", conv(t, goType, expr), ")")
	}
}
