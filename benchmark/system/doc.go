// Package system defines the RPC stacks the benchmark compares. Each is a
// System: an echo server and a client for it. The Thrift systems speak
// kitex-benchmark's Thrift echo (EchoServer.Echo(Request) returning
// Response, each with a required action and msg string); the gRPC systems
// (System.GRPC) speak the same shape in protobuf, echo.Echo of
// gen/pb/echo.proto, with a unary Echo and a bidirectional EchoStream.
//
// Adding a stack means one new file that defines its System and one line
// in the list All returns; nothing else changes.
package system
