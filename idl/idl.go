package idl

import (
	"fmt"
	"strings"

	"github.com/ospreyrpc/osprey/service"
)

// Pos is a position in a source file.
type Pos struct {
	// File is the path the parser read the file from.
	File string
	// Line and Col count from 1; Col counts bytes.
	Line, Col int
}

// String formats p as "file:line:col".
func (p Pos) String() string { return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col) }

// Program is a root file and every file it includes, directly or not.
type Program struct {
	// Root is the file the parser was asked for.
	Root *File
	// Files holds each file once, every file after the files it includes;
	// Root is last.
	Files []*File
}

// File is one IDL file.
type File struct {
	// Path is the path the file was read from.
	Path string
	// Name is the base name without its extension, such as "ThriftTest":
	// the prefix other files use for this file's definitions.
	Name       string
	Namespaces []*Namespace
	Includes   []*Include
	Typedefs   []*Typedef
	Consts     []*Const
	Enums      []*Enum
	// Structs holds structs, unions and exceptions in source order.
	Structs  []*Struct
	Services []*Service
}

// Namespace returns the namespace declared for scope (such as "go"), if
// there is one.
func (f *File) Namespace(scope string) (string, bool) {
	for _, n := range f.Namespaces {
		if n.Scope == scope {
			return n.Name, true
		}
	}
	return "", false
}

// Namespace is a namespace declaration: "namespace go a.b".
type Namespace struct {
	Scope       string
	Name        string
	Annotations Annotations
	Pos         Pos
}

// Include is an include declaration.
type Include struct {
	// Path is the path as written in the include.
	Path string
	// File is the included file.
	File *File
	Pos  Pos
}

// Annotation is one "key = value" pair of an annotation list. A key written
// without a value has the value "1", as in Apache Thrift.
type Annotation struct {
	Key, Value string
	Pos        Pos
}

// Annotations are annotations in source order; a key may repeat.
type Annotations []*Annotation

// Get returns the value of the last annotation with key.
func (a Annotations) Get(key string) (string, bool) {
	for i := len(a) - 1; i >= 0; i-- {
		if a[i].Key == key {
			return a[i].Value, true
		}
	}
	return "", false
}

// Kind is the kind of a Type.
type Kind uint8

// The kinds of types.
const (
	KindBool Kind = iota + 1
	KindByte      // i8 and byte
	KindI16
	KindI32
	KindI64
	KindDouble
	KindString
	KindBinary
	KindUUID
	KindList
	KindSet
	KindMap
	KindEnum
	KindStruct // struct, union or exception
	KindTypedef
)

var kindNames = [...]string{
	KindBool: "bool", KindByte: "i8", KindI16: "i16", KindI32: "i32",
	KindI64: "i64", KindDouble: "double", KindString: "string",
	KindBinary: "binary", KindUUID: "uuid", KindList: "list", KindSet: "set",
	KindMap: "map", KindEnum: "enum", KindStruct: "struct", KindTypedef: "typedef",
}

