package thrift

import (
	"errors"
	"fmt"
)

// Decoding errors. Errors a reader returns wrap one of these, so callers can
// test with errors.Is.
var (
	// ErrTruncated means the input ended inside a value.
	ErrTruncated = errors.New("thrift: message truncated")
	// ErrInvalidData means the input is not a valid encoding: an unknown
	// type code, a negative length, a bad version.
	ErrInvalidData = errors.New("thrift: invalid data")
	// ErrTooDeep means structs and containers nest deeper than MaxDepth.
	ErrTooDeep = errors.New("thrift: nesting deeper than MaxDepth")
	// ErrTooLarge means a message or frame is larger than the configured
	// limit.
	ErrTooLarge = errors.New("thrift: message too large")
	// ErrMissingField means a required field was absent.
	ErrMissingField = errors.New("thrift: required field missing")
)

func invalidf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalidData}, args...)...)
}

// MissingFieldError returns the error a decoder reports when the required
// field name (id) of structName is absent.
func MissingFieldError(structName, name string, id int16) error {
	return fmt.Errorf("%w: %s.%s (id %d)", ErrMissingField, structName, name, id)
}
