package thriftidl

import (
	"math"

	"github.com/ospreyrpc/osprey/idl"
)

// definition parses one definition, with its doc comment, trailing
// annotations and optional separator.
func (p *parser) definition() {
	start := p.i
	doc := p.docBefore(start)
	t := p.tok()
	switch t.kind {
	case kwConst:
		p.constDef(t, doc)
	case kwTypedef:
		p.typedefDef(t, doc)
	case kwEnum:
		p.enumDef(t, doc)
	case kwSenum:
		p.senumDef(t, doc)
	case kwStruct, kwUnion, kwException:
		p.structDef(t, doc)
	case kwService:
		p.serviceDef(t, doc)
	case kwInclude, kwCppInclude, kwNamespace:
		p.misplacedHeader(t)
	default:
		p.unexpected("definition (const, typedef, enum, struct, union, exception or service)")
	}
}

func (p *parser) constDef(kw *token, doc string) {
	p.next()
	typ := p.fieldType()
	name := p.name("constant name")
	p.expect(tAssign)
	val := p.constValue()
	c := &idl.Const{Name: name.text, Doc: doc, File: p.f.file, Pos: kw.pos}
	c.Annotations = p.annotations()
	p.separator()
	c.Doc = p.withTrailing(c.Doc, p.i-1)
	d := &constDecl{def: c, typ: typ, val: val, file: p.f}
	p.f.consts = append(p.f.consts, d)
	p.f.file.Consts = append(p.f.file.Consts, c)
	p.define(&symbol{name: c.Name, pos: name.pos, cnst: d})
}

func (p *parser) typedefDef(kw *token, doc string) {
	p.next()
	typ := p.fieldType()
	name := p.name("typedef name")
	td := &idl.Typedef{Name: name.text, Doc: doc, File: p.f.file, Pos: kw.pos}
	td.Annotations = p.annotations()
	p.separator()
	td.Doc = p.withTrailing(td.Doc, p.i-1)
	p.addTypedef(&typedefDecl{def: td, typ: typ}, name.pos)
}

func (p *parser) addTypedef(d *typedefDecl, namePos idl.Pos) {
	p.f.typedefs = append(p.f.typedefs, d)
	p.f.file.Typedefs = append(p.f.file.Typedefs, d.def)
	p.define(&symbol{name: d.def.Name, pos: namePos, typedef: d})
}

func (p *parser) enumDef(kw *token, doc string) {
	p.next()
	name := p.name("enum name")
	e := &idl.Enum{Name: name.text, Doc: doc, File: p.f.file, Pos: kw.pos}
	d := &enumDecl{def: e, values: map[string]*idl.EnumValue{}}
	p.expect(tLBrace)
	next := int64(0)
	for !p.accept(tRBrace) {
		start := p.i
		if !p.at(tIdent) && !p.tok().kind.isKeyword() {
			p.unexpected(`"}"`)
		}
		vt := p.name("enum value name")
		v := &idl.EnumValue{Name: vt.text, Doc: p.docBefore(start), Enum: e, Pos: vt.pos}
		if p.accept(tAssign) {
			it := p.tok()
			if it.kind != tInt {
				p.unexpected("integer")
			}
			p.next()
			next = it.ival
			if next < math.MinInt32 || next > math.MaxInt32 {
				p.sink.errorf(it.pos, "value %d of enum value %q does not fit in i32", next, vt.text)
				next = 0
			}
		} else if next > math.MaxInt32 {
			p.sink.errorf(vt.pos, "implicit value of enum value %q overflows i32", vt.text)
			next = 0
		}
		v.Value = int32(next)
		next++
		v.Annotations = p.annotations()
		p.separator()
		v.Doc = p.withTrailing(v.Doc, p.i-1)
		if first, dup := d.values[v.Name]; dup {
			p.sink.errorf(v.Pos, "duplicate enum value %q in enum %q (first at %s)", v.Name, e.Name, first.Pos)
		} else {
			d.values[v.Name] = v
		}
		e.Values = append(e.Values, v)
	}
	e.Annotations = p.annotations()
	p.separator()
	p.f.enums = append(p.f.enums, d)
	p.f.file.Enums = append(p.f.file.Enums, e)
	p.define(&symbol{name: e.Name, pos: name.pos, enum: d})
}

