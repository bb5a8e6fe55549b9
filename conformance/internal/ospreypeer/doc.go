// Package ospreypeer is Osprey's side of gRPC's interop tests: the
// grpc.testing.TestService server (server.go) and the client test cases
// (client.go), on code osprey gen made from grpc-go's descriptors
// (internal/interop/testpb). cmd/grpc-server and cmd/grpc-client run them.
//
// It must never be linked with grpc-go's interop packages: both register
// the same proto files (see conformance/README.md).
package ospreypeer
