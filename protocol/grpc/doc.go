// Package grpc implements the wire pieces of gRPC over HTTP/2 that do not
// depend on the HTTP/2 transport: length-prefixed messages, the grpc-timeout
// and grpc-status headers, percent-encoded status messages, the
// google.rpc.Status carried in grpc-status-details-bin, base64 for "-bin"
// headers, metadata key rules, and the mapping of Osprey's metainfo
// lifetimes onto metadata keys; and a server handler's custom metadata and
// response compression (IncomingFromContext, SetHeader, SendHeader,
// SetTrailer, SetSendCompressor), which reach the call through its
// rpcinfo.Info. docs/spec/grpc.md describes each; the code cites its
// sections as "spec §N".
//
// Everything here is hand-written over the standard library; the status
// details codec is a small protobuf encoder and decoder for two message
// types, not a general one.
//
// Ownership: AppendMessage, AppendTimeout and AppendStatus append to the
// caller's buffer and keep nothing. MessageReader returns views of the
// chunks it is fed, or of its own reused buffer, valid until its next Feed
// or Next call (see MessageReader). UnmarshalStatus copies what it returns,
// so the caller may keep it.
//
// Concurrency: the functions are safe for concurrent use; a MessageReader
// belongs to one stream and one goroutine at a time.
//
// Defaults: a MessageReader refuses messages larger than
// DefaultMaxReceiveMessageSize (4 MiB, as grpc-go) unless told otherwise.
package grpc
