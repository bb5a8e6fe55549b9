package codegen

import (
	"go/token"
	"strings"
	"unicode"
	"unicode/utf8"
)

// nameSet records identifiers in use in one scope.
type nameSet map[string]bool

// claim returns name, or name with underscores appended until it is free,
// and marks the result taken.
func (s nameSet) claim(name string) string {
	for s[name] {
		name += "_"
	}
	s[name] = true
	return name
}

// exported turns an IDL name into an exported Go name by the rule Apache
// Thrift's Go generator and Kitex's thriftgo share (docs/codegen-names.md):
// the name is split at underscores; the first word's first letter is
// upper-cased; a later word that starts with a lower-case letter is joined
// with its first letter upper-cased, and any other word keeps the
// underscore before it ("string_thing" becomes "StringThing",
// "TYPE_ORDER" stays "TYPE_ORDER", "field_1" becomes "Field_1"). A name
// that would not start with an upper-case letter gets an "X" in front.
func exported(name string) string {
	words := strings.Split(sanitize(name), "_")
	var b strings.Builder
	for i, w := range words {
		r, size := utf8.DecodeRuneInString(w)
		switch {
		case w == "":
			b.WriteByte('_')
		case i == 0 || unicode.IsLower(r):
			b.WriteRune(unicode.ToUpper(r))
			b.WriteString(w[size:])
		default:
			b.WriteByte('_')
			b.WriteString(w)
		}
	}
	s := b.String()
	if r, _ := utf8.DecodeRuneInString(s); !unicode.IsUpper(r) {
		s = "X" + s
	}
	return s
}

// unexported turns an IDL name into a Go parameter name: camel case with a
// lower-case first letter, never a keyword or a predeclared identifier the
// generated code uses.
func unexported(name string) string {
	s := exported(name)
	r := []rune(s)
	// Lower the leading run of capitals: "URLPath" -> "urlPath", "ID" -> "id".
	for i := range r {
		if !unicode.IsUpper(r[i]) || (i > 0 && i+1 < len(r) && unicode.IsLower(r[i+1])) {
			break
		}
		r[i] = unicode.ToLower(r[i])
	}
	s = string(r)
	if isGoKeyword(s) || reservedParams[s] {
		s += "_"
	}
	return s
}

// reservedParams are names generated method bodies use.
var reservedParams = map[string]bool{
	"ctx": true, "c": true, "args": true, "res": true, "err": true, "impl": true,
	"result": true, "p": true, "error": true, "string": true, "any": true,
}

// sanitize replaces characters that cannot appear in a Go identifier.
func sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return '_'
	}, s)
}

func isGoKeyword(s string) bool { return token.IsKeyword(s) }

// fileBase turns an IDL file name into the prefix of its generated files.
func fileBase(name string) string { return strings.ToLower(sanitize(name)) }
