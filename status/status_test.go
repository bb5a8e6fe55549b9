package status_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"testing"

	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/status"
)

type declared struct{ msg string }

func (d *declared) Error() string       { return d.msg }
func (d *declared) BusinessError() bool { return true }

func TestCode(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want codes.Code
	}{
		{"nil", nil, codes.OK},
		{"status", status.New(codes.NotFound, "x"), codes.NotFound},
		{"wrapped status", fmt.Errorf("ctx: %w", status.New(codes.Aborted, "x")), codes.Aborted},
		{"context deadline", context.DeadlineExceeded, codes.DeadlineExceeded},
		{"io deadline", fmt.Errorf("read: %w", os.ErrDeadlineExceeded), codes.DeadlineExceeded},
		{"canceled", context.Canceled, codes.Canceled},
		{"plain", io.EOF, codes.Unknown},
		{"declared exception", &declared{"boom"}, codes.Unknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := status.Code(tt.err); got != tt.want {
				t.Errorf("Code(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
}

func TestRemoteAndBusiness(t *testing.T) {
	cause := errors.New("app exception")
	r := status.Remote(codes.Internal, "handler failed", cause)
	if !status.IsRemote(r) || status.IsBusiness(r) {
		t.Errorf("Remote: IsRemote=%v IsBusiness=%v", status.IsRemote(r), status.IsBusiness(r))
	}
	if !errors.Is(r, cause) {
		t.Error("Remote error does not unwrap to its cause")
	}
	if got, want := r.Error(), "remote Internal: handler failed"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	b := status.Business(codes.NotFound, "no such order")
	if status.IsRemote(b) || !status.IsBusiness(b) {
		t.Errorf("Business: IsRemote=%v IsBusiness=%v", status.IsRemote(b), status.IsBusiness(b))
	}
	if !status.IsBusiness(fmt.Errorf("wrapped: %w", &declared{"x"})) {
		t.Error("declared exception is not a business error")
	}
	if status.IsBusiness(io.EOF) || status.IsRemote(io.EOF) || status.IsBusiness(nil) {
		t.Error("plain error classified as business or remote")
	}
}

func TestConvertAndErrorf(t *testing.T) {
	if status.Convert(nil) != nil {
		t.Error("Convert(nil) != nil")
	}
	e := status.Convert(io.EOF)
	if e.Code() != codes.Unknown || !errors.Is(e, io.EOF) || e.Remote() {
		t.Errorf("Convert(io.EOF) = %v", e)
	}
	s := status.New(codes.Unavailable, "down")
	if status.Convert(fmt.Errorf("x: %w", s)) != s {
		t.Error("Convert did not return the *Error in the chain")
	}
	f := status.Errorf(codes.InvalidArgument, "bad %d: %w", 7, io.ErrUnexpectedEOF)
	if f.Message() != "bad 7: unexpected EOF" || !errors.Is(f, io.ErrUnexpectedEOF) {
		t.Errorf("Errorf = %q, unwraps=%v", f.Message(), errors.Is(f, io.ErrUnexpectedEOF))
	}
	if got := status.New(codes.Canceled, "").Error(); got != "Canceled" {
		t.Errorf("empty message Error() = %q", got)
	}
}

func TestDetailsAndNotSent(t *testing.T) {
	type detail struct{ field string }
	base := status.New(codes.InvalidArgument, "bad")
	withD := base.WithDetails(&detail{"a"}, nil, &detail{"b"})
	if len(base.Details()) != 0 {
		t.Fatalf("WithDetails changed the original: %v", base.Details())
	}
	d := withD.Details()
	if len(d) != 2 || d[0].(*detail).field != "a" || d[1].(*detail).field != "b" {
		t.Fatalf("Details() = %v, want [a b]", d)
	}
	more := withD.WithDetails(&detail{"c"})
	if len(withD.Details()) != 2 || len(more.Details()) != 3 {
		t.Fatalf("WithDetails shares storage: %d, %d", len(withD.Details()), len(more.Details()))
	}
	if more.Code() != codes.InvalidArgument || more.Message() != "bad" {
		t.Fatalf("WithDetails lost code or message: %v", more)
	}

	if status.IsNotSent(base) || base.NotSent() {
		t.Fatal("a new error is marked not sent")
	}
	ns := base.WithNotSent()
	if !ns.NotSent() || !status.IsNotSent(fmt.Errorf("call: %w", ns)) {
		t.Fatal("WithNotSent mark not seen through wrapping")
	}
	if base.NotSent() {
		t.Fatal("WithNotSent changed the original")
	}
	for _, err := range []error{nil, io.EOF, context.Canceled} {
		if status.IsNotSent(err) {
			t.Errorf("IsNotSent(%v) = true", err)
		}
	}
}
