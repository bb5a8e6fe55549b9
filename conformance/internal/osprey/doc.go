// Package osprey is the Osprey side of the Apache Thrift conformance tests.
//
// It runs Apache's cross-language test service, ThriftTest
// (test/ThriftTest.thrift in the Apache Thrift repository), with Osprey and
// the code Osprey generates for it (package internal/gen/thrifttest of the
// root module):
//
//   - Serve starts an Osprey server whose handler behaves as the comments of
//     ThriftTest.thrift document. It also serves SecondService, so that
//     clients using Apache's multiplexed protocol can reach both services.
//     The server detects the protocol and transport of each connection, so
//     one server answers binary and compact, framed and buffered clients.
//   - Check drives the Osprey client through every ThriftTest method against
//     a server, such as the Apache library peer of package internal/apache,
//     and reports every result that differs from what ThriftTest.thrift
//     documents, as well as Osprey's own error semantics: declared
//     exceptions as typed business errors, undeclared ones as remote
//     application exceptions.
//
// Protocol and transport names are those of Apache's cross-language test
// suite, as package apache defines them (apache.Options).
package osprey
