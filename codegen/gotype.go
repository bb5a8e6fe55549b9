package codegen

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ospreyrpc/osprey/idl"
)

// fileGen generates the files of one IDL file.
type fileGen struct {
	*gen
	file *idl.File
	pkg  *goPkg
	*printer
	scaffoldModule string // the new project's module, when scaffolding
}

// qual returns the Go name of a definition of file f, qualified if f is in
// another package.
func (fg *fileGen) qual(f *idl.File, def any) string {
	return fg.Q(fg.pkgs[f].path, fg.name(def))
}

// thrift qualifies an identifier of the thrift runtime package.
func (fg *fileGen) thrift(ident string) string { return fg.Q(pkgThrift, ident) }

// goType returns the Go type of values of t in fields and containers.
func (fg *fileGen) goType(t *idl.Type) string {
	switch t.Kind {
	case idl.KindBool:
		return "bool"
	case idl.KindByte:
		return "int8"
	case idl.KindI16:
		return "int16"
	case idl.KindI32:
		return "int32"
	case idl.KindI64:
		return "int64"
	case idl.KindDouble:
		return "float64"
	case idl.KindString:
		return "string"
	case idl.KindBinary:
		return "[]byte"
	case idl.KindUUID:
		return fg.thrift("UUID")
	case idl.KindList, idl.KindSet:
		return "[]" + fg.goType(t.Elem)
	case idl.KindMap:
		if entryMap(t) {
			return "[]" + fg.thrift("MapEntry") + "[" + fg.goType(t.Key) + ", " + fg.goType(t.Elem) + "]"
		}
		return "map[" + fg.keyType(t.Key) + "]" + fg.goType(t.Elem)
	case idl.KindEnum:
		return fg.qual(t.Enum.File, t.Enum)
	case idl.KindStruct:
		return "*" + fg.qual(t.Struct.File, t.Struct)
	case idl.KindTypedef:
		name := fg.qual(t.Typedef.File, t.Typedef)
		if t.True().Kind == idl.KindStruct {
			return "*" + name
		}
		return name
	}
	panic(fmt.Sprintf("codegen: unknown type kind %v", t.Kind))
}

// valueType is goType without the pointer of a struct: the type to
// allocate.
func (fg *fileGen) valueType(t *idl.Type) string {
	return strings.TrimPrefix(fg.goType(t), "*")
}

// entryMap reports whether a map type is represented as a []MapEntry
// because its key type cannot be a Go map key.
func entryMap(t *idl.Type) bool {
	t = t.True()
	if t.Kind != idl.KindMap {
		return false
	}
	switch t.Key.True().Kind {
	case idl.KindList, idl.KindSet, idl.KindMap:
		return true
	}
	return false
}

// keyType returns the Go type of map keys of type t: binary becomes string,
// and structs key by pointer.
func (fg *fileGen) keyType(t *idl.Type) string {
	if t.True().Kind == idl.KindBinary {
		return "string"
	}
	return fg.goType(t)
}

// isScalar reports whether t's Go form has no nil: optional fields of such
// types are pointers.
func isScalar(t *idl.Type) bool {
	switch t.True().Kind {
	case idl.KindBinary, idl.KindList, idl.KindSet, idl.KindMap, idl.KindStruct:
		return false
	}
	return true
}

// optional reports whether a field is optional: declared so, or a member
// of a union, where every field is optional and at most one is set.
func (g *gen) optional(f *idl.Field) bool {
	return f.Requiredness == idl.Optional || g.unionMembers[f]
}

// nilable reports whether a field's Go form can be nil, which then means
// "not set": optional fields, and struct fields of any requiredness.
func (g *gen) nilable(f *idl.Field) bool {
	return g.optional(f) || f.Type.True().Kind == idl.KindStruct
}

// fieldType returns the Go type of a struct field.
func (fg *fileGen) fieldType(f *idl.Field) string {
	if fg.optional(f) && isScalar(f.Type) {
		return "*" + fg.goType(f.Type)
	}
	return fg.goType(f.Type)
}

