package conformance

import (
	"context"
	"errors"
	"net"
	"testing"

	athrift "github.com/apache/thrift/lib/go/thrift"

	agen "github.com/ospreyrpc/osprey/conformance/internal/apache/gen/thrifttest"
	"github.com/ospreyrpc/osprey/internal/leakcheck"
)

// TestApacheMultiplexedClientUnknownMethod calls a method the server does
// not have, "SecondService:noSuchMethod", with an Apache client through the
// multiplexed protocol, first against an Apache multiplexed server (the
// reference) and then against Osprey. The client must get an UNKNOWN_METHOD
// application exception, and the connection must keep working.
//
// Apache's multiplexed processor strips the service name and answers with
// an EXCEPTION message named "noSuchMethod", which is what Apache's clients
// compare the reply's name with. (Osprey once echoed the prefixed name; the
// Apache client then reported WRONG_METHOD_NAME, left the reply unread, and
// its next call on the connection read from the middle of it.)
func TestApacheMultiplexedClientUnknownMethod(t *testing.T) {
	leakcheck.Check(t)
	servers := []struct{ name, addr string }{
		{"apache", startApacheMultiplexed(t)},
		{"osprey", startOsprey(t).Addr().String()},
	}
	for _, s := range servers {
		t.Run(s.name, func(t *testing.T) {
			ctx := testContext(t)
			c := dialApache(t, s.addr, allOptions[0], true)
			p := athrift.NewTMultiplexedProtocol(c.proto, "SecondService")
			cl := athrift.NewTStandardClient(p, p)
			_, err := cl.Call(ctx, "noSuchMethod", agen.NewSecondServiceSecondtestStringArgs(), agen.NewSecondServiceSecondtestStringResult())
			var appErr athrift.TApplicationException
			if !errors.As(err, &appErr) || appErr.TypeId() != athrift.UNKNOWN_METHOD {
				t.Errorf("SecondService:noSuchMethod returned %T %v, want an UNKNOWN_METHOD application exception", err, err)
			}
			if _, err := agen.NewSecondServiceClient(cl).SecondtestString(ctx, "after"); err != nil {
				t.Errorf("SecondService:secondtestString after it: %v", err)
			}
		})
	}
}

// startApacheMultiplexed starts an Apache library TSimpleServer, binary
// protocol and framed transport, with a multiplexed processor serving only
// SecondService; it is stopped when the test ends. It returns the server's
// address. Stopping waits for connections to close, so close them first:
// register their cleanups after calling this, or in subtests.
func startApacheMultiplexed(t *testing.T) string {
	t.Helper()
	ln := listen(t)
	mp := athrift.NewTMultiplexedProcessor()
	mp.RegisterProcessor("SecondService", agen.NewSecondServiceProcessor(apacheSecond{}))
	sock := athrift.NewTServerSocketFromFactoryTimeout(func(net.Addr) (net.Listener, error) { return ln, nil }, ln.Addr(), 0)
	tf := athrift.NewTFramedTransportFactoryConf(athrift.NewTTransportFactory(), nil)
	srv := athrift.NewTSimpleServer4(mp, sock, tf, athrift.NewTBinaryProtocolFactoryConf(nil))
	if err := srv.Listen(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.AcceptLoop() // ends with an error once Stop closes the listener
	}()
	t.Cleanup(func() {
		srv.Stop()
		<-done
	})
	return ln.Addr().String()
}

// apacheSecond implements Apache's SecondService as Apache's cross-language
// test servers do.
type apacheSecond struct{}

func (apacheSecond) SecondtestString(_ context.Context, thing string) (string, error) {
	return `testString("` + thing + `")`, nil
}
