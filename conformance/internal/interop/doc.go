// Package interop holds what every gRPC interop peer program shares,
// whatever gRPC implementation it wraps: the command-line flags of gRPC's
// interop test servers and clients, with TLS from internal/testcert, and the
// exit statuses. It imports no RPC library, so Osprey's peers and grpc-go's
// can both use it.
//
// testdata/grpc_testing.binpb is the FileDescriptorSet of grpc-go's
// grpc_testing protos (grpc/testing/test.proto, messages.proto, empty.proto
// and their dependencies) with go_package rewritten to this package's
// testpb subdirectory, for Osprey's code generator. TestDescriptorSet
// checks that it is up to date; -update rewrites it:
//
//	go test ./internal/interop -run TestDescriptorSet -update
//
// Only the test links grpc-go's grpc_testing; this package must not, since
// Osprey's peers import it and link the Osprey code generated from the same
// files (protobuf-go panics when one file name is registered twice).
package interop
