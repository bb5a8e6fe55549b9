package codegen

import (
	"strconv"

	"github.com/ospreyrpc/osprey/idl"
)

// planChecks finds the structs of the program whose Validate has work to
// do: those with a required struct field, or with a field whose value may
// hold such a struct. It iterates to a fixed point, so recursive types
// are handled.
func (g *gen) planChecks() {
	for changed := true; changed; {
		changed = false
		for _, f := range g.prog.Files {
			for _, s := range f.Structs {
				if !g.checks[s] && g.fieldsNeedCheck(s.Fields) {
					g.checks[s] = true
					changed = true
				}
			}
		}
	}
}

// fieldsNeedCheck reports whether a struct with these fields has
// something to validate.
func (g *gen) fieldsNeedCheck(fields []*idl.Field) bool {
	for _, f := range fields {
		if g.requiredStruct(f) || g.typeNeedsCheck(f.Type) {
			return true
		}
	}
	return false
}

// requiredStruct reports whether f is a required field of struct type,
// which encoding cannot leave out when it is nil.
func (g *gen) requiredStruct(f *idl.Field) bool {
	return f.Requiredness == idl.Required && f.Type.True().Kind == idl.KindStruct
}

// typeNeedsCheck reports whether values of t may hold a struct with
// something to validate.
func (g *gen) typeNeedsCheck(t *idl.Type) bool {
	t = t.True()
	switch t.Kind {
	case idl.KindStruct:
		return g.checks[t.Struct]
	case idl.KindList, idl.KindSet:
		return g.typeNeedsCheck(t.Elem)
	case idl.KindMap:
		return g.typeNeedsCheck(t.Key) || g.typeNeedsCheck(t.Elem)
	}
	return false
}

// validateFunc writes Validate, which the runtime calls before sizing
// and encoding a message, so that a struct that cannot be encoded fails
// on the sending side with nothing written.
func (fg *fileGen) validateFunc(s *idl.Struct, name string) {
	fg.P("// Validate reports the first required struct field that is nil, in p or in")
	fg.P("// a struct it holds: such a value cannot be encoded. A nil p is valid.")
	if !fg.fieldsNeedCheck(s.Fields) {
		fg.P("func (p *", name, ") Validate() error { return nil }")
		fg.P()
		return
	}
	fg.P("func (p *", name, ") Validate() error {")
	fg.P("if p == nil {")
	fg.P("return nil")
	fg.P("}")
	for _, f := range s.Fields {
		expr := "p." + fg.fieldName(s, f)
		if fg.requiredStruct(f) {
			fg.P("if ", expr, " == nil {")
			fg.P("return ", fg.thrift("MissingFieldError"), "(", strconv.Quote(s.Name), ", ", strconv.Quote(f.Name), ", ", f.ID, ")")
			fg.P("}")
		}
		if fg.typeNeedsCheck(f.Type) {
			fg.checkValue(f.Type, expr, 0)
		}
	}
	fg.P("return nil")
	fg.P("}")
	fg.P()
}

// checkValue writes the statements that validate expr, of IDL type t.
func (fg *fileGen) checkValue(t *idl.Type, expr string, d int) {
	tt := t.True()
	ds := strconv.Itoa(d)
	switch tt.Kind {
	case idl.KindStruct:
		fg.P("if err := ", expr, ".Validate(); err != nil {")
		fg.P("return err")
		fg.P("}")
	case idl.KindList, idl.KindSet:
		fg.P("for _, v", ds, " := range ", expr, " {")
		fg.checkValue(tt.Elem, "v"+ds, d+1)
		fg.P("}")
	case idl.KindMap:
		k, v := "k"+ds, "v"+ds
		checkK, checkV := fg.typeNeedsCheck(tt.Key), fg.typeNeedsCheck(tt.Elem)
		switch {
		case entryMap(tt):
			fg.P("for _, e", ds, " := range ", expr, " {")
			k, v = "e"+ds+".Key", "e"+ds+".Value"
		case !checkV:
			fg.P("for ", k, " := range ", expr, " {")
		case !checkK:
			fg.P("for _, ", v, " := range ", expr, " {")
		default:
			fg.P("for ", k, ", ", v, " := range ", expr, " {")
		}
		if checkK {
			fg.checkValue(tt.Key, k, d+1)
		}
		if checkV {
			fg.checkValue(tt.Elem, v, d+1)
		}
		fg.P("}")
	}
}
