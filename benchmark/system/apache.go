package system

import (
	"context"
	"errors"
	"github.com/ospreyrpc/osprey/internal/tracklisten"
	"net"
	"sync"

	"github.com/apache/thrift/lib/go/thrift"

	apacheecho "github.com/ospreyrpc/osprey/benchmark/gen/apache/echo"
)

// Apache is the Apache Thrift Go library with its defaults: a
// TSimpleServer (a goroutine per connection) with framed transport and
// binary protocol, and callers that each own a connection and a generated
// client.
var Apache = System{
	Name:  "apache",
	Doc:   "Apache Thrift Go library v0.25.0: TSimpleServer, framed binary Thrift, a connection per caller",
	Serve: serveApache,
	NewClient: func(addr string, _ int) (Client, error) {
		return &apacheClient{addr: addr}, nil
	},
}

type apacheHandler struct{}

func (apacheHandler) Echo(_ context.Context, req *apacheecho.Request) (*apacheecho.Response, error) {
	return &apacheecho.Response{Action: req.Action, Msg: req.Msg}, nil
}

func serveApache(ln net.Listener) (func(), error) {
	return serveApacheHandler(ln, apacheHandler{})
}

// serveApacheHandler serves h on ln; tests pass handlers that misbehave.
func serveApacheHandler(ln net.Listener, h apacheecho.EchoServer) (func(), error) {
	tl := tracklisten.New(ln)
	transport := thrift.NewTServerSocketFromFactoryTimeout(
		func(net.Addr) (net.Listener, error) { return tl, nil }, tl.Addr(), 0)
	srv := thrift.NewTSimpleServer4(apacheecho.NewEchoServerProcessor(h), transport,
		thrift.NewTFramedTransportFactoryConf(thrift.NewTTransportFactory(), nil),
		thrift.NewTBinaryProtocolFactoryConf(nil))
	// Serve would do these two, but its Listen could race with a Stop that
	// came first (and Stop would then wait for nothing while Serve went on
	// accepting), so do them here and run only the accept loop.
	srv.SetLogContext(context.Background())
	if err := srv.Listen(); err != nil {
		tl.Close()
		return nil, err
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		// It returns once Stop has closed the listener.
		_ = srv.AcceptLoop()
	}()
	var once sync.Once
	return func() {
		once.Do(func() {
			// Stop closes the listener, and with it (see
			// tracklisten) every connection, then waits for
			// the connections' goroutines.
			_ = srv.Stop()
			<-done
		})
	}, nil
}

type apacheClient struct {
	addr   string
	mu     sync.Mutex
	transs []thrift.TTransport
}

// Caller connects a TSocket of its own, with a framed transport, binary
// protocol and generated client on top, all with Apache's defaults.
func (c *apacheClient) Caller() (Caller, error) {
	sock := thrift.NewTSocketConf(c.addr, nil)
	if err := sock.Open(); err != nil {
		return nil, err
	}
	trans := thrift.NewTFramedTransportConf(sock, nil)
	c.mu.Lock()
	c.transs = append(c.transs, trans)
	c.mu.Unlock()
	pf := thrift.NewTBinaryProtocolFactoryConf(nil)
	ec := apacheecho.NewEchoServerClient(thrift.NewTStandardClient(pf.GetProtocol(trans), pf.GetProtocol(trans)))
	// One request per caller, reused, as kitex-benchmark pools its requests.
	req := &apacheecho.Request{Action: "echo"}
	return func(msg string) error {
		req.Msg = msg
		ctx, cancel := callContext()
		resp, err := ec.Echo(ctx, req)
		cancel()
		if err != nil {
			return err
		}
		return checkReply(resp.Action, resp.Msg, msg)
	}, nil
}

func (c *apacheClient) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var errs []error
	for _, t := range c.transs {
		errs = append(errs, t.Close())
	}
	c.transs = nil
	return errors.Join(errs...)
}