// senumDef parses the deprecated "senum", a typedef of string whose listed
// values are dropped.
func (p *parser) senumDef(kw *token, doc string) {
	p.next()
	p.sink.warnf(kw.pos, `"senum" is deprecated; it is treated as a typedef of string`)
	name := p.name("senum name")
	p.expect(tLBrace)
	for !p.accept(tRBrace) {
		if !p.at(tString) {
			p.unexpected(`"}"`)
		}
		p.next()
		p.separator()
	}
	td := &idl.Typedef{Name: name.text, Doc: doc, File: p.f.file, Pos: kw.pos}
	td.Annotations = p.annotations()
	p.separator()
	p.addTypedef(&typedefDecl{def: td, typ: &typeExpr{kind: idl.KindString, pos: kw.pos}}, name.pos)
}

func (p *parser) structDef(kw *token, doc string) {
	p.next()
	s := &idl.Struct{Doc: doc, File: p.f.file, Pos: kw.pos}
	switch kw.kind {
	case kwUnion:
		s.Kind = idl.UnionStruct
	case kwException:
		s.Kind = idl.ExceptionStruct
	}
	name := p.name(s.Kind.String() + " name")
	s.Name = name.text
	if s.Kind != idl.ExceptionStruct {
		p.accept(kwXsdAll)
	}
	p.expect(tLBrace)
	d := &structDecl{def: s, fields: p.fieldList(tRBrace, false)}
	for _, fd := range d.fields {
		s.Fields = append(s.Fields, fd.def)
	}
	s.Annotations = p.annotations()
	p.separator()
	p.f.structs = append(p.f.structs, d)
	p.f.file.Structs = append(p.f.file.Structs, s)
	p.define(&symbol{name: s.Name, pos: name.pos, strct: d})
}

func (p *parser) serviceDef(kw *token, doc string) {
	p.next()
	name := p.name("service name")
	s := &idl.Service{Name: name.text, Doc: doc, File: p.f.file, Pos: kw.pos}
	d := &serviceDecl{def: s}
	if p.accept(kwExtends) {
		if !p.at(tIdent) {
			p.unexpected("service name")
		}
		t := p.next()
		d.extends, d.extendsPos = t.text, t.pos
	}
	p.expect(tLBrace)
	for !p.accept(tRBrace) {
		fd := p.function(s)
		d.funcs = append(d.funcs, fd)
		s.Functions = append(s.Functions, fd.def)
	}
	s.Annotations = p.annotations()
	p.separator()
	p.f.services = append(p.f.services, d)
	p.f.file.Services = append(p.f.file.Services, s)
	p.define(&symbol{name: s.Name, pos: name.pos, svc: d})
}

// function parses one function of service s.
func (p *parser) function(s *idl.Service) *funcDecl {
	start := p.i
	t := p.tok()
	fn := &idl.Function{Doc: p.docBefore(start), Service: s, Pos: t.pos}
	d := &funcDecl{def: fn}
	switch t.kind {
	case kwOneway:
		p.next()
		fn.Oneway = true
	case kwAsync:
		p.next()
		p.sink.warnf(t.pos, `"async" is deprecated; use "oneway"`)
		fn.Oneway = true
	}
	if p.at(kwVoid) {
		p.next()
	} else if p.startsType() {
		d.result = p.fieldType()
	} else if fn.Oneway {
		p.unexpected(`"void"`)
	} else {
		p.unexpected(`"}"`)
	}
	name := p.name("function name")
	fn.Name, d.namePos = name.text, name.pos
	p.expect(tLParen)
	d.args = p.fieldList(tRParen, true)
	if tt := p.tok(); tt.kind == kwThrows {
		p.next()
		d.throwsPos = tt.pos
		p.expect(tLParen)
		d.throws = p.fieldList(tRParen, true)
	}
	for _, fd := range d.args {
		fn.Args = append(fn.Args, fd.def)
	}
	for _, fd := range d.throws {
		fn.Throws = append(fn.Throws, fd.def)
	}
	fn.Annotations = p.annotations()
	p.separator()
	fn.Doc = p.withTrailing(fn.Doc, p.i-1)
	return d
}
