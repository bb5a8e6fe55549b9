// Package grpcgopeer is the grpc-go side of the gRPC interop tests: the
// grpc.testing.TestService server and the named client test cases behind
// cmd/grpcgo-server and cmd/grpcgo-client.
//
// It builds on grpc-go's interop package (interop.NewTestServer and its Do*
// client functions) and adds what that package lacks: the four compression
// cases of gRPC's interop test descriptions, client_compressed_unary,
// server_compressed_unary, client_compressed_streaming and
// server_compressed_streaming, on both sides.
//
// grpc-go does not show whether a message arrived with the compressed flag
// set. Both sides learn it from grpc-go's stats: a received message was
// compressed when its length on the wire differs from its decoded length.
// That is exact for the interop messages, whose bodies are zeros that gzip
// always shrinks.
//
// grpc-go cannot vary the compressed flag within one stream: once a stream
// has a compressor every message is compressed. So the client sends the
// expect_compressed=false message of client_compressed_streaming compressed
// (servers check only expect_compressed=true), and the server compresses
// every message of server_compressed_streaming when any asks for it, which a
// client following the descriptions rejects (see ServerCompressedStreaming).
//
// This package links grpc-go's generated grpc_testing code. A binary must
// never also link Osprey's code generated from the same .proto files:
// protobuf-go panics when two packages register one file name.
package grpcgopeer
