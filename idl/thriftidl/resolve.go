package thriftidl

import (
	"slices"
	"strings"

	"github.com/ospreyrpc/osprey/idl"
)

// resolver settles names, types and constants across the files of a
// program and reports every semantic error it finds.
type resolver struct {
	sink *errorSink
	// badTypedefs are typedefs in or leading into a typedef loop.
	badTypedefs map[*idl.Typedef]bool
	// constStack is the chain of constants being checked, for cycles.
	constStack []*constDecl
	// underlying caches under for typedefs.
	underlying map[*idl.Typedef]*idl.Type
	// converted memoizes convert.
	converted map[convKey]convResult
}

// resolve resolves files, given each after the files it includes.
func resolve(files []*fileAST, sink *errorSink) {
	r := &resolver{
		sink:        sink,
		badTypedefs: map[*idl.Typedef]bool{},
		underlying:  map[*idl.Typedef]*idl.Type{},
		converted:   map[convKey]convResult{},
	}
	for _, f := range files {
		r.declare(f)
	}
	for _, f := range files {
		r.resolveTypes(f)
	}
	r.checkTypedefLoops(files)
	for _, f := range files {
		r.checkStructs(f)
	}
	r.resolveServices(files)
	for _, f := range files {
		for _, c := range f.consts {
			r.checkConst(c)
		}
	}
	for _, f := range files {
		r.checkDefaults(f)
	}
}

// declare builds the file's table of definitions and included files.
func (r *resolver) declare(f *fileAST) {
	f.syms = make(map[string]*symbol, len(f.defs))
	for _, s := range f.defs {
		if prev := f.syms[s.name]; prev != nil {
			r.sink.errorf(s.pos, "duplicate definition %q (first at %s)", s.name, prev.pos)
			continue
		}
		f.syms[s.name] = s
	}
	f.incs = map[string]*fileAST{}
	for _, inc := range f.includes {
		if inc.target != nil && f.incs[inc.target.file.Name] == nil {
			f.incs[inc.target.file.Name] = inc.target
		}
	}
}

// lookup finds a definition by name: "Name" in f, or "file.Name" in a file
// f includes. A file's name may itself contain dots ("a.b.thrift").
func (r *resolver) lookup(f *fileAST, name string) *symbol {
	if s := f.syms[name]; s != nil {
		return s
	}
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		if inc := f.incs[name[:i]]; inc != nil {
			return inc.syms[name[i+1:]]
		}
	}
	return nil
}

// unknown reports an unknown name of the given kind ("type", "service").
func (r *resolver) unknown(f *fileAST, pos idl.Pos, what, name string) {
	if i := strings.LastIndexByte(name, '.'); i >= 0 && f.incs[name[:i]] == nil {
		r.sink.errorf(pos, "unknown %s %q (no included file is named %q)", what, name, name[:i])
		return
	}
	r.sink.errorf(pos, "unknown %s %q", what, name)
}

// kindName describes what a symbol defines, for messages.
func (s *symbol) kindName() string {
	switch {
	case s.typedef != nil:
		return "typedef"
	case s.enum != nil:
		return "enum"
	case s.strct != nil:
		return s.strct.def.Kind.String()
	case s.cnst != nil:
		return "constant"
	}
	return "service"
}

// resolveTypes resolves every type written in f.
func (r *resolver) resolveTypes(f *fileAST) {
	for _, d := range f.typedefs {
		d.def.Type = r.resolveType(f, d.typ)
	}
	for _, d := range f.consts {
		d.def.Type = r.resolveType(f, d.typ)
	}
	for _, d := range f.structs {
		r.resolveFieldTypes(f, d.fields)
	}
	for _, s := range f.services {
		for _, fn := range s.funcs {
			if fn.result != nil {
				fn.def.Result = r.resolveType(f, fn.result)
			}
			r.resolveFieldTypes(f, fn.args)
			r.resolveFieldTypes(f, fn.throws)
		}
	}
}

func (r *resolver) resolveFieldTypes(f *fileAST, fields []*fieldDecl) {
	for _, fd := range fields {
		fd.def.Type = r.resolveType(f, fd.typ)
	}
}

