package thriftidl

import (
	"fmt"
	"strconv"

	"github.com/ospreyrpc/osprey/idl"
)

// tokKind is the kind of a token.
type tokKind uint8

const (
	tEOF    tokKind = iota
	tError          // a lexical error; text holds the message
	tIdent          // possibly dotted: a, a.b, a.b.c
	tInt            // integer constant, value in ival
	tDouble         // floating-point constant, value in dval
	tString         // string literal, decoded value in text

	// Punctuation.
	tLBrace // {
	tRBrace // }
	tLParen // (
	tRParen // )
	tLBrack // [
	tRBrack // ]
	tLAngle // <
	tRAngle // >
	tComma  // ,
	tSemi   // ;
	tColon  // :
	tAssign // =
	tStar   // *
	tAmp    // &

	// Keywords.
	kwInclude
	kwCppInclude
	kwNamespace
	kwConst
	kwTypedef
	kwEnum
	kwSenum
	kwStruct
	kwUnion
	kwException
	kwService
	kwExtends
	kwThrows
	kwOneway
	kwAsync
	kwVoid
	kwRequired
	kwOptional
	kwTrue
	kwFalse
	kwBool
	kwByte
	kwI8
	kwI16
	kwI32
	kwI64
	kwDouble
	kwString
	kwBinary
	kwUUID
	kwSlist
	kwMap
	kwSet
	kwList
	kwCppType
	kwXsdAll
	kwXsdOptional
	kwXsdNillable
	kwXsdAttrs
)

// punct maps single-character punctuation to its kind.
var punct = [256]tokKind{
	'{': tLBrace, '}': tRBrace, '(': tLParen, ')': tRParen, '[': tLBrack,
	']': tRBrack, '<': tLAngle, '>': tRAngle, ',': tComma, ';': tSemi,
	':': tColon, '=': tAssign, '*': tStar, '&': tAmp,
}

// keywords are the reserved words of the Thrift grammar, including the
// deprecated ones this parser still accepts (senum, slist, async).
var keywords = map[string]tokKind{
	"include": kwInclude, "cpp_include": kwCppInclude, "namespace": kwNamespace,
	"const": kwConst, "typedef": kwTypedef, "enum": kwEnum, "senum": kwSenum,
	"struct": kwStruct, "union": kwUnion, "exception": kwException,
	"service": kwService, "extends": kwExtends, "throws": kwThrows,
	"oneway": kwOneway, "async": kwAsync, "void": kwVoid,
	"required": kwRequired, "optional": kwOptional, "true": kwTrue,
	"false": kwFalse, "bool": kwBool, "byte": kwByte, "i8": kwI8,
	"i16": kwI16, "i32": kwI32, "i64": kwI64, "double": kwDouble,
	"string": kwString, "binary": kwBinary, "uuid": kwUUID, "slist": kwSlist,
	"map": kwMap, "set": kwSet, "list": kwList, "cpp_type": kwCppType,
	"xsd_all": kwXsdAll, "xsd_optional": kwXsdOptional,
	"xsd_nillable": kwXsdNillable, "xsd_attrs": kwXsdAttrs,
}

// baseKinds maps the base-type keywords to their kinds.
var baseKinds = map[tokKind]idl.Kind{
	kwBool: idl.KindBool, kwByte: idl.KindByte, kwI8: idl.KindByte,
	kwI16: idl.KindI16, kwI32: idl.KindI32, kwI64: idl.KindI64,
	kwDouble: idl.KindDouble, kwString: idl.KindString,
	kwBinary: idl.KindBinary, kwUUID: idl.KindUUID, kwSlist: idl.KindString,
}

func (k tokKind) isKeyword() bool { return k >= kwInclude }

// token is one lexical token. Tokens never span lines.
type token struct {
	kind tokKind
	// text is the source text, except for tString (the decoded value)
	// and tError (the message).
	text string
	ival int64
	dval float64
	pos  idl.Pos
	// cmtLo and cmtHi delimit, in the lexer's comment slice, the comments
	// between the previous token and this one.
	cmtLo, cmtHi int
}

// describe names the token for "expected X but found Y" messages.
func (t *token) describe() string {
	switch t.kind {
	case tEOF:
		return "end of file"
	case tString:
		return "string " + strconv.Quote(t.text)
	}
	return strconv.Quote(t.text)
}

// kindText is how messages spell an expected punctuation or keyword.
func kindText(k tokKind) string {
	for c, pk := range punct {
		if pk == k && k != tEOF {
			return strconv.Quote(string(rune(c)))
		}
	}
	for w, kk := range keywords {
		if kk == k {
			return strconv.Quote(w)
		}
	}
	return fmt.Sprintf("token %d", k)
}
