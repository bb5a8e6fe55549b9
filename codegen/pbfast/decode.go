package pbfast

import (
	"fmt"

	"google.golang.org/protobuf/compiler/protogen"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// merge emits m's mergeGRPC: the decoding loop. A field of a known
// number whose wire type is not the field's (nor, for a repeated numeric
// field, the packed form) is kept as an unknown field, as protobuf-go
// keeps it. Unknown fields are appended with their tag re-encoded
// minimally, byte for byte what protobuf-go stores.
func (e *emitter) merge(m *protogen.Message, fields []*protogen.Field) {
	g, malformed := e.g, e.rt("ErrMalformed")
	g.P("// mergeGRPC decodes b into x, merging with what x holds; depth is how")
	g.P("// deeply x is nested in the message being decoded.")
	g.P("func (x *", m.GoIdent.GoName, ") mergeGRPC(b []byte, depth int) error {")
	g.P("if depth > ", e.rt("MaxDepth"), " {")
	g.P("return ", e.rt("ErrDepth"))
	g.P("}")
	if hasStrings(fields) {
		g.P("b0, arena := b, \"\" // the message's strings share one copy of it (", e.rt("Substring"), ")")
	}
	g.P("for len(b) > 0 {")
	g.P("num, typ, n := ", e.rt("ConsumeTag"), "(b)")
	g.P("if n < 0 {")
	g.P("return ", malformed)
	g.P("}")
	g.P("b = b[n:]")
	if len(fields) > 0 {
		g.P("switch num {")
		for _, fd := range fields {
			g.P("case ", fd.Desc.Number(), ":")
			e.emit(e.decodeField(fd))
		}
		g.P("}")
	}
	g.P("n = ", e.wire("ConsumeFieldValue"), "(num, typ, b)")
	g.P("if n < 0 {")
	g.P("return ", malformed)
	g.P("}")
	g.P("x.unknownFields = ", e.wire("AppendTag"), "(x.unknownFields, num, typ)")
	g.P("x.unknownFields = append(x.unknownFields, b[:n]...)")
	g.P("b = b[n:]")
	g.P("}")
	g.P("return nil")
	g.P("}")
	g.P()
}

// checkType is the code leaving the switch (to keep the field as unknown)
// when typ is not t.
func (e *emitter) checkType(t protowire.Type) []string {
	return []string{fmt.Sprintf("if typ != %s {", e.wireTypeName(t)), "break", "}"}
}

// consumeBytesTo is consumeBytes into dst (declared) from src.
func (e *emitter) consumeBytesTo(dst, src string) []string {
	return []string{
		fmt.Sprintf("%s, n := %s(%s)", dst, e.wire("ConsumeBytes"), src),
		"if n < 0 {",
		"return " + e.rt("ErrMalformed"),
		"}",
		fmt.Sprintf("%s = %s[n:]", src, src),
	}
}

// decodeField is the body of fd's case in mergeGRPC's switch.
func (e *emitter) decodeField(fd *protogen.Field) lines {
	var l lines
	x := "x." + fd.GoName
	k := fd.Desc.Kind()
	wt := wireType(k)
	switch {
	case fd.Desc.IsMap():
		l.add(e.checkType(protowire.BytesType)...)
		l.add(e.consumeBytesTo("ent", "b")...)
		l.add(e.mapEntry(fd)...)
	case fd.Desc.IsList() && packable(fd):
		l.f("if typ == %s {", e.wireTypeName(protowire.BytesType))
		l.add(e.consumeBytes("b")...)
		if size := fixedSize(k); size > 1 {
			l.f("if len(s)%%%d != 0 {", size)
			l.f("return %s", e.rt("ErrMalformed"))
			l.f("}")
			l.f("%s = %s(%s, len(s)/%d)", x, e.id(slicesPkg, "Grow"), x, size)
		} else {
			l.f("%s = %s(%s, %s(s))", x, e.id(slicesPkg, "Grow"), x, e.rt("CountVarints"))
		}
		l.f("for len(s) > 0 {")
		l.add(e.decodeScalar(fd, "s", false, func(v string) string { return fmt.Sprintf("%s = append(%s, %s)", x, x, v) })...)
		l.f("}")
		l.f("continue")
		l.f("}")
		l.add(e.checkType(wt)...)
		l.add(e.decodeScalar(fd, "b", false, func(v string) string { return fmt.Sprintf("%s = append(%s, %s)", x, x, v) })...)
	case fd.Desc.IsList() && k == protoreflect.MessageKind:
		l.add(e.checkType(wt)...)
		l.add(e.consumeBytes("b")...)
		l.f("m := new(%s)", e.g.QualifiedGoIdent(fd.Message.GoIdent))
		l.add(e.mergeInto(fd, "m")...)
		l.f("%s = append(%s, m)", x, x)
	case fd.Desc.IsList():
		l.add(e.checkType(wt)...)
		l.add(e.decodeScalar(fd, "b", true, func(v string) string { return fmt.Sprintf("%s = append(%s, %s)", x, x, v) })...)
	case inOneof(fd):
		l.add(e.checkType(wt)...)
		wrapper := e.g.QualifiedGoIdent(fd.GoIdent)
		oneof := "x." + fd.Oneof.GoName
		if k == protoreflect.MessageKind {
			l.add(e.consumeBytes("b")...)
			l.f("var m *%s", e.g.QualifiedGoIdent(fd.Message.GoIdent))
			l.f("if o, ok := %s.(*%s); ok && o.%s != nil {", oneof, wrapper, fd.GoName)
			l.f("m = o.%s", fd.GoName)
			l.f("} else {")
			l.f("m = new(%s)", e.g.QualifiedGoIdent(fd.Message.GoIdent))
			l.f("%s = &%s{%s: m}", oneof, wrapper, fd.GoName)
			l.f("}")
			l.add(e.mergeInto(fd, "m")...)
		} else {
			l.add(e.decodeScalar(fd, "b", true, func(v string) string {
				return fmt.Sprintf("%s = &%s{%s: %s}", oneof, wrapper, fd.GoName, v)
			})...)
		}
	default:
		l.add(e.checkType(wt)...)
		switch {
		case k == protoreflect.MessageKind:
			l.add(e.consumeBytes("b")...)
			l.f("if %s == nil {", x)
			l.f("%s = new(%s)", x, e.g.QualifiedGoIdent(fd.Message.GoIdent))
			l.f("}")
			l.add(e.mergeInto(fd, x)...)
		case fd.Desc.HasPresence() && k != protoreflect.BytesKind:
			l.add(e.decodeScalar(fd, "b", true, func(v string) string {
				return fmt.Sprintf("v := %s\n%s = &v", v, x)
			})...)
		default:
			l.add(e.decodeScalar(fd, "b", fd.Desc.HasPresence(), func(v string) string {
				return fmt.Sprintf("%s = %s", x, v)
			})...)
		}
	}
	l.f("continue")
	return l
}

// mapEntry is the code decoding the map entry ent into fd's map: a
// missing key or value is the zero value (an empty message for message
// values), fields other than the key and value are skipped, and a later
// entry for a key replaces an earlier one.
func (e *emitter) mapEntry(fd *protogen.Field) lines {
	var l lines
	x := "x." + fd.GoName
	key, val := fd.Message.Fields[0], fd.Message.Fields[1]
	l.f("var mk %s", e.goType(key))
	if val.Desc.Kind() == protoreflect.MessageKind {
		l.f("mv := new(%s)", e.g.QualifiedGoIdent(val.Message.GoIdent))
	} else {
		l.f("var mv %s", e.goType(val))
	}
	l.f("for len(ent) > 0 {")
	l.f("num, typ, n := %s(ent)", e.rt("ConsumeTag"))
	l.f("if n < 0 {")
	l.f("return %s", e.rt("ErrMalformed"))
	l.f("}")
	l.f("ent = ent[n:]")
	l.f("switch {")
	l.f("case num == 1 && typ == %s:", e.wireTypeName(wireType(key.Desc.Kind())))
	l.add(e.decodeScalar(key, "ent", false, func(v string) string { return "mk = " + v })...)
	l.f("continue")
	l.f("case num == 2 && typ == %s:", e.wireTypeName(wireType(val.Desc.Kind())))
	if val.Desc.Kind() == protoreflect.MessageKind {
		l.add(e.consumeBytesTo("s", "ent")...)
		l.add(e.mergeInto(val, "mv")...)
	} else {
		l.add(e.decodeScalar(val, "ent", true, func(v string) string { return "mv = " + v })...)
	}
	l.f("continue")
	l.f("}")
	l.f("n = %s(num, typ, ent)", e.wire("ConsumeFieldValue"))
	l.f("if n < 0 {")
	l.f("return %s", e.rt("ErrMalformed"))
	l.f("}")
	l.f("ent = ent[n:]")
	l.f("}")
	l.f("if %s == nil {", x)
	l.f("%s = make(map[%s]%s)", x, e.goType(key), e.goType(val))
	l.f("}")
	l.f("%s[mk] = mv", x)
	return l
}

// hasStrings reports whether any of fields decodes strings (a string
// field, or a map with string keys or values): mergeGRPC then keeps the
// message's bytes for pbrt.Substring.
func hasStrings(fields []*protogen.Field) bool {
	for _, fd := range fields {
		if fd.Desc.Kind() == protoreflect.StringKind {
			return true
		}
		if fd.Desc.IsMap() && (fd.Desc.MapKey().Kind() == protoreflect.StringKind || fd.Desc.MapValue().Kind() == protoreflect.StringKind) {
			return true
		}
	}
	return false
}