// resolveType turns a type expression into a Type, or reports why it
// cannot and returns nil.
func (r *resolver) resolveType(f *fileAST, te *typeExpr) *idl.Type {
	t := &idl.Type{Kind: te.kind, Annotations: te.annots, Pos: te.pos}
	switch te.kind {
	case idl.KindList, idl.KindSet:
		if t.Elem = r.resolveType(f, te.elem); t.Elem == nil {
			return nil
		}
	case idl.KindMap:
		t.Key = r.resolveType(f, te.key)
		t.Elem = r.resolveType(f, te.elem)
		if t.Key == nil || t.Elem == nil {
			return nil
		}
	case 0:
		s := r.lookup(f, te.name)
		switch {
		case s == nil:
			r.unknown(f, te.pos, "type", te.name)
			return nil
		case s.typedef != nil:
			t.Kind, t.Typedef = idl.KindTypedef, s.typedef.def
		case s.enum != nil:
			t.Kind, t.Enum = idl.KindEnum, s.enum.def
		case s.strct != nil:
			t.Kind, t.Struct = idl.KindStruct, s.strct.def
		default:
			r.sink.errorf(te.pos, "%q is a %s, not a type", te.name, s.kindName())
			return nil
		}
	}
	return t
}

// checkTypedefLoops reports typedefs that name themselves, directly or
// through other typedefs, and marks them so under never loops.
func (r *resolver) checkTypedefLoops(files []*fileAST) {
	done := map[*idl.Typedef]bool{}
	for _, f := range files {
		for _, d := range f.typedefs {
			var path []*idl.Typedef
			onPath := map[*idl.Typedef]bool{}
			bad := false
			for td := d.def; td != nil; td = td.Type.Typedef {
				if done[td] {
					bad = r.badTypedefs[td]
					break
				}
				if onPath[td] {
					loop := path[slices.Index(path, td):]
					names := make([]string, 0, len(loop)+1)
					for _, l := range loop {
						names = append(names, l.Name)
					}
					names = append(names, td.Name)
					r.sink.errorf(td.Pos, "typedef loop: %s", strings.Join(names, " -> "))
					bad = true
					break
				}
				onPath[td] = true
				path = append(path, td)
				if td.Type == nil || td.Type.Kind != idl.KindTypedef {
					break
				}
			}
			for _, p := range path {
				done[p] = true
				if bad {
					r.badTypedefs[p] = true
				}
			}
		}
	}
}

// under returns t with typedefs followed, or nil if t is nil or leads into
// a typedef loop or an unresolved type.
// Results are cached per typedef, so long chains cost once.
func (r *resolver) under(t *idl.Type) *idl.Type {
	if t == nil || t.Kind != idl.KindTypedef {
		return t
	}
	td := t.Typedef
	if u, ok := r.underlying[td]; ok {
		return u
	}
	u := t
	for u != nil && u.Kind == idl.KindTypedef {
		if r.badTypedefs[u.Typedef] {
			u = nil
			break
		}
		u = u.Typedef.Type
	}
	r.underlying[td] = u
	return u
}

// typeName spells t for messages, without the file prefix for names
// defined in the file from.
func typeName(t *idl.Type, from *idl.File) string {
	var b strings.Builder
	writeType(&b, t, from)
	return b.String()
}

func writeType(b *strings.Builder, t *idl.Type, from *idl.File) {
	name := func(f *idl.File, n string) {
		if f != from {
			b.WriteString(f.Name + ".")
		}
		b.WriteString(n)
	}
	switch t.Kind {
	case idl.KindList, idl.KindSet:
		b.WriteString(t.Kind.String() + "<")
		writeType(b, t.Elem, from)
		b.WriteString(">")
	case idl.KindMap:
		b.WriteString("map<")
		writeType(b, t.Key, from)
		b.WriteString(",")
		writeType(b, t.Elem, from)
		b.WriteString(">")
	case idl.KindEnum:
		name(t.Enum.File, t.Enum.Name)
	case idl.KindStruct:
		name(t.Struct.File, t.Struct.Name)
	case idl.KindTypedef:
		name(t.Typedef.File, t.Typedef.Name)
	default:
		b.WriteString(t.Kind.String())
	}
}
