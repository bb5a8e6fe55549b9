// Package apache is the Apache Thrift Go library peer used by the Osprey
// conformance tests.
//
// It runs the reference side of Apache's cross-language test service,
// ThriftTest (test/ThriftTest.thrift in the Apache Thrift repository), with
// the Apache Thrift Go library github.com/apache/thrift/lib/go/thrift and code
// generated for it by the Apache Thrift compiler (see gen/README.md):
//
//   - Serve starts an Apache TSimpleServer whose handler behaves as the
//     comments of ThriftTest.thrift document, so an Osprey client can be
//     checked against it.
//   - Check drives an Apache client through every ThriftTest method against a
//     server, such as an Osprey one, and reports every result that differs
//     from what ThriftTest.thrift documents.
//
// Options select the Apache protocol (binary or compact) and transport
// (framed or buffered), named as in Apache's cross-language test suite.
package apache
