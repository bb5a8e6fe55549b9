package codegen

import (
	"go/token"
	"strings"
	"unicode"
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

// exported turns an IDL name into an exported Go name the way Apache
// Thrift's Go generator does: the first letter upper-cased, and each
// underscore dropped with the letter after it upper-cased
// ("string_thing" becomes "StringThing", "errorCode" "ErrorCode").
func exported(name string) string {
	name = sanitize(name)
	var b strings.Builder
	upper := true
	for i, r := range name {
		switch {
		case r == '_' && i > 0 && i < len(name)-1:
			upper = true
		case upper:
			b.WriteRune(unicode.ToUpper(r))
			upper = false
		default:
			b.WriteRune(r)
		}
	}
	s := b.String()
	if s == "" || !unicode.IsLetter(rune(s[0])) {
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
