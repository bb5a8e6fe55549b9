// Command greeter is Osprey's gRPC example: it starts a server on a free
// loopback port with the Greeter service, the health service and server
// reflection, then calls it with the generated client, once unary and
// once over a bidirectional stream, with metadata both ways, prints what
// it got, and stops the server. Any gRPC client (grpcurl, grpc-go) could
// call the same server, on the same port as Thrift clients.
//
//	go run ./examples/greeter
//
// The code in gen/ is generated from greeter.proto, without protoc, by:
//
//	go run ./cmd/osprey gen -o examples/greeter/gen examples/greeter/greeter.proto
package main
