package server

import (
	"context"
	"runtime/debug"

	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/endpoint"
	"github.com/ospreyrpc/osprey/rpcinfo"
	"github.com/ospreyrpc/osprey/service"
	"github.com/ospreyrpc/osprey/status"
)

// errPanicked is what a caller gets for a handler that panicked. The panic
// value stays in the server's log.
var errPanicked = status.New(codes.Internal, "internal error: handler panicked")

// handlerEndpoint is the innermost endpoint of a method: it calls the
// handler and turns a panic into an error, so middleware sees it as one.
func (s *Server) handlerEndpoint(m *service.Method, impl any) endpoint.Endpoint {
	h := m.Handler
	return func(ctx context.Context, args, result any) (err error) {
		defer func() {
			if r := recover(); r != nil {
				err = s.panicked(ctx, r)
			}
		}()
		return h(ctx, impl, args, result)
	}
}

// panicked logs a recovered panic with its stack and returns the error the
// caller gets.
func (s *Server) panicked(ctx context.Context, r any) error {
	args := []any{"panic", r, "stack", string(debug.Stack())}
	if ri := rpcinfo.FromContext(ctx); ri != nil {
		args = append(args, "service", ri.Service, "method", ri.Method, "remote", ri.RemoteAddr)
	}
	s.opts.logger.Error("osprey: handler panicked", args...)
	return errPanicked
}

// streamEndpoint is the innermost endpoint of a streaming method: it runs
// the handler over the call's stream, turning a panic into an error.
func (s *Server) streamEndpoint(m *service.Method, impl any) endpoint.StreamEndpoint {
	h := m.StreamHandler
	return func(ctx context.Context, call *endpoint.StreamCall) (err error) {
		defer func() {
			if r := recover(); r != nil {
				err = s.panicked(ctx, r)
			}
		}()
		return h(ctx, impl, call.Stream)
	}
}
