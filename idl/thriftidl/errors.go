package thriftidl

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/ospreyrpc/osprey/idl"
)

// Error is an error in an IDL file, at a position.
type Error struct {
	Pos idl.Pos
	Msg string
}

// Error formats the error as "file:line:col: msg", or "file: msg" when the
// error has no line (a file that could not be read).
func (e *Error) Error() string {
	if e.Pos.Line == 0 {
		return e.Pos.File + ": " + e.Msg
	}
	return e.Pos.String() + ": " + e.Msg
}

// maxListed is how many errors ErrorList.Error lists before summarizing.
const maxListed = 20

// ErrorList is several errors, sorted by position. Parse returns one when
// it finds more than one error.
type ErrorList []*Error

// Error lists the errors one per line, at most 20 of them followed by a
// count of the rest.
func (l ErrorList) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i == maxListed {
			fmt.Fprintf(&b, "\n(and %d more errors)", len(l)-maxListed)
			break
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap returns the errors, so that errors.As finds an *Error in a list.
func (l ErrorList) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}

// errorSink collects errors and forwards warnings.
type errorSink struct {
	errs ErrorList
	warn func(idl.Pos, string)
}

func (s *errorSink) errorf(pos idl.Pos, format string, args ...any) {
	s.errs = append(s.errs, &Error{Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

func (s *errorSink) warnf(pos idl.Pos, format string, args ...any) {
	if s.warn != nil {
		s.warn(pos, fmt.Sprintf(format, args...))
	}
}

// err returns nil, the single error, or the sorted and deduplicated list.
func (s *errorSink) err() error {
	if len(s.errs) == 0 {
		return nil
	}
	l := slices.Clone(s.errs)
	slices.SortStableFunc(l, func(a, b *Error) int {
		return cmp.Or(
			cmp.Compare(a.Pos.File, b.Pos.File),
			cmp.Compare(a.Pos.Line, b.Pos.Line),
			cmp.Compare(a.Pos.Col, b.Pos.Col),
		)
	})
	l = slices.CompactFunc(l, func(a, b *Error) bool { return *a == *b })
	if len(l) == 1 {
		return l[0]
	}
	return l
}
