package thriftidl

import (
	"fmt"

	"github.com/ospreyrpc/osprey/idl"
)

// checkStructs checks the fields of f's structs, unions and exceptions.
func (r *resolver) checkStructs(f *fileAST) {
	for _, d := range f.structs {
		s := d.def
		r.checkFields(d.fields, fmt.Sprintf("%s %q", s.Kind, s.Name))
		if s.Kind != idl.UnionStruct {
			continue
		}
		for _, fd := range d.fields {
			if fd.def.Requiredness == idl.Required {
				r.sink.errorf(fd.def.Pos, "field %q of union %q cannot be required", fd.def.Name, s.Name)
			}
		}
	}
}

// checkFields reports duplicate field ids and names in one field list;
// where names the list in messages.
func (r *resolver) checkFields(fields []*fieldDecl, where string) {
	ids := make(map[int16]*fieldDecl, len(fields))
	names := make(map[string]*fieldDecl, len(fields))
	for _, fd := range fields {
		f := fd.def
		if prev := ids[f.ID]; prev != nil {
			implicit := ""
			if f.ImplicitID {
				implicit = " (assigned implicitly)"
			}
			r.sink.errorf(f.Pos, "duplicate field id %d%s in %s (first at %s)", f.ID, implicit, where, prev.def.Pos)
		} else {
			ids[f.ID] = fd
		}
		if prev := names[f.Name]; prev != nil {
			r.sink.errorf(fd.namePos, "duplicate field name %q in %s (first at %s)", f.Name, where, prev.namePos)
		} else {
			names[f.Name] = fd
		}
	}
}

// checkThrows requires exception types in a throws list. A typedef of an
// exception is replaced by the exception's own type, so that every throws
// field has a Struct type.
func (r *resolver) checkThrows(f *fileAST, fd *funcDecl) {
	for _, td := range fd.throws {
		t := td.def.Type
		u := r.under(t)
		if u == nil {
			continue
		}
		if u.Kind != idl.KindStruct || u.Struct.Kind != idl.ExceptionStruct {
			r.sink.errorf(t.Pos, "%q in the throws of function %q has type %s, which is not an exception",
				td.def.Name, fd.def.Name, typeName(t, f.file))
			continue
		}
		if t.Kind == idl.KindTypedef {
			td.def.Type = &idl.Type{Kind: idl.KindStruct, Struct: u.Struct, Annotations: t.Annotations, Pos: t.Pos}
		}
	}
}

// checkDefaults checks the default values of f's fields and arguments.
func (r *resolver) checkDefaults(f *fileAST) {
	check := func(fields []*fieldDecl) {
		for _, fd := range fields {
			if fd.dflt != nil && fd.def.Type != nil {
				fd.def.Default = r.value(f, fd.dflt, fd.def.Type)
			}
		}
	}
	for _, d := range f.structs {
		check(d.fields)
	}
	for _, s := range f.services {
		for _, fn := range s.funcs {
			check(fn.args)
			check(fn.throws)
		}
	}
}
