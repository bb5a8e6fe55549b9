package conformance

import (
	"context"
	"fmt"
	"testing"
	"time"

	athrift "github.com/apache/thrift/lib/go/thrift"

	"github.com/ospreyrpc/osprey/conformance/internal/apache"
	agen "github.com/ospreyrpc/osprey/conformance/internal/apache/gen/thrifttest"
	"github.com/ospreyrpc/osprey/internal/leakcheck"
)

// apacheConn is an Apache library client connection, closed when the test
// ends. Its protocol may be wrapped per service, as the multiplexed protocol
// does.
type apacheConn struct {
	trans athrift.TTransport
	proto athrift.TProtocol
}

// dialApache opens an Apache library client connection to addr with opts;
// a binary protocol writes messages without a version header (non-strict)
// if strict is false.
func dialApache(t *testing.T, addr string, opts apache.Options, strict bool) *apacheConn {
	t.Helper()
	conf := &athrift.TConfiguration{
		SocketTimeout: 10 * time.Second, ConnectTimeout: 5 * time.Second,
		TBinaryStrictWrite: athrift.BoolPtr(strict),
	}
	socket := athrift.NewTSocketConf(addr, conf)
	if err := socket.Open(); err != nil {
		t.Fatalf("connect to %s: %v", addr, err)
	}
	t.Cleanup(func() { socket.Close() })
	var trans athrift.TTransport
	switch opts.Transport {
	case apache.TransportFramed:
		trans = athrift.NewTFramedTransportConf(socket, conf)
	case apache.TransportBuffered:
		trans = athrift.NewTBufferedTransport(socket, 8192)
	default:
		t.Fatalf("unknown transport %q", opts.Transport)
	}
	var proto athrift.TProtocol
	switch opts.Protocol {
	case apache.ProtocolBinary:
		proto = athrift.NewTBinaryProtocolConf(trans, conf)
	case apache.ProtocolCompact:
		proto = athrift.NewTCompactProtocolConf(trans, conf)
	default:
		t.Fatalf("unknown protocol %q", opts.Protocol)
	}
	return &apacheConn{trans: trans, proto: proto}
}

// thriftTest returns a ThriftTest client on c, through the multiplexed
// protocol if service is not empty.
func (c *apacheConn) thriftTest(service string) *agen.ThriftTestClient {
	p := c.proto
	if service != "" {
		p = athrift.NewTMultiplexedProtocol(p, service)
	}
	return agen.NewThriftTestClient(athrift.NewTStandardClient(p, p))
}

// TestApacheClientOspreyServerExtras covers what apache.Check leaves out,
// with the Apache library client against the Osprey server: testUuid,
// Apache's multiplexed protocol reaching both ThriftTest and SecondService
// on one connection, as Apache's "multi" cross-language tests do, and
// binary messages without a version header (non-strict), which Apache's
// servers accept and old clients send.
func TestApacheClientOspreyServerExtras(t *testing.T) {
	leakcheck.Check(t)
	s := startOsprey(t)
	uuids := []athrift.Tuuid{
		{},
		{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
		{0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff},
	}
	for _, opts := range allOptions {
		t.Run(opts.String(), func(t *testing.T) {
			ctx := testContext(t)
			c := dialApache(t, s.Addr().String(), opts, true)
			plain := c.thriftTest("")
			for _, u := range uuids {
				got, err := plain.TestUuid(ctx, u)
				if err != nil || got != u {
					t.Errorf("testUuid(%s) = %s, %v; want %[1]s, nil", u, got, err)
				}
			}
			if err := checkMultiplexed(ctx, c); err != nil {
				t.Error(err)
			}
		})
	}
}

// checkMultiplexed calls both services through the multiplexed protocol,
// interleaved with a plain call, on c.
func checkMultiplexed(ctx context.Context, c *apacheConn) error {
	mp := athrift.NewTMultiplexedProtocol(c.proto, "SecondService")
	second := agen.NewSecondServiceClient(athrift.NewTStandardClient(mp, mp))
	if got, err := second.SecondtestString(ctx, "foo"); err != nil || got != `testString("foo")` {
		return fmt.Errorf("SecondService:secondtestString(foo) = %q, %v; want %q", got, err, `testString("foo")`)
	}
	if got, err := c.thriftTest("ThriftTest").TestString(ctx, "bar ✓"); err != nil || got != "bar ✓" {
		return fmt.Errorf("ThriftTest:testString(bar ✓) = %q, %v; want %q", got, err, "bar ✓")
	}
	if got, err := c.thriftTest("").TestI32(ctx, -7); err != nil || got != -7 {
		return fmt.Errorf("testI32(-7) after multiplexed calls = %d, %v; want -7", got, err)
	}
	return nil
}

// TestApacheNonStrictClientOspreyServer checks that the Osprey server
// answers an Apache client whose binary protocol writes messages without a
// version header (TBinaryStrictWrite false), framed and buffered.
func TestApacheNonStrictClientOspreyServer(t *testing.T) {
	leakcheck.Check(t)
	s := startOsprey(t)
	for _, opts := range allOptions[:2] {
		t.Run(opts.String(), func(t *testing.T) {
			ctx := testContext(t)
			c := dialApache(t, s.Addr().String(), opts, false)
			tc := c.thriftTest("")
			if err := tc.TestVoid(ctx); err != nil {
				t.Errorf("testVoid: %v", err)
			}
			if got, err := tc.TestString(ctx, "non-strict ✓"); err != nil || got != "non-strict ✓" {
				t.Errorf("testString = %q, %v; want %q", got, err, "non-strict ✓")
			}
			err := tc.TestException(ctx, "Xception")
			if x, ok := err.(*agen.Xception); !ok || x.ErrorCode != 1001 {
				t.Errorf("testException(Xception) = %T %v, want Xception 1001", err, err)
			}
			if err := tc.TestOneway(ctx, 0); err != nil {
				t.Errorf("testOneway: %v", err)
			}
			if got, err := tc.TestI64(ctx, -1); err != nil || got != -1 {
				t.Errorf("testI64 after testOneway = %d, %v; want -1", got, err)
			}
		})
	}
}
