// Package endpoint defines the one function type every call goes through, on
// the client and on the server, and the middleware that wraps it.
//
// An Endpoint takes the request and a response to fill: for Thrift these are
// the generated argument and result structs of the method. A Middleware takes
// an Endpoint and returns one that does something before and after it.
//
// Order: Chain(a, b, c)(e) runs a, then b, then c, then e, and unwinds in the
// reverse order, so the first middleware listed is the outermost. Client and
// server options that add middleware keep that order: the first one added is
// the first to see a call.
//
// Streaming calls have their own pair of types, StreamEndpoint and
// StreamMiddleware, with ChainStream in the same order; middleware wraps a
// call's Stream to see or change every message sent and received.
//
// Per-call information (service, method, addresses, deadline, timings) is
// not passed as an argument: read it with rpcinfo.FromContext(ctx).
package endpoint
