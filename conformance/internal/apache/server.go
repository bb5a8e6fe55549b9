package apache

import (
	"context"
	"github.com/ospreyrpc/osprey/internal/tracklisten"
	"net"
	"sync"

	"github.com/apache/thrift/lib/go/thrift"

	"github.com/ospreyrpc/osprey/conformance/internal/apache/gen/thrifttest"
)

// Server is an Apache Thrift Go library TSimpleServer serving ThriftTest,
// started by Serve.
type Server struct {
	srv      *thrift.TSimpleServer
	addr     net.Addr
	oneway   *onewayLog
	stopping chan struct{} // closed by Stop
	done     chan struct{} // closed when the accept loop has returned
	stopOnce sync.Once
}

// Serve starts an Apache Thrift Go library TSimpleServer on ln serving the
// ThriftTest service, and only that service (not multiplexed), with the
// protocol and transport opts selects and Apache's defaults otherwise. Its
// handler behaves as the comments of ThriftTest.thrift document.
//
// The server owns ln from then on: Stop closes it. On error ln is closed too.
func Serve(ln net.Listener, opts Options) (*Server, error) {
	return serve(ln, opts, nil)
}

// serve is Serve with the handler passed through wrap, if not nil, so that
// tests can make it misbehave.
func serve(ln net.Listener, opts Options, wrap func(thrifttest.ThriftTest) thrifttest.ThriftTest) (*Server, error) {
	pf, tf, err := opts.factories(nil)
	if err != nil {
		ln.Close()
		return nil, err
	}
	s := &Server{
		addr:     ln.Addr(),
		oneway:   newOnewayLog(),
		stopping: make(chan struct{}),
		done:     make(chan struct{}),
	}
	var h thrifttest.ThriftTest = &handler{oneway: s.oneway, stopping: s.stopping}
	if wrap != nil {
		h = wrap(h)
	}
	tl := tracklisten.New(ln)
	transport := thrift.NewTServerSocketFromFactoryTimeout(
		func(net.Addr) (net.Listener, error) { return tl, nil }, tl.Addr(), 0)
	s.srv = thrift.NewTSimpleServer4(thrifttest.NewThriftTestProcessor(h), transport, tf, pf)
	// Serve would do these two, but its Listen could race with a Stop that
	// came first, so do them here and run only the accept loop.
	s.srv.SetLogContext(context.Background())
	if err := s.srv.Listen(); err != nil {
		tl.Close()
		return nil, err
	}
	go func() {
		defer close(s.done)
		// It returns an error once Stop has closed the listener; that
		// is how it ends.
		_ = s.srv.AcceptLoop()
	}()
	return s, nil
}

// Addr returns the address the server listens on.
func (s *Server) Addr() net.Addr {
	return s.addr
}

// Stop stops the server: it closes the listener and every open connection,
// ends testOneway sleeps early, and returns once every goroutine of the
// server has ended. It may be called more than once.
func (s *Server) Stop() {
	s.stopOnce.Do(func() {
		close(s.stopping)
		// Stop closes the TServerSocket, which closes the listener and
		// with it every connection, then waits for their goroutines.
		s.srv.Stop()
		<-s.done
	})
}

// OnewayCalls returns how many testOneway calls have arrived so far.
func (s *Server) OnewayCalls() int64 {
	return s.oneway.count()
}

// WaitOneway waits for a testOneway call to arrive and returns its
// secondsToSleep argument; it is recorded on arrival, before the handler
// sleeps. Each call is returned once, oldest first, whether it arrived before
// WaitOneway was called or while it waited. WaitOneway returns the cause of
// ctx's end if ctx ends first.
func (s *Server) WaitOneway(ctx context.Context) (int32, error) {
	return s.oneway.wait(ctx)
}
