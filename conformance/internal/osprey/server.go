package osprey

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/ospreyrpc/osprey/internal/gen/thrifttest"
	"github.com/ospreyrpc/osprey/server"
)

// StopTimeout bounds how long Stop waits for calls in progress to finish
// before it cancels them and closes their connections.
const StopTimeout = 5 * time.Second

// Server is an Osprey server serving ThriftTest and SecondService, started
// by Serve.
type Server struct {
	srv      *server.Server
	addr     net.Addr
	oneway   *onewayLog
	stopping chan struct{} // closed by Stop; ends testOneway sleeps
	served   chan error    // receives what srv.Serve returned
	stopOnce sync.Once
	stopErr  error
}

// Serve starts an Osprey server on ln serving ThriftTest, whose handler
// behaves as the comments of ThriftTest.thrift document, and SecondService,
// whose secondtestString(thing) returns `testString("thing")` as in Apache's
// cross-language test servers. Both are also reachable through Apache's
// multiplexed protocol, as "ThriftTest:method" and "SecondService:method".
// The server logs to logger, or to slog.Default() if logger is nil.
//
// No protocol options are needed: the server detects, per connection,
// binary or compact protocol, framed or buffered (unframed) transport.
//
// The server owns ln from then on: Stop closes it. On error ln is closed too.
func Serve(ln net.Listener, logger *slog.Logger) (*Server, error) {
	return serve(ln, logger, nil)
}

// serve is Serve with the ThriftTest handler passed through wrap, if not
// nil, so that tests can make it misbehave.
func serve(ln net.Listener, logger *slog.Logger, wrap func(thrifttest.ThriftTest) thrifttest.ThriftTest) (*Server, error) {
	var opts []server.Option
	if logger != nil {
		opts = append(opts, server.WithLogger(logger))
	}
	srv, err := server.New(opts...)
	if err != nil {
		ln.Close()
		return nil, err
	}
	s := &Server{
		srv:      srv,
		addr:     ln.Addr(),
		oneway:   newOnewayLog(),
		stopping: make(chan struct{}),
		served:   make(chan error, 1),
	}
	var h thrifttest.ThriftTest = &handler{oneway: s.oneway, stopping: s.stopping}
	if wrap != nil {
		h = wrap(h)
	}
	if err := thrifttest.RegisterThriftTest(srv, h); err != nil {
		ln.Close()
		return nil, err
	}
	if err := thrifttest.RegisterSecondService(srv, secondHandler{}); err != nil {
		ln.Close()
		return nil, err
	}
	go func() { s.served <- srv.Serve(ln) }()
	return s, nil
}

// Addr returns the address the server listens on.
func (s *Server) Addr() net.Addr {
	return s.addr
}

// Stop stops the server gracefully: it ends testOneway sleeps early, stops
// accepting, lets calls in progress finish (for up to StopTimeout, after
// which it cancels them and closes their connections), and returns once the
// server has stopped serving. It returns nil if the server stopped cleanly.
// It may be called more than once; later calls return what the first did.
func (s *Server) Stop() error {
	s.stopOnce.Do(func() {
		close(s.stopping)
		ctx, cancel := context.WithTimeout(context.Background(), StopTimeout)
		defer cancel()
		err := s.srv.Stop(ctx)
		if serveErr := <-s.served; !errors.Is(serveErr, server.ErrStopped) {
			err = errors.Join(err, fmt.Errorf("osprey: Serve returned %v, want %v", serveErr, server.ErrStopped))
		}
		s.stopErr = err
	})
	return s.stopErr
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
