package thriftidl

import (
	"path/filepath"
	"strings"

	"github.com/ospreyrpc/osprey/idl"
)

// maxDepth bounds the nesting of types, constant values and xsd_attrs, so
// that hostile input cannot exhaust the stack.
const maxDepth = 100

// parser turns one file's tokens into a fileAST. It stops at the first
// syntax error (recorded, then unwound with a bailout panic that parse
// recovers); other errors it finds are recorded and parsing goes on.
type parser struct {
	toks  []token
	cmts  []comment
	i     int // index of the current token
	depth int
	f     *fileAST
	sink  *errorSink
}

// bailout unwinds the parser after a syntax error.
type bailout struct{}

// parse parses src, the contents of the file at path. It reports whether
// the file was free of syntax errors.
func parse(path string, src []byte, sink *errorSink) (f *fileAST, ok bool) {
	toks, cmts := lex(path, src)
	name := strings.TrimSuffix(filepath.Base(path), ".thrift")
	p := &parser{toks: toks, cmts: cmts, sink: sink,
		f: &fileAST{file: &idl.File{Path: path, Name: name}}}
	defer func() {
		if r := recover(); r != nil {
			if _, isBailout := r.(bailout); !isBailout {
				panic(r)
			}
			f, ok = p.f, false
		}
	}()
	p.parseDocument()
	return p.f, true
}

func (p *parser) tok() *token { return &p.toks[p.i] }

func (p *parser) at(k tokKind) bool { return p.tok().kind == k }

// next returns the current token and advances, never past the last token.
func (p *parser) next() *token {
	t := p.tok()
	if t.kind == tError {
		p.fail(t.pos, "%s", t.text)
	}
	if p.i < len(p.toks)-1 {
		p.i++
	}
	return t
}

func (p *parser) accept(k tokKind) bool {
	if p.at(k) {
		p.next()
		return true
	}
	return false
}

func (p *parser) expect(k tokKind) *token {
	if !p.at(k) {
		p.unexpected(kindText(k))
	}
	return p.next()
}

// unexpected fails with "expected <what> but found <current token>", or
// with the lexical error the current token carries.
func (p *parser) unexpected(what string) {
	t := p.tok()
	if t.kind == tError {
		p.fail(t.pos, "%s", t.text)
	}
	p.fail(t.pos, "expected %s but found %s", what, t.describe())
}

// fail records a syntax error and abandons the file.
func (p *parser) fail(pos idl.Pos, format string, args ...any) {
	p.sink.errorf(pos, format, args...)
	panic(bailout{})
}

// nest counts one level of nesting; the caller defers p.unnest().
func (p *parser) nest() {
	p.depth++
	if p.depth > maxDepth {
		p.fail(p.tok().pos, "nesting too deep (more than %d levels)", maxDepth)
	}
}

func (p *parser) unnest() { p.depth-- }

// separator skips an optional list separator, ',' or ';'.
func (p *parser) separator() {
	if !p.accept(tComma) {
		p.accept(tSemi)
	}
}

// name parses the name of a definition, enum value or function: an
// identifier without dots, not a keyword.
func (p *parser) name(what string) *token {
	t := p.tok()
	switch {
	case t.kind == tIdent:
		if strings.Contains(t.text, ".") {
			p.sink.errorf(t.pos, "%s %q cannot contain a dot", what, t.text)
		}
		return p.next()
	case t.kind.isKeyword():
		article := "a"
		if strings.ContainsRune("aeiou", rune(what[0])) {
			article = "an"
		}
		p.fail(t.pos, "keyword %q cannot be used as %s %s", t.text, article, what)
	}
	p.unexpected(what)
	return nil
}

// fieldName parses a field name. As in Apache Thrift, keywords are allowed
// here, except those that may follow a field name (xsd_*, cpp_type) and
// true and false.
func (p *parser) fieldName() *token {
	switch t := p.tok(); t.kind {
	case kwXsdAll, kwXsdOptional, kwXsdNillable, kwXsdAttrs, kwCppType, kwTrue, kwFalse:
		p.fail(t.pos, "keyword %q cannot be used as a field name", t.text)
	default:
		if t.kind.isKeyword() {
			return p.next()
		}
	}
	return p.name("field name")
}

// annotations parses an optional annotation list: "(k = "v", k2, ...)".
func (p *parser) annotations() idl.Annotations {
	if !p.accept(tLParen) {
		return nil
	}
	as := idl.Annotations{}
	for !p.accept(tRParen) {
		t := p.tok()
		if t.kind.isKeyword() {
			p.fail(t.pos, "keyword %q cannot be used as an annotation name", t.text)
		}
		if t.kind != tIdent {
			p.unexpected(`annotation name or ")"`)
		}
		p.next()
		a := &idl.Annotation{Key: t.text, Value: "1", Pos: t.pos}
		if p.accept(tAssign) {
			if !p.at(tString) {
				p.unexpected("string literal")
			}
			a.Value = p.next().text
		}
		as = append(as, a)
		p.separator()
	}
	return as
}

// parseDocument parses headers, then definitions, to the end of the file.
func (p *parser) parseDocument() {
	for p.header() {
	}
	for !p.at(tEOF) {
		p.definition()
	}
}

// header parses one include, cpp_include or namespace, if there is one.
func (p *parser) header() bool {
	t := p.tok()
	switch t.kind {
	case kwInclude:
		p.next()
		if !p.at(tString) {
			p.unexpected("file name string")
		}
		inc := &idl.Include{Path: p.next().text, Pos: t.pos}
		p.f.includes = append(p.f.includes, &includeDecl{def: inc})
	case kwCppInclude:
		p.next()
		if !p.at(tString) {
			p.unexpected("file name string")
		}
		p.next()
	case kwNamespace:
		p.next()
		ns := &idl.Namespace{Pos: t.pos}
		switch s := p.tok(); s.kind {
		case tStar, tIdent:
			ns.Scope = p.next().text
		default:
			p.unexpected(`namespace scope (a language such as "go", or "*")`)
		}
		if !p.at(tIdent) {
			p.unexpected("namespace name")
		}
		ns.Name = p.next().text
		ns.Annotations = p.annotations()
		p.f.file.Namespaces = append(p.f.file.Namespaces, ns)
	default:
		return false
	}
	p.separator()
	return true
}

// define records a definition's name for the resolver.
func (p *parser) define(s *symbol) {
	p.f.defs = append(p.f.defs, s)
}

// misplacedHeader fails on a header that follows a definition.
func (p *parser) misplacedHeader(t *token) {
	p.fail(t.pos, "%q must come before all definitions", t.text)
}
