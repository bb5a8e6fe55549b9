package server

import (
	"context"
	"fmt"
	"runtime/debug"

	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/endpoint"
	"github.com/ospreyrpc/osprey/protocol/thrift"
	"github.com/ospreyrpc/osprey/rpcinfo"
	"github.com/ospreyrpc/osprey/service"
	"github.com/ospreyrpc/osprey/status"
)

// errPanicked is what a caller gets for a handler that panicked. The panic
// value stays in the server's log.
var errPanicked = status.New(codes.Internal, "internal error: handler panicked")

// validateDesc checks that desc is complete and that its request and
// response values are Thrift structs.
func validateDesc(desc *service.Desc) error {
	if desc.Name == "" || len(desc.Methods) == 0 {
		return fmt.Errorf("server: service description %q has no name or no methods", desc.Name)
	}
	seen := map[string]bool{}
	for i := range desc.Methods {
		m := &desc.Methods[i]
		if m.Name == "" || seen[m.Name] {
			return fmt.Errorf("server: service %s: empty or repeated method name %q", desc.Name, m.Name)
		}
		seen[m.Name] = true
		if m.NewCall == nil || m.Handler == nil {
			return fmt.Errorf("server: service %s method %s: incomplete description", desc.Name, m.Name)
		}
		call := m.NewCall()
		if _, ok := call.Args.(thrift.Struct); !ok {
			return fmt.Errorf("server: service %s method %s: arguments are not a thrift.Struct", desc.Name, m.Name)
		}
		if _, ok := call.Result.(thrift.Result); !ok && (call.Result != nil || !m.Oneway) {
			return fmt.Errorf("server: service %s method %s: result is not a thrift.Result", desc.Name, m.Name)
		}
	}
	return nil
}

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
