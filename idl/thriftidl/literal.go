package thriftidl

import (
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// stringLit lexes a literal quoted with ' or ". A literal ends at the same
// quote it starts with and may not span lines. Escapes: \\ \" \' \n \r \t
// and \uXXXX (UTF-16 surrogate pairs combine); any other escape is an
// error at its backslash.
func (l *lexer) stringLit() bool {
	start := l.off
	p := l.pos(start)
	quote := l.src[start]
	var b strings.Builder
	i := start + 1
	for {
		if i >= len(l.src) || l.src[i] == '\n' || l.src[i] == '\\' && (i+1 >= len(l.src) || l.src[i+1] == '\n') {
			return l.fail(p, "unterminated string literal")
		}
		c := l.src[i]
		if c == quote {
			break
		}
		if c != '\\' {
			b.WriteByte(c)
			i++
			continue
		}
		n, msg := unescape(&b, l.src, i)
		if msg != "" {
			return l.fail(l.pos(i), "%s", msg)
		}
		i += n
	}
	l.off = i + 1
	l.emit(token{kind: tString, text: b.String(), pos: p})
	return true
}

// unescape decodes the escape sequence at src[i] (a backslash, followed by
// a byte other than '\n') into b. It returns the sequence's length, or an
// error message.
func unescape(b *strings.Builder, src []byte, i int) (int, string) {
	switch c := src[i+1]; c {
	case '\\', '"', '\'':
		b.WriteByte(c)
	case 'n':
		b.WriteByte('\n')
	case 'r':
		b.WriteByte('\r')
	case 't':
		b.WriteByte('\t')
	case 'u':
		r, ok := hex4(src, i+2)
		if !ok {
			return 0, `malformed \u escape: want 4 hex digits`
		}
		if !utf16.IsSurrogate(r) {
			b.WriteRune(r)
			return 6, ""
		}
		if i+7 < len(src) && src[i+6] == '\\' && src[i+7] == 'u' {
			if r2, ok := hex4(src, i+8); ok {
				if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
					b.WriteRune(d)
					return 12, ""
				}
			}
		}
		return 0, `invalid \u escape: unpaired UTF-16 surrogate`
	default:
		if c >= 0x20 && c < 0x7f {
			return 0, `unknown escape sequence "\` + string(rune(c)) + `" (use \\ for a backslash)`
		}
		r, _ := utf8.DecodeRune(src[i+1:])
		return 0, fmt.Sprintf(`unknown escape sequence: \ followed by %q`, r)
	}
	return 2, ""
}

// hex4 decodes four hex digits at src[i:].
func hex4(src []byte, i int) (rune, bool) {
	if i+4 > len(src) {
		return 0, false
	}
	var r rune
	for _, c := range src[i : i+4] {
		var d byte
		switch {
		case isDigit(c):
			d = c - '0'
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(d)
	}
	return r, true
}
