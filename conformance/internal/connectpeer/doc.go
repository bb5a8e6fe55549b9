// Package connectpeer is the connect-go side of the gRPC interop tests, a
// second gRPC implementation independent of grpc-go's: the UnaryCall,
// EmptyCall and FullDuplexCall methods of grpc.testing.TestService served
// by connect-go handlers (which speak the gRPC protocol among others), and
// a connect-go client speaking the gRPC protocol (connect.WithGRPC) running
// the test cases empty_unary, large_unary and ping_pong. It backs
// cmd/connect-server and cmd/connect-client.
//
// It uses connect-go's generic handlers and client with grpc-go's
// grpc_testing message types, so no connect code generation is needed.
// Like grpcgopeer it links grpc_testing and so must never share a binary
// with Osprey's code generated from the same .proto files.
package connectpeer
