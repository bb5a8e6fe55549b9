package pbfast

import (
	"fmt"
	"strconv"

	"google.golang.org/protobuf/compiler/protogen"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// singular returns when a singular field outside a oneof is encoded and
// the Go expression of its value.
func (e *emitter) singular(fd *protogen.Field) (cond, value string) {
	x := "x." + fd.GoName
	switch {
	case fd.Desc.Kind() == protoreflect.MessageKind:
		return x + " != nil", x
	case fd.Desc.Kind() == protoreflect.BytesKind && fd.Desc.HasPresence():
		return x + " != nil", x // presence is a non-nil slice
	case fd.Desc.HasPresence():
		return x + " != nil", "*" + x
	}
	return e.present(fd, x), x
}

// packable reports whether fd is a repeated numeric field, which may come
// packed or not.
func packable(fd *protogen.Field) bool {
	return wireType(fd.Desc.Kind()) != protowire.BytesType
}

// loopVar returns name, or "_" when the size expr of the variable name is
// a constant (of a fixed-width kind) that does not use it.
func loopVar(name, expr string) string {
	if _, err := strconv.Atoi(expr); err == nil {
		return "_"
	}
	return name
}

// sizeField is the code adding fd's encoded size to n.
func (e *emitter) sizeField(fd *protogen.Field) lines {
	var l lines
	tag := protowire.SizeTag(fd.Desc.Number())
	x := "x." + fd.GoName
	switch {
	case fd.Desc.IsMap():
		key, val := fd.Message.Fields[0], fd.Message.Fields[1]
		ks, vs := e.sizeOf(key, "k"), e.sizeOf(val, "v")
		kv, vv := loopVar("k", ks), loopVar("v", vs)
		if kv == "_" && vv == "_" {
			l.f("for range %s {", x)
		} else {
			l.f("for %s, %s := range %s {", kv, vv, x)
		}
		l.f("m := 2 + %s + %s", ks, vs)
		l.f("n += %d + %s(uint64(m)) + m", tag, e.wire("SizeVarint"))
		l.f("}")
	case fd.Desc.IsList() && fd.Desc.IsPacked():
		l.f("if len(%s) > 0 {", x)
		if size := fixedSize(fd.Desc.Kind()); size > 0 {
			l.f("p := len(%s) * %d", x, size)
		} else {
			l.f("p := 0")
			l.f("for _, v := range %s {", x)
			l.f("p += %s", e.sizeOf(fd, "v"))
			l.f("}")
		}
		l.f("n += %d + %s(uint64(p)) + p", tag, e.wire("SizeVarint"))
		l.f("}")
	case fd.Desc.IsList():
		if size := fixedSize(fd.Desc.Kind()); size > 0 {
			l.f("n += len(%s) * %d", x, tag+size)
			break
		}
		l.f("for _, v := range %s {", x)
		l.f("n += %d + %s", tag, e.sizeOf(fd, "v"))
		l.f("}")
	default:
		cond, v := e.singular(fd)
		l.f("if %s {", cond)
		l.f("n += %d + %s", tag, e.sizeOf(fd, v))
		l.f("}")
	}
	return l
}

// cachedSizeOf is sizeOf for a value whose sizes SizeGRPC has cached.
func (e *emitter) cachedSizeOf(fd *protogen.Field, v string) string {
	if e.fastMessage(fd) {
		return fmt.Sprintf("%s(%s.cachedSizeGRPC())", e.wire("SizeBytes"), v)
	}
	return e.sizeOf(fd, v)
}

// appendField is the code appending fd's tags and values to b.
func (e *emitter) appendField(fd *protogen.Field) lines {
	var l lines
	num := fd.Desc.Number()
	wt := wireType(fd.Desc.Kind())
	x := "x." + fd.GoName
	switch {
	case fd.Desc.IsMap():
		key, val := fd.Message.Fields[0], fd.Message.Fields[1]
		l.f("if len(%s) > 0 {", x)
		if key.Desc.Kind() == protoreflect.BoolKind {
			l.f("for _, k := range [...]bool{false, true} {")
			l.f("v, ok := %s[k]", x)
			l.f("if !ok {")
			l.f("continue")
			l.f("}")
		} else {
			l.f("var kb [16]%s", e.goType(key))
			l.f("for _, k := range %s(%s, kb[:0]) {", e.rt("SortedKeys"), x)
			l.f("v := %s[k]", x)
		}
		l.f("m := 2 + %s + %s", e.cachedSizeOf(key, "k"), e.cachedSizeOf(val, "v"))
		l.f("b = append(b, %s)", tagBytes(num, protowire.BytesType))
		l.f("b = %s(b, uint64(m))", e.wire("AppendVarint"))
		l.f("b = append(b, %s)", tagBytes(1, wireType(key.Desc.Kind())))
		l.add(e.appendOf(key, "k")...)
		l.f("b = append(b, %s)", tagBytes(2, wireType(val.Desc.Kind())))
		l.add(e.appendOf(val, "v")...)
		l.f("}")
		l.f("}")
	case fd.Desc.IsList() && fd.Desc.IsPacked():
		l.f("if len(%s) > 0 {", x)
		l.f("b = append(b, %s)", tagBytes(num, protowire.BytesType))
		if size := fixedSize(fd.Desc.Kind()); size > 0 {
			l.f("b = %s(b, uint64(len(%s) * %d))", e.wire("AppendVarint"), x, size)
		} else {
			l.f("p := 0")
			l.f("for _, v := range %s {", x)
			l.f("p += %s", e.sizeOf(fd, "v"))
			l.f("}")
			l.f("b = %s(b, uint64(p))", e.wire("AppendVarint"))
		}
		l.f("for _, v := range %s {", x)
		l.add(e.appendOf(fd, "v")...)
		l.f("}")
		l.f("}")
	case fd.Desc.IsList():
		l.f("for _, v := range %s {", x)
		l.f("b = append(b, %s)", tagBytes(num, wt))
		l.add(e.appendOf(fd, "v")...)
		l.f("}")
	default:
		cond, v := e.singular(fd)
		l.f("if %s {", cond)
		l.f("b = append(b, %s)", tagBytes(num, wt))
		l.add(e.appendOf(fd, v)...)
		l.f("}")
	}
	return l
}

// sizeOneof is the code adding the size of oneof o's member, if one is
// set, to n.
func (e *emitter) sizeOneof(o *protogen.Oneof) lines {
	var cases lines
	used := false
	for _, fd := range o.Fields {
		size := e.sizeOf(fd, "o."+fd.GoName)
		used = used || loopVar("o", size) == "o"
		cases.f("case *%s:", e.g.QualifiedGoIdent(fd.GoIdent))
		cases.f("n += %d + %s", protowire.SizeTag(fd.Desc.Number()), size)
	}
	return e.oneofSwitch(o, used, cases)
}

// appendOneof is the code appending oneof o's member, if one is set.
func (e *emitter) appendOneof(o *protogen.Oneof) lines {
	var cases lines
	for _, fd := range o.Fields {
		cases.f("case *%s:", e.g.QualifiedGoIdent(fd.GoIdent))
		cases.f("b = append(b, %s)", tagBytes(fd.Desc.Number(), wireType(fd.Desc.Kind())))
		cases.add(e.appendOf(fd, "o."+fd.GoName)...)
	}
	return e.oneofSwitch(o, true, cases)
}

// oneofSwitch wraps cases in a type switch on oneof o, binding o when
// the cases use it.
func (e *emitter) oneofSwitch(o *protogen.Oneof, bind bool, cases lines) lines {
	var l lines
	if bind {
		l.f("switch o := x.%s.(type) {", o.GoName)
	} else {
		l.f("switch x.%s.(type) {", o.GoName)
	}
	l.add(cases...)
	l.f("}")
	return l
}
