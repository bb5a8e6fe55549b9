package pbfast

import (
	"fmt"
	"strings"
)

// lines is generated code built before it is written, line by line.
type lines []string

// add appends ls.
func (b *lines) add(ls ...string) { *b = append(*b, ls...) }

// f appends a formatted line.
func (b *lines) f(format string, args ...any) { *b = append(*b, fmt.Sprintf(format, args...)) }

// usesErr reports whether the code assigns an err declared outside it.
func (b lines) usesErr() bool {
	for _, l := range b {
		if strings.Contains(l, ", err = ") {
			return true
		}
	}
	return false
}
