// Package grpcgo holds the conformance tests of Osprey's gRPC support
// against grpc-go.
package grpcgo
