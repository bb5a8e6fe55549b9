package apache

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/apache/thrift/lib/go/thrift"

	"github.com/ospreyrpc/osprey/conformance/internal/apache/gen/thrifttest"
)

// callTimeout bounds each read and write on the connection, so that a server
// that does not answer fails a check instead of stalling Check. It leaves room
// for the testVoid that follows testOneway(1), which an Apache server only
// answers after the oneway call has slept.
const callTimeout = 10 * time.Second

// check is one call, or a short sequence of calls, to verify.
type check struct {
	name string // method, and the argument if there are several checks of it
	run  func(context.Context, *thrifttest.ThriftTestClient) error
}

// Check calls every ThriftTest method (testUuid excluded, testOneway included)
// on the server at addr using the Apache Thrift Go library client with opts,
// verifies each result as ThriftTest.thrift documents, and returns nil or an
// error listing every failed check (errors.Join), each naming the method.
//
// A failed check does not stop the others: Check reconnects after every
// failure, in case it left the connection unusable, and gives up only if it
// cannot connect or ctx ends.
func Check(ctx context.Context, addr string, opts Options) error {
	if _, _, err := opts.factories(nil); err != nil {
		return err
	}
	c, err := dial(ctx, addr, opts)
	if err != nil {
		return err
	}
	defer func() {
		if c != nil {
			c.close()
		}
	}()

	var errs []error
	for _, ch := range checks() {
		if ctx.Err() != nil {
			errs = append(errs, fmt.Errorf("%s and later checks not run: %w", ch.name, context.Cause(ctx)))
			break
		}
		err := ch.run(ctx, c.client)
		if err == nil {
			continue
		}
		if ctx.Err() != nil {
			// Ending ctx closed the connection under the call.
			errs = append(errs, fmt.Errorf("%s: %w (%v); later checks not run", ch.name, context.Cause(ctx), err))
			break
		}
		errs = append(errs, fmt.Errorf("%s: %w", ch.name, err))
		c.close()
		if c, err = dial(ctx, addr, opts); err != nil {
			errs = append(errs, fmt.Errorf("after %s: %w", ch.name, err))
			break
		}
	}
	return errors.Join(errs...)
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

// conn is a client connection; closing it, or the end of the context it was
// dialled with, closes the socket.
type conn struct {
	client *thrifttest.ThriftTestClient
	trans  thrift.TTransport
	stop   func() bool // stops closing the socket when the context ends
}

func dial(ctx context.Context, addr string, opts Options) (*conn, error) {
	var d net.Dialer
	nc, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("apache: connect to %s: %w", addr, err)
	}
	conf := &thrift.TConfiguration{SocketTimeout: callTimeout}
	pf, tf, err := opts.factories(conf)
	if err != nil {
		nc.Close()
		return nil, err
	}
	trans, err := tf.GetTransport(thrift.NewTSocketFromConnConf(nc, conf))
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("apache: %s transport: %w", opts.Transport, err)
	}
	client := thrift.NewTStandardClient(pf.GetProtocol(trans), pf.GetProtocol(trans))
	return &conn{
		client: thrifttest.NewThriftTestClient(client),
		trans:  trans,
		stop:   context.AfterFunc(ctx, func() { nc.Close() }),
	}, nil
}

func (c *conn) close() {
	c.stop()
	c.trans.Close()
}
