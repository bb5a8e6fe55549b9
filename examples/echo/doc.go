// Command echo is Osprey's smallest complete program: it starts a server
// on a free loopback port, calls it once with the generated client, prints
// the request, the reply and what the framework knows about the call, and
// stops the server.
//
//	go run ./examples/echo
//
// The code in gen/ is generated from echo.thrift by:
//
//	go run ./cmd/osprey gen -o examples/echo/gen examples/echo/echo.thrift
package main
