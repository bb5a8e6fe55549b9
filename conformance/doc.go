// Package conformance holds Osprey's Apache Thrift conformance tests: Osprey
// and the Apache Thrift Go library talking to each other through Apache's
// cross-language test service, ThriftTest, in every protocol and transport
// both speak, and Osprey's generated codecs reading and writing the same
// bytes as Apache's. TestApacheCorpusBuilds generates, builds and vets the
// code for Apache's own test IDL files (corpus_test.go lists the files and
// the ones left out, with why).
//
// The tests are in this package's _test.go files; the two sides are
// internal/apache (the Apache library peer) and internal/osprey (Osprey).
// cmd/thrift-server and cmd/thrift-client are Osprey's ThriftTest server and
// client with the command-line flags of Apache's cross-language test suite.
// See README.md.
package conformance
