package osprey

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/ospreyrpc/osprey/client"
	"github.com/ospreyrpc/osprey/conformance/internal/apache"
	"github.com/ospreyrpc/osprey/internal/gen/thrifttest"
	"github.com/ospreyrpc/osprey/protocol/thrift"
)

// callTimeout bounds each call, so that a server that does not answer fails
// a check instead of stalling Check. It leaves room for the testVoid that
// follows testOneway(1), which a server only answers after the oneway call
// has slept.
const callTimeout = 10 * time.Second

// check is one call, or a short sequence of calls, to verify.
type check struct {
	name string // method, and the argument if there are several checks of it
	run  func(context.Context, *thrifttest.ThriftTestClient) error
}

// ThriftOption returns the Osprey client option that selects the protocol
// and transport opts names, or an error if it names one Osprey does not
// speak.
func ThriftOption(opts apache.Options) (client.Option, error) {
	var enc thrift.Encoding
	switch opts.Protocol {
	case apache.ProtocolBinary:
		enc = thrift.Binary
	case apache.ProtocolCompact:
		enc = thrift.Compact
	default:
		return nil, fmt.Errorf("osprey: unknown protocol %q (want %q or %q)", opts.Protocol, apache.ProtocolBinary, apache.ProtocolCompact)
	}
	var fr thrift.Framing
	switch opts.Transport {
	case apache.TransportFramed:
		fr = thrift.Framed
	case apache.TransportBuffered:
		fr = thrift.Buffered
	default:
		return nil, fmt.Errorf("osprey: unknown transport %q (want %q or %q)", opts.Transport, apache.TransportFramed, apache.TransportBuffered)
	}
	return client.WithThrift(enc, fr), nil
}

// Check calls every ThriftTest method (testUuid and testOneway included) on
// the server at target, "host:port" or "unix:/path", using the Osprey client
// with the protocol and transport opts selects. It verifies each result as
// ThriftTest.thrift documents, and Osprey's error semantics along the way,
// and returns nil or an error listing every failed check (errors.Join), each
// naming the method.
//
// A failed check does not stop the others: the Osprey client closes a
// connection on which anything went wrong and dials a new one for the next
// call. Check gives up only if it cannot connect or ctx ends.
func Check(ctx context.Context, target string, opts apache.Options) error {
	thriftOpt, err := ThriftOption(opts)
	if err != nil {
		return err
	}
	c, err := thrifttest.NewThriftTestClient(target, thriftOpt, client.WithCallTimeout(callTimeout))
	if err != nil {
		return fmt.Errorf("osprey: client for %s: %w", target, err)
	}
	defer c.Close()

	var errs []error
	for _, ch := range checks() {
		if err := ended(ctx); err != nil {
			errs = append(errs, fmt.Errorf("%s and later checks not run: %w", ch.name, err))
			break
		}
		err := ch.run(ctx, c)
		if err == nil {
			continue
		}
		if ctxErr := ended(ctx); ctxErr != nil {
			errs = append(errs, fmt.Errorf("%s: %w (%v); later checks not run", ch.name, ctxErr, err))
			break
		}
		if opErr := (*net.OpError)(nil); errors.As(err, &opErr) && opErr.Op == "dial" {
			errs = append(errs, fmt.Errorf("%s: %w; later checks not run", ch.name, err))
			break
		}
		errs = append(errs, fmt.Errorf("%s: %w", ch.name, err))
	}
	return errors.Join(errs...)
}

// ended returns the cause of ctx's end, or nil if it has not ended. A
// deadline that has passed counts as an end even before ctx says so: the
// client gives up on a call at that deadline, and may return before ctx's
// own timer has fired.
func ended(ctx context.Context) error {
	if ctx.Err() != nil {
		return context.Cause(ctx)
	}
	if d, ok := ctx.Deadline(); ok && !time.Now().Before(d) {
		return context.DeadlineExceeded
	}
	return nil
}

// CheckCount returns how many checks Check runs when none is cut short.
func CheckCount() int {
	return len(checks())
}

// checks returns every check Check runs, in order.
func checks() []check {
	var cs []check
	cs = append(cs, scalarChecks()...)
	cs = append(cs, structChecks()...)
	cs = append(cs, containerChecks()...)
	cs = append(cs, exceptionChecks()...)
	return append(cs, onewayCheck())
}
