package client

import (
	"context"
	"errors"
	"os"

	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/protocol/thrift"
	"github.com/ospreyrpc/osprey/status"
)

// contextError turns the context's error into a status error.
func contextError(ctx context.Context, err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return status.Wrap(codes.DeadlineExceeded, err)
	}
	if cause := context.Cause(ctx); cause != nil && cause != err {
		err = cause
	}
	return status.Wrap(codes.Canceled, err)
}

// ioCode is the code for an I/O error on a connection: DeadlineExceeded for
// the call's deadline, ResourceExhausted for a reply over the size limit,
// and Unavailable for a connection that broke.
func ioCode(err error) codes.Code {
	switch {
	case errors.Is(err, os.ErrDeadlineExceeded):
		return codes.DeadlineExceeded
	case errors.Is(err, thrift.ErrTooLarge):
		return codes.ResourceExhausted
	case errors.Is(err, thrift.ErrInvalidData), errors.Is(err, thrift.ErrTooDeep):
		return codes.Internal
	}
	return codes.Unavailable
}
