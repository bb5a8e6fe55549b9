package osprey

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ospreyrpc/osprey/internal/gen/thrifttest"
	"github.com/ospreyrpc/osprey/protocol/thrift"
	"github.com/ospreyrpc/osprey/status"
)

// onewayMaxDuration bounds how long testOneway(1) may take: it must not wait
// for the second the server sleeps.
const onewayMaxDuration = 500 * time.Millisecond

func exceptionChecks() []check {
	return []check{
		{name: `testException("Xception")`, run: checkXception},
		{name: `testException("TException")`, run: checkTException},
		{name: `testException("success")`, run: func(ctx context.Context, c *tclient) error {
			return c.TestException(ctx, "success")
		}},
		{name: `testMultiException("Xception")`, run: func(ctx context.Context, c *tclient) error {
			r, err := c.TestMultiException(ctx, "Xception", "ignoreme")
			return wantError(err, wantXception(), equalXception, r)
		}},
		{name: `testMultiException("Xception2")`, run: func(ctx context.Context, c *tclient) error {
			r, err := c.TestMultiException(ctx, "Xception2", "ignoreme")
			return wantError(err, wantXception2(), equalXception2, r)
		}},
		{name: `testMultiException("success")`, run: func(ctx context.Context, c *tclient) error {
			r, err := c.TestMultiException(ctx, "Success", "test string ✓")
			if err != nil {
				return err
			}
			if r.GetStringThing() != "test string ✓" {
				return fmt.Errorf("got %v, want string_thing %q", r, "test string ✓")
			}
			return nil
		}},
	}
}

func equalXception(got, want *thrifttest.Xception) bool { return *got == *want }

func equalXception2(got, want *thrifttest.Xception2) bool {
	return got.ErrorCode == want.ErrorCode && equalXtruct(got.StructThing, want.StructThing)
}

// wantError checks that err is a declared exception equal to want, that it
// is a business error and not a remote framework error, and that no result
// came with it.
func wantError[E interface {
	*thrifttest.Xception | *thrifttest.Xception2
	error
}](err error, want E, equal func(got, want E) bool, result ...*thrifttest.Xtruct) error {
	var got E
	switch {
	case err == nil:
		return fmt.Errorf("no error, want %v", want)
	case !errors.As(err, &got):
		return fmt.Errorf("got error %T %v, want %v", err, err, want)
	case !equal(got, want):
		return fmt.Errorf("got %v, want %v", got, want)
	case !status.IsBusiness(err):
		return fmt.Errorf("status.IsBusiness(%v) = false, want true for a declared exception", err)
	case status.IsRemote(err):
		return fmt.Errorf("status.IsRemote(%v) = true, want false for a declared exception", err)
	case len(result) > 0 && result[0] != nil:
		return fmt.Errorf("got result %v along with %v", result[0], got)
	}
	return nil
}

// checkXception checks that a declared exception reaches the caller as its
// own generated type, itself rather than wrapped, so that a type assertion
// works as well as errors.As.
func checkXception(ctx context.Context, c *tclient) error {
	err := c.TestException(ctx, "Xception")
	want := &thrifttest.Xception{ErrorCode: 1001, Message: "Xception"}
	if err := wantError(err, want, equalXception); err != nil {
		return err
	}
	if _, ok := err.(*thrifttest.Xception); !ok {
		return fmt.Errorf("got error of type %T, want *thrifttest.Xception itself, not wrapped", err)
	}
	return nil
}

// checkTException checks that an undeclared exception reaches the client as
// a remote error wrapping an application exception, and that the connection
// still works after it.
func checkTException(ctx context.Context, c *tclient) error {
	err := c.TestException(ctx, "TException")
	var appErr *thrift.ApplicationException
	var x *thrifttest.Xception
	switch {
	case err == nil:
		return errors.New("no error, want an application exception")
	case errors.As(err, &x):
		return fmt.Errorf("got the declared %v, want an application exception", x)
	case !errors.As(err, &appErr):
		return fmt.Errorf("got error %T %v, want one wrapping a *thrift.ApplicationException", err, err)
	case !status.IsRemote(err):
		return fmt.Errorf("status.IsRemote(%v) = false, want true for an application exception", err)
	case status.IsBusiness(err):
		return fmt.Errorf("status.IsBusiness(%v) = true, want false for an application exception", err)
	}
	if err := c.TestVoid(ctx); err != nil {
		return fmt.Errorf("testVoid after the application exception: %w", err)
	}
	return nil
}

// onewayCheck checks that testOneway(1) returns without waiting for the
// server, and that the connection still works after it.
func onewayCheck() check {
	return check{name: "testOneway(1)", run: func(ctx context.Context, c *tclient) error {
		start := time.Now()
		if err := c.TestOneway(ctx, 1); err != nil {
			return err
		}
		if d := time.Since(start); d > onewayMaxDuration {
			return fmt.Errorf("took %v, want under %v: a oneway call must not wait for the server", d, onewayMaxDuration)
		}
		if err := c.TestVoid(ctx); err != nil {
			return fmt.Errorf("testVoid after testOneway: %w", err)
		}
		return nil
	}}
}
