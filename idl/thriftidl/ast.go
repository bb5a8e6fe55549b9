package thriftidl

import (
	"github.com/ospreyrpc/osprey/idl"
)

// The parser fills in idl nodes directly where it can and keeps what only
// the resolver can settle (type names, constant values, extends) in the
// declarations below, next to the node they complete.

// typeExpr is a type as written: a base type, a container, or a name.
type typeExpr struct {
	kind      idl.Kind // 0 for a name
	name      string   // for a name: "Foo" or "file.Foo"
	key, elem *typeExpr
	annots    idl.Annotations
	pos       idl.Pos
}

// constKind is the syntactic kind of a constant value.
type constKind uint8

const (
	cInt constKind = iota + 1
	cDouble
	cString
	cBool  // true or false
	cIdent // a name: a constant or an enum value
	cList  // [ ... ]
	cMap   // { k: v ... }
)

// constExpr is a constant value as written.
type constExpr struct {
	kind constKind
	text string // source text of numbers, the name, or the decoded string
	i    int64
	d    float64
	b    bool
	list []*constExpr // elements of a list
	keys []*constExpr // keys of a map, parallel to vals
	vals []*constExpr
	pos  idl.Pos
}

// symbol is one named definition of a file.
type symbol struct {
	name    string
	pos     idl.Pos // of the name
	typedef *typedefDecl
	enum    *enumDecl
	strct   *structDecl
	cnst    *constDecl
	svc     *serviceDecl
}

type typedefDecl struct {
	def *idl.Typedef
	typ *typeExpr
}

type enumDecl struct {
	def    *idl.Enum
	values map[string]*idl.EnumValue
}

type fieldDecl struct {
	def     *idl.Field
	typ     *typeExpr
	dflt    *constExpr
	namePos idl.Pos
}

type structDecl struct {
	def    *idl.Struct
	fields []*fieldDecl
}

// Const resolution states, to check each constant once and catch cycles.
const (
	unchecked = iota
	checking
	checked
	failed
)

type constDecl struct {
	def   *idl.Const
	typ   *typeExpr
	val   *constExpr
	state int
	file  *fileAST // the file it is defined in
}

type funcDecl struct {
	def     *idl.Function
	result  *typeExpr // nil for void
	args    []*fieldDecl
	throws  []*fieldDecl
	namePos idl.Pos
	// throwsPos is the position of the throws keyword, if there is one.
	throwsPos idl.Pos
}

type serviceDecl struct {
	def        *idl.Service
	extends    string
	extendsPos idl.Pos
	funcs      []*funcDecl
}

// includeDecl is an include and the file it names, once loaded.
type includeDecl struct {
	def    *idl.Include
	target *fileAST
}

// fileAST is a parsed file: the idl.File plus what the resolver needs.
type fileAST struct {
	file     *idl.File
	includes []*includeDecl
	defs     []*symbol // every definition in source order
	typedefs []*typedefDecl
	consts   []*constDecl
	enums    []*enumDecl
	structs  []*structDecl
	services []*serviceDecl

	// Filled in by the resolver.
	syms map[string]*symbol  // definitions by name
	incs map[string]*fileAST // included files by name
}
