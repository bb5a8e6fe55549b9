package pbfast

import (
	"fmt"
	"strings"

	"google.golang.org/protobuf/compiler/protogen"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// wireType is the wire type a value of kind k is encoded with.
func wireType(k protoreflect.Kind) protowire.Type {
	switch k {
	case protoreflect.Fixed32Kind, protoreflect.Sfixed32Kind, protoreflect.FloatKind:
		return protowire.Fixed32Type
	case protoreflect.Fixed64Kind, protoreflect.Sfixed64Kind, protoreflect.DoubleKind:
		return protowire.Fixed64Type
	case protoreflect.StringKind, protoreflect.BytesKind, protoreflect.MessageKind:
		return protowire.BytesType
	}
	return protowire.VarintType
}

// wireTypeName is the protowire constant naming t.
func (e *emitter) wireTypeName(t protowire.Type) string {
	switch t {
	case protowire.Fixed32Type:
		return e.wire("Fixed32Type")
	case protowire.Fixed64Type:
		return e.wire("Fixed64Type")
	case protowire.BytesType:
		return e.wire("BytesType")
	}
	return e.wire("VarintType")
}

// fixedSize is the encoded size of a fixed-width kind, else 0.
func fixedSize(k protoreflect.Kind) int {
	switch wireType(k) {
	case protowire.Fixed32Type:
		return 4
	case protowire.Fixed64Type:
		return 8
	}
	if k == protoreflect.BoolKind {
		return 1
	}
	return 0
}

// tagBytes is the Go literal list of the bytes of a field's tag.
func tagBytes(num protoreflect.FieldNumber, t protowire.Type) string {
	var s []string
	for _, c := range protowire.AppendTag(nil, num, t) {
		s = append(s, fmt.Sprintf("0x%02x", c))
	}
	return strings.Join(s, ", ")
}

// validatesUTF8 reports whether fd is a string that must hold UTF-8.
func validatesUTF8(fd *protogen.Field) bool {
	return fd.Desc.Kind() == protoreflect.StringKind && fd.Desc.ParentFile().Syntax() == protoreflect.Proto3
}

// fastMessage reports whether fd's message type has generated fast paths.
func (e *emitter) fastMessage(fd *protogen.Field) bool {
	return fd.Message != nil && e.fast(fd.Message)
}

// sizeOf is the encoded size (without the tag) of fd's value v.
func (e *emitter) sizeOf(fd *protogen.Field, v string) string {
	k := fd.Desc.Kind()
	if n := fixedSize(k); n > 0 {
		return fmt.Sprint(n)
	}
	switch k {
	case protoreflect.StringKind, protoreflect.BytesKind:
		return fmt.Sprintf("%s(len(%s))", e.wire("SizeBytes"), v)
	case protoreflect.MessageKind:
		if e.fastMessage(fd) {
			return fmt.Sprintf("%s(%s.SizeGRPC())", e.wire("SizeBytes"), v)
		}
		return fmt.Sprintf("%s(%s(%s))", e.wire("SizeBytes"), e.id(protoPkg, "Size"), v)
	}
	return fmt.Sprintf("%s(%s)", e.wire("SizeVarint"), e.varintOf(k, v))
}

// varintOf is the uint64 a varint kind's value v is encoded as.
func (e *emitter) varintOf(k protoreflect.Kind, v string) string {
	switch k {
	case protoreflect.BoolKind:
		return fmt.Sprintf("%s(%s)", e.wire("EncodeBool"), v)
	case protoreflect.Sint32Kind:
		return fmt.Sprintf("%s(int64(%s))", e.wire("EncodeZigZag"), v)
	case protoreflect.Sint64Kind:
		return fmt.Sprintf("%s(%s)", e.wire("EncodeZigZag"), v)
	case protoreflect.Uint64Kind:
		return v
	}
	return fmt.Sprintf("uint64(%s)", v)
}

// appendOf is the code appending fd's value v (without the tag) to b.
func (e *emitter) appendOf(fd *protogen.Field, v string) []string {
	k := fd.Desc.Kind()
	switch k {
	case protoreflect.Fixed32Kind:
		return []string{fmt.Sprintf("b = %s(b, %s)", e.wire("AppendFixed32"), v)}
	case protoreflect.Sfixed32Kind:
		return []string{fmt.Sprintf("b = %s(b, uint32(%s))", e.wire("AppendFixed32"), v)}
	case protoreflect.FloatKind:
		return []string{fmt.Sprintf("b = %s(b, %s(%s))", e.wire("AppendFixed32"), e.id(mathPkg, "Float32bits"), v)}
	case protoreflect.Fixed64Kind:
		return []string{fmt.Sprintf("b = %s(b, %s)", e.wire("AppendFixed64"), v)}
	case protoreflect.Sfixed64Kind:
		return []string{fmt.Sprintf("b = %s(b, uint64(%s))", e.wire("AppendFixed64"), v)}
	case protoreflect.DoubleKind:
		return []string{fmt.Sprintf("b = %s(b, %s(%s))", e.wire("AppendFixed64"), e.id(mathPkg, "Float64bits"), v)}
	case protoreflect.StringKind:
		var l lines
		if validatesUTF8(fd) {
			l.f("if !%s(%s) {", e.id(utf8Pkg, "ValidString"), v)
			l.f("return b, %s", e.rt("ErrInvalidUTF8"))
			l.f("}")
		}
		l.f("b = %s(b, %s)", e.wire("AppendString"), v)
		return l
	case protoreflect.BytesKind:
		return []string{fmt.Sprintf("b = %s(b, %s)", e.wire("AppendBytes"), v)}
	case protoreflect.MessageKind:
		if e.fastMessage(fd) {
			return []string{
				fmt.Sprintf("b = %s(b, uint64(%s.cachedSizeGRPC()))", e.wire("AppendVarint"), v),
				fmt.Sprintf("if b, err = %s.appendGRPC(b); err != nil {", v),
				"return b, err",
				"}",
			}
		}
		return []string{
			fmt.Sprintf("if b, err = %s(b, %s); err != nil {", e.rt("AppendMessage"), v),
			"return b, err",
			"}",
		}
	}
	return []string{fmt.Sprintf("b = %s(b, %s)", e.wire("AppendVarint"), e.varintOf(k, v))}
}

// present is the condition under which a proto3 field without presence,
// of value v, is encoded: it is not the zero value (a float's -0 is
// encoded, as protobuf-go does).
func (e *emitter) present(fd *protogen.Field, v string) string {
	switch fd.Desc.Kind() {
	case protoreflect.BoolKind:
		return v
	case protoreflect.StringKind, protoreflect.BytesKind:
		return fmt.Sprintf("len(%s) > 0", v)
	case protoreflect.FloatKind, protoreflect.DoubleKind:
		return fmt.Sprintf("%s != 0 || %s(float64(%s))", v, e.id(mathPkg, "Signbit"), v)
	case protoreflect.MessageKind:
		return v + " != nil"
	}
	return v + " != 0"
}

// goType is the Go type of fd's scalar values (for map keys and enums).
func (e *emitter) goType(fd *protogen.Field) string {
	switch fd.Desc.Kind() {
	case protoreflect.BoolKind:
		return "bool"
	case protoreflect.EnumKind:
		return e.g.QualifiedGoIdent(fd.Enum.GoIdent)
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind:
		return "int32"
	case protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
		return "int64"
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind:
		return "uint32"
	case protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		return "uint64"
	case protoreflect.FloatKind:
		return "float32"
	case protoreflect.DoubleKind:
		return "float64"
	case protoreflect.StringKind:
		return "string"
	case protoreflect.BytesKind:
		return "[]byte"
	}
	return "*" + e.g.QualifiedGoIdent(fd.Message.GoIdent)
}

// decodeScalar is the code that consumes a value of fd's scalar kind
// (not a message) from src, which starts with it, and passes its Go value
// to assign; presence tells a bytes value to be non-nil even when empty.
func (e *emitter) decodeScalar(fd *protogen.Field, src string, presence bool, assign func(v string) string) []string {
	var l lines
	k := fd.Desc.Kind()
	var conv string
	switch wireType(k) {
	case protowire.VarintType:
		l.f("u, n := %s(%s)", e.rt("ConsumeVarint"), src)
		switch k {
		case protoreflect.BoolKind:
			conv = "u != 0"
		case protoreflect.Int32Kind:
			conv = "int32(u)"
		case protoreflect.Int64Kind:
			conv = "int64(u)"
		case protoreflect.Uint32Kind:
			conv = "uint32(u)"
		case protoreflect.Uint64Kind:
			conv = "u"
		case protoreflect.Sint32Kind:
			conv = fmt.Sprintf("int32(%s(uint64(uint32(u))))", e.wire("DecodeZigZag"))
		case protoreflect.Sint64Kind:
			conv = fmt.Sprintf("%s(u)", e.wire("DecodeZigZag"))
		case protoreflect.EnumKind:
			conv = fmt.Sprintf("%s(int32(u))", e.goType(fd))
		}
	case protowire.Fixed32Type:
		l.f("u, n := %s(%s)", e.wire("ConsumeFixed32"), src)
		switch k {
		case protoreflect.Fixed32Kind:
			conv = "u"
		case protoreflect.Sfixed32Kind:
			conv = "int32(u)"
		case protoreflect.FloatKind:
			conv = fmt.Sprintf("%s(u)", e.id(mathPkg, "Float32frombits"))
		}
	case protowire.Fixed64Type:
		l.f("u, n := %s(%s)", e.wire("ConsumeFixed64"), src)
		switch k {
		case protoreflect.Fixed64Kind:
			conv = "u"
		case protoreflect.Sfixed64Kind:
			conv = "int64(u)"
		case protoreflect.DoubleKind:
			conv = fmt.Sprintf("%s(u)", e.id(mathPkg, "Float64frombits"))
		}
	case protowire.BytesType:
		l.f("s, n := %s(%s)", e.wire("ConsumeBytes"), src)
		switch {
		case k == protoreflect.StringKind:
			conv = e.rt("Substring") + "(&arena, b0, s)"
		case presence:
			conv = "append([]byte{}, s...)"
		default:
			conv = "append([]byte(nil), s...)"
		}
	}
	l.f("if n < 0 {")
	l.f("return %s", e.rt("ErrMalformed"))
	l.f("}")
	l.f("%s = %s[n:]", src, src)
	if validatesUTF8(fd) {
		l.f("if !%s(s) {", e.id(utf8Pkg, "Valid"))
		l.f("return %s", e.rt("ErrInvalidUTF8"))
		l.f("}")
	}
	l.add(assign(conv))
	return l
}

// consumeBytes is the code that consumes a length-delimited value from
// src into s.
func (e *emitter) consumeBytes(src string) []string { return e.consumeBytesTo("s", src) }

// mergeInto is the code that decodes the message bytes s into target, a
// non-nil message of fd's type, at depth+1.
func (e *emitter) mergeInto(fd *protogen.Field, target string) []string {
	if e.fastMessage(fd) {
		return []string{
			fmt.Sprintf("if err := %s.mergeGRPC(s, depth+1); err != nil {", target),
			"return err",
			"}",
		}
	}
	return []string{
		fmt.Sprintf("if err := %s(s, %s); err != nil {", e.rt("MergeMessage"), target),
		"return err",
		"}",
	}
}
