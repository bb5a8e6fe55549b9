package endpoint

import "context"

// Endpoint handles one call. req is the request; resp is where the response
// goes. On a client the innermost Endpoint sends the call; on a server it is
// the handler. A declared (business) exception travels up the chain as the
// returned error, so middleware sees it; see package status.
type Endpoint func(ctx context.Context, req, resp any) error

// Middleware wraps an Endpoint. It may act before and after calling next,
// change the request or response, or not call next at all.
type Middleware func(next Endpoint) Endpoint

// Chain returns a Middleware that applies mws with the first one outermost:
// Chain(a, b)(e) is a(b(e)). Chain() returns the identity, and nil entries
// are skipped.
func Chain(mws ...Middleware) Middleware {
	return func(next Endpoint) Endpoint {
		for i := len(mws) - 1; i >= 0; i-- {
			if mws[i] != nil {
				next = mws[i](next)
			}
		}
		return next
	}
}
