// Package server serves Osprey services.
//
// Build a Server with New, add services with Register (generated code wraps
// it as Register<Service>), and call Serve with one or more listeners (TCP,
// Unix sockets, anything net.Listener). Stop shuts it down gracefully.
//
// One port speaks every protocol: the server reads the first bytes of each
// connection and picks the protocol from them. Today that is Apache Thrift
// in all four forms (binary or compact, framed or unframed); each
// connection keeps the form it started with.
//
// Calls on one connection are handled one after another, in order; calls on
// different connections run concurrently. A handler that panics makes its
// caller get an INTERNAL_ERROR application exception; the panic and its
// stack are logged and the server keeps serving. A message larger than the
// size limit, or one that cannot be parsed, closes that connection only.
//
// A handler's context is cancelled when Stop gives up waiting. Plain Thrift
// carries no deadline and the server does not read a connection while its
// call is being handled, so a handler keeps running after its caller has
// given up; bound long work with your own timeout.
//
// Middleware added with WithMiddleware wraps every method's handler, first
// added outermost; a handler's declared exception reaches middleware as the
// returned error. Per-call information is in rpcinfo.FromContext(ctx).
package server
