// Package client calls Osprey services.
//
// A Client talks to one service at one target, "host:port" or
// "unix:/path/to/socket". Generated code wraps it in a typed client with one
// method per IDL method; Call is the untyped form underneath.
//
// Connections are long-lived and pooled: a call takes an idle connection
// (or dials one), sends its request, reads the reply, and gives the
// connection back. The pool keeps at most WithMaxIdleConns idle connections
// and closes those idle longer than WithIdleTimeout. A connection on which
// anything went wrong (an I/O error, a timeout, a malformed reply, a
// sequence id that does not match) is closed, never reused.
//
// Every call has a deadline: the earlier of the context's deadline and the
// call timeout (WithCallTimeout, 10 seconds by default). Cancelling the
// context aborts the call.
//
// Errors are *status.Error values with a code (see package status), except
// declared exceptions, which come back as their generated types.
// Middleware added with WithMiddleware sees every call, first added
// outermost; per-call information is in rpcinfo.FromContext(ctx).
//
// A Client is safe for concurrent use. Close it when done.
package client
