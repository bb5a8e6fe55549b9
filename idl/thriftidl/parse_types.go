package thriftidl

import (
	"math"

	"github.com/ospreyrpc/osprey/idl"
)

// fieldList parses fields up to and including the closing token end.
// Fields without an id get -1, -2, ... in order. args is true for the
// arguments and throws of a function, where "optional" is ignored.
func (p *parser) fieldList(end tokKind, args bool) []*fieldDecl {
	var fields []*fieldDecl
	implicit := -1
	for !p.accept(end) {
		if !p.startsField() {
			p.unexpected(kindText(end))
		}
		fields = append(fields, p.field(&implicit, args))
	}
	return fields
}

func (p *parser) startsField() bool {
	switch p.tok().kind {
	case tInt, kwRequired, kwOptional:
		return true
	}
	return p.startsType()
}

func (p *parser) startsType() bool {
	k := p.tok().kind
	_, base := baseKinds[k]
	return base || k == tIdent || k == kwMap || k == kwSet || k == kwList
}

// field parses FieldID? FieldReq? FieldType '&'? Name ('=' ConstValue)?
// XsdFieldOptions Annotations? ListSeparator?.
func (p *parser) field(implicit *int, args bool) *fieldDecl {
	start := p.i
	t := p.tok()
	f := &idl.Field{Doc: p.docBefore(start), Pos: t.pos}
	d := &fieldDecl{def: f}
	if t.kind == tInt {
		p.next()
		if !p.at(tColon) {
			p.unexpected(`":" after the field id`)
		}
		p.next()
		if t.ival < math.MinInt16 || t.ival > math.MaxInt16 {
			p.sink.errorf(t.pos, "field id %d is out of range (must fit in i16)", t.ival)
		}
		f.ID = int16(t.ival)
	} else {
		if *implicit < math.MinInt16 {
			p.fail(t.pos, "too many fields without ids")
		}
		f.ID, f.ImplicitID = int16(*implicit), true
		*implicit--
	}
	switch rt := p.tok(); rt.kind {
	case kwRequired:
		p.next()
		f.Requiredness = idl.Required
	case kwOptional:
		p.next()
		if args {
			p.sink.warnf(rt.pos, `"optional" is ignored in argument and throws lists`)
		} else {
			f.Requiredness = idl.Optional
		}
	}
	d.typ = p.fieldType()
	p.accept(tAmp) // a C++ reference; nothing to record
	name := p.fieldName()
	f.Name, d.namePos = name.text, name.pos
	if f.ImplicitID {
		p.sink.warnf(name.pos, "field %q has no id; it gets the implicit id %d", f.Name, f.ID)
	} else if f.ID <= 0 {
		p.sink.warnf(t.pos, "field %q has the non-positive id %d", f.Name, f.ID)
	}
	if p.accept(tAssign) {
		d.dflt = p.constValue()
	}
	p.accept(kwXsdOptional)
	p.accept(kwXsdNillable)
	if p.accept(kwXsdAttrs) {
		p.nest()
		p.expect(tLBrace)
		p.fieldList(tRBrace, false) // accepted, ignored
		p.unnest()
	}
	f.Annotations = p.annotations()
	p.separator()
	f.Doc = p.withTrailing(f.Doc, p.i-1)
	return d
}

// fieldType parses a type: a base type, a container or a name, followed by
// optional annotations.
func (p *parser) fieldType() *typeExpr {
	t := p.tok()
	te := &typeExpr{pos: t.pos}
	if k, ok := baseKinds[t.kind]; ok {
		p.next()
		if t.kind == kwSlist {
			p.sink.warnf(t.pos, `"slist" is deprecated; use "string"`)
		}
		te.kind = k
		te.annots = p.annotations()
		return te
	}
	switch t.kind {
	case tIdent:
		p.next()
		te.name = t.text
	case kwMap, kwSet, kwList:
		p.nest()
		defer p.unnest()
		p.next()
		p.cppType()
		p.expect(tLAngle)
		switch t.kind {
		case kwMap:
			te.kind = idl.KindMap
			te.key = p.fieldType()
			p.expect(tComma)
			te.elem = p.fieldType()
		case kwSet:
			te.kind = idl.KindSet
			te.elem = p.fieldType()
		default:
			te.kind = idl.KindList
			te.elem = p.fieldType()
		}
		p.expect(tRAngle)
		if t.kind == kwList {
			if ct := p.tok(); p.cppType() {
				p.sink.warnf(ct.pos, `"list<T> cpp_type" is deprecated; write "list cpp_type "..." <T>"`)
			}
		}
	default:
		p.unexpected("type")
	}
	te.annots = p.annotations()
	return te
}

// cppType parses an optional cpp_type "name" and reports whether there
// was one; the name is not recorded.
func (p *parser) cppType() bool {
	if !p.accept(kwCppType) {
		return false
	}
	if !p.at(tString) {
		p.unexpected("string literal")
	}
	p.next()
	return true
}

// constValue parses a constant value.
func (p *parser) constValue() *constExpr {
	t := p.tok()
	c := &constExpr{text: t.text, pos: t.pos}
	switch t.kind {
	case tInt:
		c.kind, c.i = cInt, t.ival
	case tDouble:
		c.kind, c.d = cDouble, t.dval
	case tString:
		c.kind = cString
	case tIdent:
		c.kind = cIdent
	case kwTrue, kwFalse:
		c.kind, c.b = cBool, t.kind == kwTrue
	case tLBrack:
		p.nest()
		defer p.unnest()
		p.next()
		c.kind = cList
		c.list = []*constExpr{}
		for !p.accept(tRBrack) {
			c.list = append(c.list, p.constValue())
			p.separator()
		}
		return c
	case tLBrace:
		p.nest()
		defer p.unnest()
		p.next()
		c.kind = cMap
		for !p.accept(tRBrace) {
			c.keys = append(c.keys, p.constValue())
			p.expect(tColon)
			c.vals = append(c.vals, p.constValue())
			p.separator()
		}
		return c
	default:
		p.unexpected("constant value")
	}
	p.next()
	return c
}
