// Package metainfo carries string metadata with a call, across hops, with
// three lifetimes:
//
//   - transient values go to the next hop only: a server handler reads the
//     transient values its caller sent, and they are not forwarded when the
//     handler calls another service;
//   - persistent values go to every hop downstream: a server handler's
//     outgoing calls forward the persistent values it received, plus any it
//     adds;
//   - backward values travel from the callee back to its caller: a handler
//     sends them with SendBackward, and a caller that asked with
//     WithBackward reads them with RecvBackward after the call.
//
// Values live in the context. WithPersistent and WithTransient return a
// child context and never change the parent's values, so a context can be
// shared between goroutines. Keys and values are strings; protocols carry
// them in their own headers (TTHeader string info with Kitex's
// RPC_PERSIST_/RPC_TRANSIT_ prefixes, so values cross between Osprey and
// Kitex services; gRPC metadata with the rpc-persist-/rpc-transit-/
// rpc-backward- prefixes, docs/spec/grpc.md §8). Write keys in upper case
// with underscores (TRACE_ID): HTTP/2 lowers header names, and gRPC gives
// back "rpc-persist-trace-id" as TRACE_ID, as Kitex does, so only such
// keys arrive unchanged over every protocol. A call whose metadata is larger than
// DefaultMaxSize in total fails before it is sent, with InvalidArgument.
//
// A Metadata value is what the framework keeps per call (in rpcinfo.Info);
// user code reads and writes metadata through the functions of this package.
package metainfo
