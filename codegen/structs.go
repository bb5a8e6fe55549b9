package codegen

import (
	"strconv"
	"strings"

	"github.com/ospreyrpc/osprey/idl"
)

// structMethods are the methods every generated struct has.
var structMethods = []string{
	"BinarySize", "EncodeBinary", "DecodeBinary",
	"CompactSize", "EncodeCompact", "DecodeCompact", "String", "Validate",
}

// planStruct names a struct's fields so that no field clashes with a
// method of the struct, extra included.
func (g *gen) planStruct(s *idl.Struct, extra ...string) {
	taken := nameSet{}
	for _, m := range append(structMethods, extra...) {
		taken[m] = true
	}
	if s.Kind == idl.ExceptionStruct {
		taken["Error"], taken["BusinessError"], taken["Unwrap"] = true, true, true
	}
	for _, f := range s.Fields {
		base := exported(f.Name)
		for taken[base] || taken["Get"+base] || taken["IsSet"+base] {
			base += "_"
		}
		taken[base], taken["Get"+base], taken["IsSet"+base] = true, true, true
		g.names[f] = base
	}
}

// fieldName returns a field's Go name.
func (fg *fileGen) fieldName(s *idl.Struct, f *idl.Field) string {
	if _, ok := fg.names[f]; !ok {
		fg.planStruct(s)
	}
	return fg.name(f)
}

// structDecl writes a struct type and its constructor, and for IDL
// structs (full) its getters and String; argument and result structs are
// only handled by generated code and need neither.
func (fg *fileGen) structDecl(s *idl.Struct, name, fallbackDoc string, full bool) {
	fg.Doc(s.Doc, fallbackDoc)
	fg.P("type ", name, " struct {")
	for _, f := range s.Fields {
		if f.Doc != "" {
			fg.Doc(f.Doc, "")
		}
		fg.P(fg.fieldName(s, f), " ", fg.fieldType(f), " `", fg.tag(f), "`")
	}
	for _, f := range s.Fields {
		if st, ok := fg.storage[f]; ok {
			fg.P(st, " *", fg.valueType(f.Type), " // the call's storage for ", fg.fieldName(s, f), ", where decoding puts it; nil: decoding allocates")
		}
	}
	fg.P("}")
	fg.P()

	ctor := fg.name(ctorOf{s})
	fg.P("// ", ctor, " returns a new ", name, " with its default values set.")
	fg.P("func ", ctor, "() *", name, " {")
	fg.P("return &", fg.initialized(s, name))
	fg.P("}")
	fg.P()

	if !full {
		return
	}
	for _, f := range s.Fields {
		fg.getter(s, name, f)
	}
	fg.P("// String returns a readable form of p for logs and debugging.")
	fg.P("func (p *", name, ") String() string {")
	fg.P("if p == nil {")
	fg.P(`return "<nil>"`)
	fg.P("}")
	fg.P("return ", fg.Q("fmt", "Sprintf"), `("`, name, `(%+v)", *p)`)
	fg.P("}")
	fg.P()
	if s.Kind == idl.ExceptionStruct {
		fg.P("// Error implements error.")
		fg.P("func (p *", name, ") Error() string { return p.String() }")
		fg.P()
		fg.P("// BusinessError marks ", name, " as a declared exception; see package status.")
		fg.P("func (p *", name, ") BusinessError() bool { return true }")
		fg.P()
	}
}

// initialized returns a composite literal of struct s, named name, with
// its default values set.
func (fg *fileGen) initialized(s *idl.Struct, name string) string {
	var fields []string
	for _, f := range s.Fields {
		if f.Default != nil && !fg.optional(f) {
			fields = append(fields, fg.fieldName(s, f)+": "+fg.literal(f.Type, f.Default))
		}
	}
	if len(fields) == 0 {
		return name + "{}"
	}
	return name + "{\n" + strings.Join(fields, ",\n") + ",\n}"
}

// tag returns a field's struct tag: a "go.tag" annotation's value when
// the field has one, as in Apache Thrift, else thrift and json keys.
func (fg *fileGen) tag(f *idl.Field) string {
	if custom, ok := f.Annotations.Get("go.tag"); ok && strings.TrimSpace(custom) != "" {
		return strings.TrimSpace(custom)
	}
	thriftTag := f.Name + "," + strconv.Itoa(int(f.ID))
	jsonTag := f.Name
	switch {
	case f.Requiredness == idl.Required:
		thriftTag += ",required"
	case fg.optional(f):
		thriftTag += ",optional"
		jsonTag += ",omitempty"
	}
	return `thrift:"` + thriftTag + `" json:"` + jsonTag + `"`
}