// String returns the kind's IDL spelling, such as "i32" or "map".
func (k Kind) String() string {
	if int(k) < len(kindNames) && kindNames[k] != "" {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", k)
}

// IsBase reports whether k is a base type: a number, bool, string, binary
// or uuid.
func (k Kind) IsBase() bool { return k >= KindBool && k <= KindUUID }

// Type is a type as used by a field, argument, result, constant or typedef.
type Type struct {
	Kind Kind
	// Key is the key type of a map.
	Key *Type
	// Elem is the element type of a list or set and the value type of a map.
	Elem *Type
	// Enum, Struct or Typedef is the named definition for those kinds.
	Enum    *Enum
	Struct  *Struct
	Typedef *Typedef
	// Annotations are those written after the type, as in
	// "list<i32> (cpp.template = "std::deque")".
	Annotations Annotations
	Pos         Pos
}

// True returns t with typedefs followed to the type they name.
func (t *Type) True() *Type {
	for t.Kind == KindTypedef {
		t = t.Typedef.Type
	}
	return t
}

// String returns the type as the IDL would spell it, such as
// "map<string,Bonk>" or "shared.Id" for a name from another file.
func (t *Type) String() string {
	var b strings.Builder
	t.format(&b)
	return b.String()
}

func (t *Type) format(b *strings.Builder) {
	switch t.Kind {
	case KindList, KindSet:
		b.WriteString(t.Kind.String() + "<")
		t.Elem.format(b)
		b.WriteString(">")
	case KindMap:
		b.WriteString("map<")
		t.Key.format(b)
		b.WriteString(",")
		t.Elem.format(b)
		b.WriteString(">")
	case KindEnum:
		b.WriteString(t.Enum.File.Name + "." + t.Enum.Name)
	case KindStruct:
		b.WriteString(t.Struct.File.Name + "." + t.Struct.Name)
	case KindTypedef:
		b.WriteString(t.Typedef.File.Name + "." + t.Typedef.Name)
	default:
		b.WriteString(t.Kind.String())
	}
}

// Typedef is "typedef Type Name".
type Typedef struct {
	Name        string
	Type        *Type
	Doc         string
	Annotations Annotations
	File        *File
	Pos         Pos
}

// Enum is an enum definition.
type Enum struct {
	Name string
	// Values in source order, with implicit values filled in.
	Values      []*EnumValue
	Doc         string
	Annotations Annotations
	File        *File
	Pos         Pos
}

// EnumValue is one named value of an enum.
type EnumValue struct {
	Name        string
	Value       int32
	Doc         string
	Annotations Annotations
	Enum        *Enum
	Pos         Pos
}

// StructKind tells a struct, a union and an exception apart.
type StructKind uint8

// The kinds of structs.
const (
	PlainStruct StructKind = iota
	UnionStruct
	ExceptionStruct
)

// String returns "struct", "union" or "exception".
func (k StructKind) String() string {
	switch k {
	case UnionStruct:
		return "union"
	case ExceptionStruct:
		return "exception"
	}
	return "struct"
}

// Struct is a struct, union or exception definition.
type Struct struct {
	Name        string
	Kind        StructKind
	Fields      []*Field
	Doc         string
	Annotations Annotations
	File        *File
	Pos         Pos
}

// Requiredness is a field's requiredness.
type Requiredness uint8

// The requiredness levels. Default is what a field without "required" or
// "optional" has: written always, not required when read.
const (
	Default Requiredness = iota
	Required
	Optional
)

// String returns "default", "required" or "optional".
func (r Requiredness) String() string {
	switch r {
	case Required:
		return "required"
	case Optional:
		return "optional"
	}
	return "default"
}

// Field is a field of a struct, or an argument or declared exception of a
// function.
type Field struct {
	// ID is the field id. Fields written without one get negative ids
	// -1, -2, ... in source order, as Apache Thrift assigns them.
	ID int16
	// ImplicitID reports whether ID was assigned rather than written.
	ImplicitID   bool
	Name         string
	Type         *Type
	Requiredness Requiredness
	// Default is the default value, or nil if none is written.
	Default     *Value
	Doc         string
	Annotations Annotations
	Pos         Pos
}

// Const is a constant definition.
type Const struct {
	Name        string
	Type        *Type
	Value       *Value
	Doc         string
	Annotations Annotations
	File        *File
	Pos         Pos
}

// ValueKind is the kind of a Value.
type ValueKind uint8

// The kinds of values. A Value's kind follows from the type it was checked
// against: bool types get ValueBool, integer and enum types ValueInt,
// double ValueDouble, string, binary and uuid ValueString, list and set
// ValueList, map ValueMap, and structs ValueStruct.
const (
	ValueBool ValueKind = iota + 1
	ValueInt
	ValueDouble
	ValueString
	ValueList
	ValueMap
	ValueStruct
)

// Value is a constant value, already checked against the type it is used as.
type Value struct {
	Kind   ValueKind
	Bool   bool
	Int    int64
	Double float64
	String string
	// List holds the elements of a list or set.
	List []*Value
	// Map holds the entries of a map in source order.
	Map []*MapEntry
	// Fields holds the fields a struct value sets, in source order.
	Fields []*FieldValue
	// Const is the constant this value was written as a reference to, if
	// it was; the other fields then hold a copy of that constant's value.
	Const *Const
	// EnumValue is the enum value this integer names, if it names one.
	EnumValue *EnumValue
	Pos       Pos
}

// MapEntry is one entry of a map value.
type MapEntry struct {
	Key, Value *Value
}

// FieldValue is one field set by a struct value.
type FieldValue struct {
	Field *Field
	Value *Value
}

// Service is a service definition.
type Service struct {
	Name string
	// Extends is the service this one extends, or nil.
	Extends *Service
	// Functions are the service's own functions in source order; inherited
	// ones are reached through Extends.
	Functions   []*Function
	Doc         string
	Annotations Annotations
	File        *File
	Pos         Pos
}

// AllFunctions returns the service's functions followed by those it
// inherits, nearest ancestor first.
func (s *Service) AllFunctions() []*Function {
	var fs []*Function
	for ; s != nil; s = s.Extends {
		fs = append(fs, s.Functions...)
	}
	return fs
}

// Function is a function of a service.
type Function struct {
	Name   string
	Oneway bool
	// Streaming is how the function's messages flow: service.Unary for
	// Thrift; Kitex's "streaming.mode" annotation and protobuf's "stream"
	// keyword set the others.
	Streaming service.Kind
	// Result is the return type, or nil for void.
	Result *Type
	Args   []*Field
	// Throws are the declared exceptions; each has a Struct type of kind
	// ExceptionStruct.
	Throws      []*Field
	Doc         string
	Annotations Annotations
	Service     *Service
	Pos         Pos
}
