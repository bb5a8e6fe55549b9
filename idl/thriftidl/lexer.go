package thriftidl

import (
	"bytes"
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/ospreyrpc/osprey/idl"
)

// comment is one comment of the source, kept for doc comments.
type comment struct {
	// text is the comment including its markers, without a trailing '\r'.
	text      string
	block     bool // /* */ rather than // or #
	line, col int  // where it starts
	endLine   int  // the line it ends on
}

// lexer splits a file into tokens and comments in one linear pass. It stops
// at the first lexical error, which becomes a tError token.
type lexer struct {
	src       []byte
	file      string
	off       int
	line      int
	lineStart int // offset of the current line's first byte
	toks      []token
	cmts      []comment
	cmtLo     int // first comment since the last token
}

// lex tokenizes src; the last token is tEOF or tError.
func lex(file string, src []byte) ([]token, []comment) {
	// Most files have a token every few bytes; presizing saves regrowth.
	l := &lexer{src: src, file: file, line: 1, toks: make([]token, 0, len(src)/5+1)}
	if bytes.HasPrefix(src, []byte("\xef\xbb\xbf")) { // UTF-8 byte order mark
		l.off, l.lineStart = 3, 3
	}
	for l.next() {
	}
	return l.toks, l.cmts
}

func (l *lexer) pos(off int) idl.Pos {
	return idl.Pos{File: l.file, Line: l.line, Col: off - l.lineStart + 1}
}

func (l *lexer) peekByte(off int) byte {
	if off < len(l.src) {
		return l.src[off]
	}
	return 0
}

func (l *lexer) emit(t token) {
	t.cmtLo, t.cmtHi = l.cmtLo, len(l.cmts)
	l.cmtLo = len(l.cmts)
	l.toks = append(l.toks, t)
}

// fail emits an error token; lexing stops.
func (l *lexer) fail(pos idl.Pos, format string, args ...any) bool {
	l.emit(token{kind: tError, text: fmt.Sprintf(format, args...), pos: pos})
	return false
}

// next lexes one token (after whitespace and comments) and reports whether
// to go on.
func (l *lexer) next() bool {
	if !l.skipSpaceAndComments() {
		return false
	}
	if l.off >= len(l.src) {
		l.emit(token{kind: tEOF, pos: l.pos(l.off)})
		return false
	}
	start := l.off
	c := l.src[start]
	switch {
	case isLetter(c):
		return l.ident()
	case isDigit(c), c == '.' && isDigit(l.peekByte(start+1)),
		(c == '+' || c == '-') && (isDigit(l.peekByte(start+1)) ||
			l.peekByte(start+1) == '.' && isDigit(l.peekByte(start+2))):
		return l.number()
	case c == '"' || c == '\'':
		return l.stringLit()
	case punct[c] != tEOF:
		l.off++
		l.emit(token{kind: punct[c], text: string(l.src[start:l.off]), pos: l.pos(start)})
		return true
	}
	r, size := utf8.DecodeRune(l.src[start:])
	if r == utf8.RuneError && size == 1 {
		return l.fail(l.pos(start), "unexpected byte 0x%02x", c)
	}
	return l.fail(l.pos(start), "unexpected character %q", r)
}

// skipSpaceAndComments advances past whitespace and comments, recording
// the comments. It reports false after emitting an error token.
func (l *lexer) skipSpaceAndComments() bool {
	for l.off < len(l.src) {
		switch c := l.src[l.off]; {
		case c == '\n':
			l.off++
			l.line++
			l.lineStart = l.off
		case c == ' ' || c == '\t' || c == '\r':
			l.off++
		case c == '#' || c == '/' && l.peekByte(l.off+1) == '/':
			start := l.off
			end := bytes.IndexByte(l.src[start:], '\n')
			if end < 0 {
				end = len(l.src)
			} else {
				end += start
			}
			l.off = end
			text := bytes.TrimSuffix(l.src[start:end], []byte("\r"))
			p := l.pos(start)
			l.cmts = append(l.cmts, comment{text: string(text), line: p.Line, col: p.Col, endLine: p.Line})
		case c == '/' && l.peekByte(l.off+1) == '*':
			if !l.blockComment() {
				return false
			}
		default:
			return true
		}
	}
	return true
}

