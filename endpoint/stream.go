package endpoint

import "context"

// Stream is the message flow of one streaming call, as one side sees it.
// Send and Recv may be called from different goroutines, but neither from
// two at once.
type Stream interface {
	// Context returns the call's context: the one the client opened the
	// stream with, or the server's context for the call.
	Context() context.Context
	// Send sends one message. On a client it fails once CloseSend was
	// called; on either side it returns io.EOF when the peer has ended the
	// call (the call's status comes from Recv then).
	Send(m any) error
	// Recv receives the next message into m. It returns io.EOF when the
	// peer has finished sending normally, and the call's error otherwise.
	Recv(m any) error
	// CloseSend tells the peer that this side sends nothing more. On a
	// server the handler's return does that, and CloseSend does nothing.
	CloseSend() error
}

// StreamCall carries a streaming call's Stream through a StreamEndpoint
// chain.
type StreamCall struct {
	// Stream is the call's stream. On a server it is set when the chain
	// is called. On a client the innermost endpoint sets it when it has
	// opened the stream.
	Stream Stream
}

// StreamEndpoint handles one streaming call. On a server the innermost
// StreamEndpoint runs the handler over call.Stream and returns when the
// handler does. On a client the innermost one opens the stream, sets
// call.Stream and returns; the caller then sends and receives on it.
//
// Middleware wraps the stream by replacing call.Stream with a Stream that
// calls the original: on a server before calling next, on a client after
// next returns.
type StreamEndpoint func(ctx context.Context, call *StreamCall) error

// StreamMiddleware wraps a StreamEndpoint.
type StreamMiddleware func(next StreamEndpoint) StreamEndpoint

// ChainStream returns a StreamMiddleware that applies mws with the first
// one outermost, as Chain does for unary calls.
func ChainStream(mws ...StreamMiddleware) StreamMiddleware {
	return func(next StreamEndpoint) StreamEndpoint {
		for i := len(mws) - 1; i >= 0; i-- {
			if mws[i] != nil {
				next = mws[i](next)
			}
		}
		return next
	}
}
