package status

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/ospreyrpc/osprey/codes"
)

// Error is an error with a status code. Its zero value is not useful; build
// one with New, Errorf, Business or Remote. An *Error is immutable.
type Error struct {
	code     codes.Code
	msg      string
	remote   bool
	business bool
	notSent  bool
	details  []any
	cause    error
}

// New returns an error with the given code and message.
func New(code codes.Code, msg string) *Error {
	return &Error{code: code, msg: msg}
}

// Errorf returns an error with the given code and a formatted message. A %w
// verb in format makes the wrapped error the cause (see Unwrap).
func Errorf(code codes.Code, format string, args ...any) *Error {
	err := fmt.Errorf(format, args...)
	return &Error{code: code, msg: err.Error(), cause: errors.Unwrap(err)}
}

// Wrap returns an error with the given code whose message is cause's message
// and whose Unwrap returns cause.
func Wrap(code codes.Code, cause error) *Error {
	return &Error{code: code, msg: cause.Error(), cause: cause}
}

// Business returns a business error: one a handler returns deliberately as
// part of its API (an order that does not exist, a balance too low), which
// callers and middleware should not count as a framework failure.
func Business(code codes.Code, msg string) *Error {
	return &Error{code: code, msg: msg, business: true}
}

// RemoteBusiness returns a business error the peer reported, such as one
// a TTHeader reply carries in biz-status and biz-message.
func RemoteBusiness(code codes.Code, msg string) *Error {
	return &Error{code: code, msg: msg, business: true, remote: true}
}

// Remote returns an error the peer reported, such as a Thrift
// TApplicationException or a gRPC status. cause, if not nil, is the
// protocol's own form of it and is what Unwrap returns.
func Remote(code codes.Code, msg string, cause error) *Error {
	return &Error{code: code, msg: msg, remote: true, cause: cause}
}

// Code returns the error's code.
func (e *Error) Code() codes.Code { return e.code }

// Message returns the error's message.
func (e *Error) Message() string { return e.msg }

// Remote reports whether the peer reported this error, as opposed to the
// local side producing it.
func (e *Error) Remote() bool { return e.remote }

// Business reports whether this is a business error.
func (e *Error) Business() bool { return e.business }

// NotSent reports whether the request certainly did not leave this process
// (no connection could be had, the deadline had passed, the request could
// not be encoded), so that retrying it cannot run the method twice. An error
// without the mark may or may not have reached the server.
func (e *Error) NotSent() bool { return e.notSent }

// Details returns the error's details: typed messages that explain it, such
// as protobuf messages that gRPC carries in grpc-status-details-bin. The
// slice is shared; do not modify it.
func (e *Error) Details() []any { return e.details }

// WithDetails returns a copy of e with details appended to its own. Nil
// details are dropped.
func (e *Error) WithDetails(details ...any) *Error {
	c := *e
	c.details = make([]any, 0, len(e.details)+len(details))
	c.details = append(c.details, e.details...)
	for _, d := range details {
		if d != nil {
			c.details = append(c.details, d)
		}
	}
	return &c
}

// WithNotSent returns a copy of e marked as certainly not sent; see NotSent.
func (e *Error) WithNotSent() *Error {
	c := *e
	c.notSent = true
	return &c
}

// Unwrap returns the underlying error, or nil.
func (e *Error) Unwrap() error { return e.cause }

// Error formats the error as "Code: message", with "remote " in front when
// the peer reported it.
func (e *Error) Error() string {
	prefix := ""
	if e.remote {
		prefix = "remote "
	}
	if e.msg == "" {
		return prefix + e.code.String()
	}
	return prefix + e.code.String() + ": " + e.msg
}

// BusinessError is implemented by errors that are part of a service's API,
// such as the exception types Osprey generates for Thrift "throws" clauses.
type BusinessError interface {
	error
	// BusinessError reports whether the error is a business error; generated
	// exceptions return true.
	BusinessError() bool
}

// FromError returns the *Error in err's chain, if there is one.
func FromError(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}

// Convert returns err as an *Error: the one in its chain if there is one,
// otherwise a new local error with code Code(err) that wraps err. Convert(nil)
// returns nil.
func Convert(err error) *Error {
	if err == nil {
		return nil
	}
	if e, ok := FromError(err); ok {
		return e
	}
	return Wrap(Code(err), err)
}

// Code returns the code of any error: OK for nil, the code of an *Error in
// the chain, DeadlineExceeded for context and I/O deadlines, Canceled for
// context cancellation, and Unknown for everything else, declared business
// exceptions included.
func Code(err error) codes.Code {
	switch {
	case err == nil:
		return codes.OK
	}
	if e, ok := FromError(err); ok {
		return e.code
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded):
		return codes.DeadlineExceeded
	case errors.Is(err, context.Canceled):
		return codes.Canceled
	}
	return codes.Unknown
}

// IsRemote reports whether err is a framework error that the peer reported.
// A declared exception returned by a client always comes from the peer's
// handler; IsBusiness reports those.
func IsRemote(err error) bool {
	e, ok := FromError(err)
	return ok && e.remote
}

// IsNotSent reports whether err says its request certainly did not leave
// this process: an *Error in its chain marked with WithNotSent. Such a call
// is safe to retry on any method, idempotent or not.
func IsNotSent(err error) bool {
	e, ok := FromError(err)
	return ok && e.notSent
}

// IsBusiness reports whether err is a business error: an *Error made with
// Business, or an error in the chain implementing BusinessError that says so.
func IsBusiness(err error) bool {
	if err == nil {
		return false
	}
	var b BusinessError
	if errors.As(err, &b) && b.BusinessError() {
		return true
	}
	e, ok := FromError(err)
	return ok && e.business
}