func (l *lexer) blockComment() bool {
	start := l.off
	p := l.pos(start)
	n := bytes.Index(l.src[start+2:], []byte("*/"))
	if n < 0 {
		return l.fail(p, "unterminated comment")
	}
	end := start + 2 + n + 2
	for i := start; i < end; i++ {
		if l.src[i] == '\n' {
			l.line++
			l.lineStart = i + 1
		}
	}
	l.off = end
	l.cmts = append(l.cmts, comment{text: string(l.src[start:end]), block: true, line: p.Line, col: p.Col, endLine: l.line})
	return true
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isHex(c byte) bool    { return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

// ident lexes an identifier: a letter or '_', then letters, digits, '_',
// and dots each followed by one of those (so "a.b" but not "a." or "a..b").
func (l *lexer) ident() bool {
	start := l.off
	l.off++
	for l.off < len(l.src) {
		c := l.src[l.off]
		if isLetter(c) || isDigit(c) {
			l.off++
		} else if c == '.' && (isLetter(l.peekByte(l.off+1)) || isDigit(l.peekByte(l.off+1))) {
			l.off += 2
		} else {
			break
		}
	}
	text := string(l.src[start:l.off])
	kind := tIdent
	if k, ok := keywords[text]; ok {
		kind = k
	}
	l.emit(token{kind: kind, text: text, pos: l.pos(start)})
	return true
}

// number lexes an integer ([+-]digits, [+-]0xhex) or a double
// ([+-]digits.digits e[+-]digits, with either the integer or the fraction
// part present).
func (l *lexer) number() bool {
	start := l.off
	p := l.pos(start)
	i := start
	if c := l.src[i]; c == '+' || c == '-' {
		i++
	}
	digits := func() {
		for i < len(l.src) && isDigit(l.src[i]) {
			i++
		}
	}
	if l.peekByte(i) == '0' && l.peekByte(i+1) == 'x' {
		h := i + 2
		for i = h; i < len(l.src) && isHex(l.src[i]); i++ {
		}
		if i == h {
			return l.fail(p, "malformed hex number %q", l.src[start:i])
		}
		return l.finishInt(start, i, h)
	}
	digits()
	isDouble := false
	if l.peekByte(i) == '.' && isDigit(l.peekByte(i+1)) {
		i++
		digits()
		isDouble = true
	}
	if c := l.peekByte(i); c == 'e' || c == 'E' {
		j := i + 1
		if c := l.peekByte(j); c == '+' || c == '-' {
			j++
		}
		if isDigit(l.peekByte(j)) {
			i = j
			digits()
			isDouble = true
		}
	}
	if !isDouble {
		return l.finishInt(start, i, -1)
	}
	if l.badNumberEnd(start, i) {
		return false
	}
	text := string(l.src[start:i])
	d, err := strconv.ParseFloat(text, 64)
	if err != nil && (d > 1 || d < -1) { // overflow; underflow to 0 is fine
		return l.fail(p, "number %s is out of range for double", text)
	}
	l.off = i
	l.emit(token{kind: tDouble, text: text, dval: d, pos: p})
	return true
}

// finishInt ends an integer literal spanning [start, end); hex is the
// offset of the hex digits, or -1 for a decimal literal.
func (l *lexer) finishInt(start, end, hex int) bool {
	if l.badNumberEnd(start, end) {
		return false
	}
	text := string(l.src[start:end])
	p := l.pos(start)
	var v int64
	var err error
	if hex < 0 {
		v, err = strconv.ParseInt(text, 10, 64)
	} else {
		v, err = strconv.ParseInt(string(l.src[hex:end]), 16, 64)
		if l.src[start] == '-' {
			v = -v
		}
	}
	if err != nil {
		return l.fail(p, "integer %s is out of range for i64", text)
	}
	l.off = end
	l.emit(token{kind: tInt, text: text, ival: v, pos: p})
	return true
}

// badNumberEnd reports (as an error token) a number running straight into
// letters, digits or a dot, such as "12ab" or "1.".
func (l *lexer) badNumberEnd(start, end int) bool {
	if c := l.peekByte(end); !isLetter(c) && !isDigit(c) && c != '.' {
		return false
	}
	for end < len(l.src) && (isLetter(l.src[end]) || isDigit(l.src[end]) || l.src[end] == '.') {
		end++
	}
	l.fail(l.pos(start), "malformed number %q", l.src[start:end])
	return true
}
