package codegen

import (
	"strconv"

	"github.com/ospreyrpc/osprey/idl"
)

func (fg *fileGen) decodeFunc(p proto, s *idl.Struct, name string) {
	fg.P("// Decode", p.name, " implements thrift.Struct.")
	fg.P("func (p *", name, ") Decode", p.name, "(r *", fg.thrift(p.reader), ") error {")
	if fg.results[s] {
		// A result may be decoded into again (a retry): nothing of an
		// earlier reply, such as a declared exception, may stay behind.
		keep := ""
		for _, f := range s.Fields {
			if st, ok := fg.storage[f]; ok {
				if keep != "" {
					keep += ", "
				}
				keep += st + ": p." + st
			}
		}
		fg.P("*p = ", name, "{", keep, "}")
	}
	fg.P("if !r.StructBegin() {")
	fg.P("return r.Err()")
	fg.P("}")
	var required []*idl.Field
	for _, f := range s.Fields {
		if f.Requiredness == idl.Required {
			fg.P("var have", len(required), " bool")
			required = append(required, f)
		}
	}
	fg.P("for {")
	if len(s.Fields) > 0 {
		fg.P("t, id := r.ReadFieldBegin()")
	} else {
		fg.P("t, _ := r.ReadFieldBegin()")
	}
	fg.P("if t == ", fg.thrift("TypeStop"), " {")
	fg.P("break")
	fg.P("}")
	if len(s.Fields) > 0 {
		fg.P("switch id {")
		for _, f := range s.Fields {
			fg.P("case ", f.ID, ":")
			fg.P("if t == ", fg.typeCode(f.Type), " {")
			target := "p." + fg.fieldName(s, f)
			if st, ok := fg.storage[f]; ok {
				fg.P("if p.", st, " != nil {")
				fg.P("*p.", st, " = ", fg.initialized(f.Type.True().Struct, fg.valueType(f.Type)))
				fg.P(target, " = p.", st)
				fg.P("} else {")
				fg.P(target, " = ", fg.Q(fg.pkgs[f.Type.True().Struct.File].path, fg.name(ctorOf{f.Type.True().Struct})), "()")
				fg.P("}")
				fg.P(target, ".Decode", p.name, "(r)")
			} else if fg.optional(f) && isScalar(f.Type) {
				fg.P("var v ", fg.goType(f.Type))
				fg.readValue(p, f.Type, "v", 0, false)
				fg.P(target, " = &v")
			} else {
				fg.readValue(p, f.Type, target, 0, false)
			}
			for i, rf := range required {
				if rf == f {
					fg.P("have", i, " = true")
				}
			}
			fg.P("continue")
			fg.P("}")
		}
		fg.P("}")
	}
	fg.P("r.Skip(t)")
	fg.P("}")
	fg.P("r.StructEnd()")
	for i, f := range required {
		fg.P("if !have", i, " {")
		fg.P("r.Fail(", fg.thrift("MissingFieldError"), "(", strconv.Quote(s.Name), ", ", strconv.Quote(f.Name), ", ", f.ID, "))")
		fg.P("}")
	}
	fg.P("return r.Err()")
	fg.P("}")
	fg.P()
}

// readValue writes the statements that decode a value of IDL type t into
// target. key marks a map key, whose binary form is a Go string.
func (fg *fileGen) readValue(p proto, t *idl.Type, target string, d int, key bool) {
	tt := t.True()
	ds := strconv.Itoa(d)
	switch tt.Kind {
	case idl.KindStruct:
		fg.P(target, " = ", fg.Q(fg.pkgs[tt.Struct.File].path, fg.name(ctorOf{tt.Struct})), "()")
		fg.P(target, ".Decode", p.name, "(r)")
	case idl.KindList, idl.KindSet:
		kind := map[bool]string{true: "List", false: "Set"}[tt.Kind == idl.KindList]
		fg.P("if n", ds, ", ok := r.Read", kind, "Of(", fg.typeCode(tt.Elem), "); ok {")
		fg.P("s", ds, " := make(", fg.goType(t), ", n", ds, ")")
		fg.P("for i", ds, " := range s", ds, " {")
		fg.readValue(p, tt.Elem, "s"+ds+"[i"+ds+"]", d+1, false)
		fg.P("}")
		fg.P(target, " = s", ds)
		fg.P("}")
	case idl.KindMap:
		fg.P("if n", ds, ", ok := r.ReadMapOf(", fg.typeCode(tt.Key), ", ", fg.typeCode(tt.Elem), "); ok {")
		fg.P("m", ds, " := make(", fg.goType(t), ", n", ds, ")")
		if entryMap(tt) {
			fg.P("for i", ds, " := range m", ds, " {")
			fg.readValue(p, tt.Key, "m"+ds+"[i"+ds+"].Key", d+1, false)
			fg.readValue(p, tt.Elem, "m"+ds+"[i"+ds+"].Value", d+1, false)
		} else {
			fg.P("for i", ds, " := 0; i", ds, " < n", ds, "; i", ds, "++ {")
			fg.P("var k", ds, " ", fg.keyType(tt.Key))
			fg.readValue(p, tt.Key, "k"+ds, d+1, true)
			fg.P("var v", ds, " ", fg.goType(tt.Elem))
			fg.readValue(p, tt.Elem, "v"+ds, d+1, false)
			fg.P("m", ds, "[k", ds, "] = v", ds)
		}
		fg.P("}")
		fg.P(target, " = m", ds)
		fg.P("}")
	default:
		if key && tt.Kind == idl.KindBinary {
			fg.P(target, " = r.ReadString()")
			return
		}
		m, _ := base(tt.Kind)
		read := "r.Read" + m + "()"
		if t.Kind == idl.KindTypedef || t.Kind == idl.KindEnum {
			read = fg.goType(t) + "(" + read + ")"
		}
		fg.P(target, " = ", read)
	}
}