// constIsGoConst reports whether a constant of type t can be a Go const.
func constIsGoConst(t *idl.Type) bool {
	switch t.True().Kind {
	case idl.KindBool, idl.KindByte, idl.KindI16, idl.KindI32, idl.KindI64,
		idl.KindDouble, idl.KindString, idl.KindEnum:
		return true
	}
	return false
}

// literal returns a Go expression for the constant v of type t.
func (fg *fileGen) literal(t *idl.Type, v *idl.Value) string {
	tt := t.True()
	switch tt.Kind {
	case idl.KindBool:
		return strconv.FormatBool(v.Bool)
	case idl.KindByte, idl.KindI16, idl.KindI32, idl.KindI64:
		return strconv.FormatInt(v.Int, 10)
	case idl.KindDouble:
		s := strconv.FormatFloat(v.Double, 'g', -1, 64)
		if !strings.ContainsAny(s, ".eEnN") {
			s += ".0"
		}
		return s
	case idl.KindString:
		return strconv.Quote(v.String)
	case idl.KindBinary:
		return "[]byte(" + strconv.Quote(v.String) + ")"
	case idl.KindUUID:
		u, err := parseUUID(v.String)
		if err != nil {
			panic(err)
		}
		parts := make([]string, 16)
		for i, b := range u {
			parts[i] = fmt.Sprintf("%#02x", b)
		}
		return fg.goType(t) + "{" + strings.Join(parts, ", ") + "}"
	case idl.KindEnum:
		if v.EnumValue != nil {
			return fg.qual(v.EnumValue.Enum.File, v.EnumValue)
		}
		return fg.goType(t) + "(" + strconv.FormatInt(v.Int, 10) + ")"
	case idl.KindList, idl.KindSet:
		elems := make([]string, len(v.List))
		for i, e := range v.List {
			elems[i] = fg.literal(tt.Elem, e)
		}
		return fg.goType(t) + "{" + strings.Join(elems, ", ") + "}"
	case idl.KindMap:
		entries := make([]string, len(v.Map))
		for i, e := range v.Map {
			k := fg.literal(tt.Key, e.Key)
			if tt.Key.True().Kind == idl.KindBinary {
				k = strconv.Quote(e.Key.String)
			}
			if entryMap(tt) {
				entries[i] = "{Key: " + k + ", Value: " + fg.literal(tt.Elem, e.Value) + "}"
			} else {
				entries[i] = k + ": " + fg.literal(tt.Elem, e.Value)
			}
		}
		return fg.goType(t) + "{" + strings.Join(entries, ", ") + "}"
	case idl.KindStruct:
		fields := make([]string, len(v.Fields))
		for i, fv := range v.Fields {
			val := fg.literal(fv.Field.Type, fv.Value)
			if fg.optional(fv.Field) && isScalar(fv.Field.Type) {
				val = fg.thrift("Ptr") + "[" + fg.goType(fv.Field.Type) + "](" + val + ")"
			}
			fields[i] = fg.fieldName(tt.Struct, fv.Field) + ": " + val
		}
		return "&" + fg.valueType(t) + "{" + strings.Join(fields, ", ") + "}"
	}
	panic(fmt.Sprintf("codegen: no literal for %v", t))
}

// parseUUID parses the canonical uuid form the parser stores.
func parseUUID(s string) ([16]byte, error) {
	var u [16]byte
	h := strings.ReplaceAll(strings.Trim(s, "{}"), "-", "")
	if len(h) != 32 {
		return u, fmt.Errorf("codegen: malformed uuid %q", s)
	}
	for i := range u {
		b, err := strconv.ParseUint(h[2*i:2*i+2], 16, 8)
		if err != nil {
			return u, fmt.Errorf("codegen: malformed uuid %q", s)
		}
		u[i] = byte(b)
	}
	return u, nil
}
