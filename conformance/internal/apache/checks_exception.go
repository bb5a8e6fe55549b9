package apache

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/apache/thrift/lib/go/thrift"

	"github.com/ospreyrpc/osprey/conformance/internal/apache/gen/thrifttest"
)

// onewayMaxDuration bounds how long testOneway(1) may take: it must not wait
// for the second the server sleeps.
const onewayMaxDuration = 500 * time.Millisecond

func exceptionChecks() []check {
	return []check{
		{name: `testException("Xception")`, run: func(ctx context.Context, c *client) error {
			return wantError(c.TestException(ctx, "Xception"), &thrifttest.Xception{ErrorCode: 1001, Message: "Xception"})
		}},
		{name: `testException("TException")`, run: checkTException},
		{name: `testException("success")`, run: func(ctx context.Context, c *client) error {
			return c.TestException(ctx, "success")
		}},
		{name: `testMultiException("Xception")`, run: func(ctx context.Context, c *client) error {
			r, err := c.TestMultiException(ctx, "Xception", "ignoreme")
			return wantError(err, wantXception(), r)
		}},
		{name: `testMultiException("Xception2")`, run: func(ctx context.Context, c *client) error {
			r, err := c.TestMultiException(ctx, "Xception2", "ignoreme")
			return wantError(err, wantXception2(), r)
		}},
		{name: `testMultiException("success")`, run: func(ctx context.Context, c *client) error {
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

// wantError checks that err is a declared exception equal to want, and that
// no result came with it.
func wantError[E interface {
	*thrifttest.Xception | *thrifttest.Xception2
	error
	Equals(E) bool
}](err error, want E, result ...*thrifttest.Xtruct) error {
	var got E
	switch {
	case err == nil:
		return fmt.Errorf("no error, want %v", want)
	case !errors.As(err, &got):
		return fmt.Errorf("got error %T %v, want %v", err, err, want)
	case !got.Equals(want):
		return fmt.Errorf("got %v, want %v", got, want)
	case len(result) > 0 && result[0] != nil:
		return fmt.Errorf("got result %v along with %v", result[0], got)
	}
	return nil
}

// checkTException checks that an undeclared exception reaches the client as
// a TApplicationException, and that the connection still works after it.
func checkTException(ctx context.Context, c *client) error {
	err := c.TestException(ctx, "TException")
	var appErr thrift.TApplicationException
	var x *thrifttest.Xception
	switch {
	case err == nil:
		return errors.New("no error, want a TApplicationException")
	case errors.As(err, &x):
		return fmt.Errorf("got the declared %v, want a TApplicationException", x)
	case !errors.As(err, &appErr):
		return fmt.Errorf("got error %T %v, want a TApplicationException", err, err)
	}
	if err := c.TestVoid(ctx); err != nil {
		return fmt.Errorf("testVoid after the TApplicationException: %w", err)
	}
	return nil
}

// onewayCheck checks that testOneway(1) returns without waiting for the
// server, and that the connection still works after it.
func onewayCheck() check {
	return check{name: "testOneway(1)", run: func(ctx context.Context, c *client) error {
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
