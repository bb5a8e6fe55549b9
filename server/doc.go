// Package server serves Osprey services.
//
// Build a Server with New, add services with Register (generated code wraps
// it as Register<Service>), and call Serve with one or more listeners (TCP,
// Unix sockets, anything net.Listener). Stop shuts it down gracefully.
//
// # Protocols
//
// One port speaks every protocol: the server reads the first bytes of each
// connection and hands it to the serving code of the protocol they show.
// Today that is Apache Thrift in all four forms (binary or compact, framed
// or unframed) and TTHeader (docs/spec/ttheader.md), the header Kitex puts
// around Thrift messages, with or without a framed payload; TTHeader and
// plain framed messages may be mixed on one connection. A service
// registered once is reachable over every protocol that can carry it.
// Methods are found by service and method name: two services may both have
// a method of the same name, and plain Thrift, which names only the method,
// reaches it while one service has it (and always as "Service:method").
//
// HTTP/2 connections carry gRPC (docs/spec/grpc.md): services whose
// messages implement protocol/grpc's Marshaler and Unmarshaler, unary and
// streaming. Handlers read and set custom metadata with
// grpc.IncomingFromContext, SetHeader, SendHeader and SetTrailer. Request
// messages may be compressed with gzip or a compressor given with
// WithCompressors; responses are compressed with WithSendCompression or a
// handler's grpc.SetSendCompressor, for clients that accept the encoding.
// A request message is at most WithGRPCMaxRecvMsgSize (4 MiB), after
// decompression. Services list themselves to gRPC server reflection
// through Services (package reflection).
//
// # Connections
//
// Calls on one connection are handled one after another, in order, and
// calls on different connections run concurrently, with one exception: a
// TTHeader connection whose client multiplexes it (Osprey's
// client.WithMultiplex says so; a client that sends a request before the
// previous reply shows it) is served concurrently, its replies written as
// they complete and coalesced into few writes, at most
// WithMaxConcurrentPerConn requests at once (1000 by default; then the
// connection is not read until one finishes).
//
// A connection closes when it stays idle longer than WithIdleTimeout (2
// minutes), when part of a request has arrived and the rest takes longer
// than WithReadTimeout (5 seconds; also for bytes too few to tell the
// protocol), when a reply cannot be written within WithWriteTimeout (30
// seconds), and on bad input: a message larger than the size limit, or one
// that cannot be parsed, closes that connection only.
//
// # Limits
//
// WithLimits and WithMethodLimits protect the server with package limit's
// limiters: QPS with a burst, calls in flight, and an adaptive in-flight
// limit that follows latency. A call is admitted once its method is known
// and before its request is decoded, and counts until its reply is
// written; a refused call gets an INTERNAL_ERROR application exception
// (Thrift) or RESOURCE_EXHAUSTED (gRPC) saying which limit refused it,
// and its connection stays open. SetLimits changes limits while serving
// (docs/design/governance.md, "Server limits").
//
// # Handlers
//
// A handler that panics makes its caller get an INTERNAL_ERROR application
// exception; the panic and its stack are logged and the server keeps
// serving. Over TTHeader a handler's context carries the caller's deadline,
// its metadata (package metainfo) and names (rpcinfo); backward metadata it
// sends with metainfo.SendBackward and business errors made with
// status.Business travel back in the reply's header. A handler's context is
// cancelled when its caller's deadline passes, when the handler returns,
// and when Stop gives up waiting. Plain Thrift carries no deadline, so over
// it a handler keeps running after its caller has given up; bound long work
// with your own timeout.
//
// Middleware added with WithMiddleware wraps every unary method's handler,
// and WithStreamMiddleware every streaming one's, first added outermost; a
// handler's declared exception reaches middleware as the returned error.
// Per-call information is in rpcinfo.FromContext(ctx).
package server
