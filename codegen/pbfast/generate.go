package pbfast

import (
	"slices"

	"google.golang.org/protobuf/compiler/protogen"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/gofeaturespb"
)

const (
	protowirePkg = protogen.GoImportPath("google.golang.org/protobuf/encoding/protowire")
	protoPkg     = protogen.GoImportPath("google.golang.org/protobuf/proto")
	pbrtPkg      = protogen.GoImportPath("github.com/ospreyrpc/osprey/protocol/pbrt")
	mathPkg      = protogen.GoImportPath("math")
	utf8Pkg      = protogen.GoImportPath("unicode/utf8")
	slicesPkg    = protogen.GoImportPath("slices")
	atomicPkg    = protogen.GoImportPath("sync/atomic")
)

// Generate emits SizeGRPC, MarshalGRPC and UnmarshalGRPC (and their
// unexported helpers) into g for every message of f, nested ones
// included, map entries excluded. g must be a file of f's Go package; the
// caller writes its header and package clause.
func Generate(g *protogen.GeneratedFile, f *protogen.File) {
	e := &emitter{g: g, file: f}
	for _, m := range allMessages(f.Messages) {
		if m.Desc.IsMapEntry() {
			continue
		}
		if e.fast(m) {
			e.message(m)
		} else {
			e.delegate(m)
		}
	}
}

// allMessages lists ms and the messages nested in them, depth first.
func allMessages(ms []*protogen.Message) []*protogen.Message {
	var all []*protogen.Message
	for _, m := range ms {
		all = append(all, m)
		all = append(all, allMessages(m.Messages)...)
	}
	return all
}

// emitter writes one file's methods.
type emitter struct {
	g    *protogen.GeneratedFile
	file *protogen.File
}

// id returns the qualified name of name in package p, importing p.
func (e *emitter) id(p protogen.GoImportPath, name string) string {
	return e.g.QualifiedGoIdent(p.Ident(name))
}

func (e *emitter) wire(name string) string { return e.id(protowirePkg, name) }
func (e *emitter) rt(name string) string   { return e.id(pbrtPkg, name) }

// fast reports whether m gets generated fast paths: it is declared in the
// file being generated and uses only what the generator supports.
func (e *emitter) fast(m *protogen.Message) bool {
	return m.Desc.ParentFile().Path() == e.file.Desc.Path() && supported(m)
}

// supported reports whether the generator handles everything m uses.
func supported(m *protogen.Message) bool {
	switch m.Desc.ParentFile().Syntax() {
	case protoreflect.Proto2, protoreflect.Proto3:
	default:
		return false // editions: features such as delimited encoding
	}
	if m.APILevel != gofeaturespb.GoFeatures_API_OPEN || m.Desc.ExtensionRanges().Len() > 0 {
		return false
	}
	if opts, ok := m.Desc.Options().(*descriptorpb.MessageOptions); ok && opts.GetMessageSetWireFormat() {
		return false
	}
	for _, fd := range m.Fields {
		if fd.Desc.Kind() == protoreflect.GroupKind {
			return false
		}
		if fd.Desc.IsMap() && fd.Message.Fields[1].Desc.Kind() == protoreflect.GroupKind {
			return false
		}
	}
	return true
}

// needsInitCheck reports whether a message of type md can lack a required
// field: md or a message reachable from its fields has required fields
// (or extensions, which may).
func needsInitCheck(md protoreflect.MessageDescriptor) bool {
	seen := map[protoreflect.FullName]bool{}
	var walk func(md protoreflect.MessageDescriptor) bool
	walk = func(md protoreflect.MessageDescriptor) bool {
		if seen[md.FullName()] {
			return false
		}
		seen[md.FullName()] = true
		if md.RequiredNumbers().Len() > 0 || md.ExtensionRanges().Len() > 0 {
			return true
		}
		fields := md.Fields()
		for i := range fields.Len() {
			if sub := fields.Get(i).Message(); sub != nil && walk(sub) {
				return true
			}
		}
		return false
	}
	return walk(md)
}

// byNumber returns m's fields in field-number order.
func byNumber(m *protogen.Message) []*protogen.Field {
	fields := slices.Clone(m.Fields)
	slices.SortFunc(fields, func(a, b *protogen.Field) int {
		return int(a.Desc.Number()) - int(b.Desc.Number())
	})
	return fields
}

// encodingOrder returns m's fields outside real oneofs in field-number
// order and m's real oneofs in declaration order: protobuf-go encodes
// those fields first, then the oneofs (the order of the historic
// github.com/golang/protobuf output).
func encodingOrder(m *protogen.Message) ([]*protogen.Field, []*protogen.Oneof) {
	var fields []*protogen.Field
	for _, fd := range byNumber(m) {
		if !inOneof(fd) {
			fields = append(fields, fd)
		}
	}
	var oneofs []*protogen.Oneof
	for _, o := range m.Oneofs {
		if !o.Desc.IsSynthetic() {
			oneofs = append(oneofs, o)
		}
	}
	return fields, oneofs
}