// getter writes GetX, which is nil-safe and returns the default of an
// optional field that is not set, and IsSetX for nilable fields.
func (fg *fileGen) getter(s *idl.Struct, name string, f *idl.Field) {
	fn := fg.fieldName(s, f)
	typ := fg.goType(f.Type)
	zero := "v"
	if f.Default != nil {
		zero = fg.literal(f.Type, f.Default)
	}
	fg.P("// Get", fn, " returns the ", f.Name, " field, or its default if p is nil",
		map[bool]string{true: " or the field is not set", false: ""}[fg.optional(f)], ".")
	fg.P("func (p *", name, ") Get", fn, "() (v ", typ, ") {")
	if fg.optional(f) && isScalar(f.Type) {
		fg.P("if p != nil && p.", fn, " != nil {")
		fg.P("return *p.", fn)
		fg.P("}")
	} else if fg.optional(f) {
		fg.P("if p != nil && p.", fn, " != nil {")
		fg.P("return p.", fn)
		fg.P("}")
	} else {
		fg.P("if p != nil {")
		fg.P("return p.", fn)
		fg.P("}")
	}
	if zero == "v" {
		fg.P("return v")
	} else {
		fg.P("return ", zero)
	}
	fg.P("}")
	fg.P()
	if fg.nilable(f) {
		fg.P("// IsSet", fn, " reports whether the ", f.Name, " field is set.")
		fg.P("func (p *", name, ") IsSet", fn, "() bool { return p != nil && p.", fn, " != nil }")
		fg.P()
	}
}

// enumDecl writes an enum type, its values and its conversions.
func (fg *fileGen) enumDecl(e *idl.Enum) {
	name := fg.name(e)
	fg.Doc(e.Doc, name+" is the Thrift enum "+e.Name+".")
	fg.P("type ", name, " int32")
	fg.P()
	fg.P("// The values of ", name, ".")
	fg.P("const (")
	for _, v := range e.Values {
		if v.Doc != "" {
			fg.Doc(v.Doc, "")
		}
		fg.P(fg.name(v), " ", name, " = ", v.Value)
	}
	fg.P(")")
	fg.P()
	fg.P("// String returns the value's IDL name, or ", name, "(N) for a number without one.")
	fg.P("func (e ", name, ") String() string {")
	fg.P("switch e {")
	seen := map[int32]bool{}
	for _, v := range e.Values {
		if seen[v.Value] {
			continue
		}
		seen[v.Value] = true
		fg.P("case ", fg.name(v), ":")
		fg.P("return ", strconv.Quote(v.Name))
	}
	fg.P("}")
	fg.P(`return "`, name, `(" + `, fg.Q("strconv", "Itoa"), "(int(e)) + \")\"")
	fg.P("}")
	fg.P()
	from := fg.name(fromStringOf{e})
	fg.P("// ", from, " returns the value whose IDL name is s.")
	fg.P("func ", from, "(s string) (", name, ", error) {")
	fg.P("switch s {")
	for _, v := range e.Values {
		fg.P("case ", strconv.Quote(v.Name), ":")
		fg.P("return ", fg.name(v), ", nil")
	}
	fg.P("}")
	fg.P("return 0, ", fg.Q("fmt", "Errorf"), `("not a `, name, ` value: %q", s)`)
	fg.P("}")
	fg.P()
	fg.P("// MarshalText implements encoding.TextMarshaler with the IDL name.")
	fg.P("func (e ", name, ") MarshalText() ([]byte, error) { return []byte(e.String()), nil }")
	fg.P()
	fg.P("// UnmarshalText implements encoding.TextUnmarshaler, accepting an IDL name or a number.")
	fg.P("func (e *", name, ") UnmarshalText(b []byte) error {")
	fg.P("if v, err := ", from, "(string(b)); err == nil {")
	fg.P("*e = v")
	fg.P("return nil")
	fg.P("}")
	fg.P("n, err := ", fg.Q("strconv", "ParseInt"), "(string(b), 10, 32)")
	fg.P("if err != nil {")
	fg.P("return ", fg.Q("fmt", "Errorf"), `("not a `, name, ` value: %q", b)`)
	fg.P("}")
	fg.P("*e = ", name, "(n)")
	fg.P("return nil")
	fg.P("}")
	fg.P()
}

// typedefDecl writes a typedef: an alias for structs and enums, so their
// methods carry over, and a defined type for everything else.
func (fg *fileGen) typedefDecl(t *idl.Typedef) {
	name := fg.name(t)
	fg.Doc(t.Doc, name+" is the Thrift typedef "+t.Name+".")
	switch t.Type.True().Kind {
	case idl.KindStruct, idl.KindEnum:
		fg.P("type ", name, " = ", fg.valueType(t.Type))
	default:
		fg.P("type ", name, " ", fg.goType(t.Type))
	}
	fg.P()
}

// constDecl writes a constant: a Go const where Go allows, else a var.
func (fg *fileGen) constDecl(c *idl.Const) {
	name := fg.name(c)
	fg.Doc(c.Doc, name+" is the Thrift constant "+c.Name+".")
	if constIsGoConst(c.Type) {
		fg.P("const ", name, " ", fg.goType(c.Type), " = ", fg.literal(c.Type, c.Value))
	} else {
		fg.P("var ", name, " = ", fg.literal(c.Type, c.Value))
	}
	fg.P()
}
