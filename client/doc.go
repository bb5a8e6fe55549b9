// Package client calls Osprey services.
//
// A Client calls one service at one target: "host:port", a comma-separated
// list of them, "unix:/path/to/socket", "dns:///host:port", or a URL whose
// scheme a resolver given with WithResolverBuilder serves (WithResolver
// takes a resolver directly). Generated code wraps a Client in a typed
// client with one method per IDL method; Call is the untyped form
// underneath. ForService returns a Client of another service that shares
// the first one's target: its instances and connections.
//
// # Targets, instances, attempts
//
// What a target resolves to is a set of instances (package discovery),
// watched for changes. Each attempt of a call asks the picker of the
// balancer (package loadbalance; smooth weighted round robin by default) for an instance
// and goes to that instance's connections; rpcinfo records the instance and
// the attempt number. When the set changes, the connections of instances
// that went away close once their calls in flight finish.
//
// # Connections
//
// By default connections are pooled ping-pong connections, one call at a
// time each: a call takes an idle connection (or dials one), sends its
// request, reads the reply and gives the connection back. The pool keeps
// at most WithMaxIdleConns idle connections per instance and closes those
// idle longer than WithIdleTimeout. With WithMultiplex calls share a few
// TTHeader connections per instance instead, matched by sequence id; a call
// that times out frees its place without harming the connection, and a
// connection that breaks fails only its own calls. A connection on which
// anything went wrong (an I/O error, a timeout or cancellation of a
// ping-pong call, a malformed reply, a sequence id that does not match) is
// closed, never reused.
//
// # Protocols
//
// Plain Thrift by default (WithThrift chooses binary or compact, framed or
// unframed), or TTHeader around it (WithTTHeader, implied by WithMultiplex):
// TTHeader carries the caller's and callee's names (WithCallerName,
// WithCalleeName), the call's deadline and its metadata (package metainfo),
// and brings back backward metadata and business errors, interoperating
// with Kitex (docs/spec/ttheader.md).
//
// # gRPC
//
// A service whose description has Protobuf set (generated from .proto),
// or any with WithGRPC, is called over gRPC (docs/spec/grpc.md §15): one
// HTTP/2 connection per instance, and more when the server's stream limit
// is reached; h2c by default, TLS with WithTLS. Unary calls go through
// Call; Stream opens streaming calls of all three kinds, through the
// middleware of WithStreamMiddleware. Request metadata, response headers
// and trailers, and per-call compression are set through package
// protocol/grpc (NewOutgoingContext, WithResponseMD, WithSendCompressor);
// WithCompressors and WithSendCompression configure compression for the
// client, WithKeepalive its PINGs.
//
// # Deadlines and errors
//
// Every call has a deadline: the earlier of the context's deadline and the
// call timeout (WithCallTimeout, 10 seconds by default). Cancelling the
// context aborts the call: a multiplexed call at once, a ping-pong call
// within a few milliseconds (its connection's I/O is interrupted by a
// watcher, which costs the call no allocation).
//
// Errors are *status.Error values with a code (see package status), except
// declared exceptions, which come back as their generated types. An error
// for which status.IsNotSent is true never left the process, so any call
// is safe to retry after it. Middleware added with WithMiddleware sees
// every call, first added outermost; per-call information is in
// rpcinfo.FromContext(ctx).
//
// A Client is safe for concurrent use. Close it when done.
package client
