package thriftidl

import (
	"strings"
)

// docBefore returns the doc comment of the item starting at token i: the
// run of comments right above it. The run's last comment must end on the
// line before the token (or on its line), each earlier comment must end on
// the line before the next one starts (or on that line), and a comment on
// the same line as the previous token is not part of it: that is the
// previous item's trailing comment. So a comment followed by a blank line,
// such as a license header, is never a doc comment.
func (p *parser) docBefore(i int) string {
	t := &p.toks[i]
	lo, hi := t.cmtLo, t.cmtHi
	if lo == hi || p.cmts[hi-1].endLine < t.pos.Line-1 {
		return ""
	}
	start := hi - 1
	for start > lo && p.cmts[start-1].endLine >= p.cmts[start].line-1 {
		start--
	}
	if i > 0 && p.cmts[start].line == p.toks[i-1].pos.Line {
		start++
	}
	var parts []string
	for _, c := range p.cmts[start:hi] {
		parts = append(parts, trimBlankLines(cleanComment(c)))
	}
	return trimBlankLines(strings.Join(parts, "\n"))
}

// trailingComment returns the comment that follows token i on its line
// with no token in between, cleaned, or "".
func (p *parser) trailingComment(i int) string {
	if i+1 >= len(p.toks) {
		return ""
	}
	next := &p.toks[i+1]
	if next.cmtLo == next.cmtHi || p.cmts[next.cmtLo].line != p.toks[i].pos.Line {
		return ""
	}
	return trimBlankLines(cleanComment(p.cmts[next.cmtLo]))
}

// withTrailing appends the trailing comment of token last to doc.
func (p *parser) withTrailing(doc string, last int) string {
	tc := p.trailingComment(last)
	switch {
	case tc == "":
		return doc
	case doc == "":
		return tc
	}
	return doc + "\n" + tc
}

// cleanComment removes a comment's markers. For "//" and "#" comments that
// is the marker and one space after it. For block comments, it is "/*" or
// "/**" and "*/", then, if every non-blank line after the first starts
// with optional blanks and a '*', those and the '*' (as Apache Thrift
// does), and then the indentation common to those lines.
func cleanComment(c comment) string {
	if !c.block {
		s := c.text
		switch {
		case strings.HasPrefix(s, "#"):
			s = s[1:]
		case strings.HasPrefix(s, "///"):
			s = s[3:]
		default:
			s = s[2:]
		}
		s = strings.TrimPrefix(s, " ")
		return strings.TrimRight(s, " \t")
	}
	s := strings.TrimLeft(strings.TrimSuffix(c.text[2:], "*/"), "*")
	if t := strings.TrimRight(s, "*"); t == "" || strings.HasSuffix(t, " ") || strings.HasSuffix(t, "\n") {
		s = t // stars before "*/": "text **/"
	}
	s = strings.ReplaceAll(s, "\r", "")
	lines := strings.Split(s, "\n")
	lines[0] = strings.Trim(lines[0], " \t")
	rest := lines[1:]
	for i, l := range rest {
		rest[i] = strings.TrimRight(l, " \t")
	}
	starred := true
	for _, l := range rest {
		if l != "" && !strings.HasPrefix(strings.TrimLeft(l, " \t"), "*") {
			starred = false
			break
		}
	}
	if starred {
		for i, l := range rest {
			if l != "" {
				rest[i] = strings.TrimLeft(l, " \t")[1:]
			}
		}
	}
	indent := -1
	for _, l := range rest {
		if l == "" {
			continue
		}
		n := len(l) - len(strings.TrimLeft(l, " \t"))
		if indent < 0 || n < indent {
			indent = n
		}
	}
	for i, l := range rest {
		if l != "" {
			rest[i] = l[indent:]
		}
	}
	return strings.Join(lines, "\n")
}

// trimBlankLines drops leading and trailing blank lines.
func trimBlankLines(s string) string {
	lines := strings.Split(s, "\n")
	for len(lines) > 0 && strings.TrimSpace(lines[0]) == "" {
		lines = lines[1:]
	}
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	return strings.Join(lines, "\n")
}