// inOneof reports whether fd is a member of a real (not synthetic) oneof.
func inOneof(fd *protogen.Field) bool {
	return fd.Oneof != nil && !fd.Oneof.Desc.IsSynthetic()
}

// delegate emits methods that hand the whole message to protobuf-go.
func (e *emitter) delegate(m *protogen.Message) {
	g, name := e.g, m.GoIdent.GoName
	g.P("// SizeGRPC returns the size of x's protobuf encoding (through protobuf-go:")
	g.P("// ", m.Desc.Name(), " uses what Osprey's fast paths do not support).")
	g.P("func (x *", name, ") SizeGRPC() int {")
	g.P("return ", e.id(protoPkg, "Size"), "(x)")
	g.P("}")
	g.P()
	g.P("// MarshalGRPC appends x's deterministic protobuf encoding to dst.")
	g.P("func (x *", name, ") MarshalGRPC(dst []byte) ([]byte, error) {")
	g.P("return ", e.id(protoPkg, "MarshalOptions"), "{Deterministic: true}.MarshalAppend(dst, x)")
	g.P("}")
	g.P()
	g.P("// UnmarshalGRPC resets x and decodes b into it; x keeps no reference to b.")
	g.P("func (x *", name, ") UnmarshalGRPC(b []byte) error {")
	g.P("return ", e.id(protoPkg, "Unmarshal"), "(b, x)")
	g.P("}")
	g.P()
}

// message emits the fast paths of m.
func (e *emitter) message(m *protogen.Message) {
	g, name := e.g, m.GoIdent.GoName
	check := needsInitCheck(m.Desc)
	fields, oneofs := encodingOrder(m)

	g.P("// SizeGRPC returns the size of x's protobuf encoding and caches it in x")
	g.P("// (and each message it holds) for MarshalGRPC.")
	g.P("func (x *", name, ") SizeGRPC() int {")
	g.P("if x == nil {")
	g.P("return 0")
	g.P("}")
	g.P("n := 0")
	for _, fd := range fields {
		e.emit(e.sizeField(fd))
	}
	for _, o := range oneofs {
		e.emit(e.sizeOneof(o))
	}
	g.P("n += len(x.unknownFields)")
	g.P(e.id(atomicPkg, "StoreInt32"), "(&x.sizeCache, int32(n))")
	g.P("return n")
	g.P("}")
	g.P()

	g.P("// cachedSizeGRPC returns the size SizeGRPC last computed.")
	g.P("func (x *", name, ") cachedSizeGRPC() int {")
	g.P("if x == nil {")
	g.P("return 0")
	g.P("}")
	g.P("return int(", e.id(atomicPkg, "LoadInt32"), "(&x.sizeCache))")
	g.P("}")
	g.P()

	g.P("// MarshalGRPC appends x's protobuf encoding to dst, growing it once: the")
	g.P("// bytes proto.MarshalOptions{Deterministic: true} produces.")
	g.P("func (x *", name, ") MarshalGRPC(dst []byte) ([]byte, error) {")
	if check {
		g.P("if err := ", e.id(protoPkg, "CheckInitialized"), "(x); err != nil {")
		g.P("return dst, err")
		g.P("}")
	}
	g.P("n := x.SizeGRPC()")
	g.P("b, err := x.appendGRPC(", e.id(slicesPkg, "Grow"), "(dst, n))")
	g.P("if err != nil {")
	g.P("return dst, err")
	g.P("}")
	g.P("if len(b)-len(dst) != n {")
	g.P("return dst, ", e.rt("ErrSizeChanged"))
	g.P("}")
	g.P("return b, nil")
	g.P("}")
	g.P()

	var body lines
	for _, fd := range fields {
		body.add(e.appendField(fd)...)
	}
	for _, o := range oneofs {
		body.add(e.appendOneof(o)...)
	}
	g.P("// appendGRPC appends x's encoding to b, with the sizes SizeGRPC cached.")
	g.P("func (x *", name, ") appendGRPC(b []byte) ([]byte, error) {")
	g.P("if x == nil {")
	g.P("return b, nil")
	g.P("}")
	if body.usesErr() {
		g.P("var err error")
	}
	e.emit(body)
	g.P("b = append(b, x.unknownFields...)")
	g.P("return b, nil")
	g.P("}")
	g.P()

	g.P("// UnmarshalGRPC resets x and decodes b into it; x keeps no reference to b.")
	g.P("func (x *", name, ") UnmarshalGRPC(b []byte) error {")
	g.P("x.Reset()")
	if check {
		g.P("if err := x.mergeGRPC(b, 0); err != nil {")
		g.P("return err")
		g.P("}")
		g.P("return ", e.id(protoPkg, "CheckInitialized"), "(x)")
	} else {
		g.P("return x.mergeGRPC(b, 0)")
	}
	g.P("}")
	g.P()
	e.merge(m, byNumber(m))
}

// emit writes body's lines.
func (e *emitter) emit(body lines) {
	for _, l := range body {
		e.g.P(l)
	}
}
