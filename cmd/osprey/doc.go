// Command osprey generates Go code from Thrift IDL or Protocol Buffers and
// scaffolds projects.
//
//	osprey gen [-o DIR] [-I DIR]... [--import-prefix PATH] FILE.thrift...
//	osprey gen [-o DIR] [-I DIR]... [--import-prefix PATH] FILE.proto...|FILE.binpb...
//	osprey new [--dir DIR] [--service NAME] [--replace DIR] MODULE FILE.thrift|FILE.proto
//	osprey version
//
// gen parses each file (with everything it includes; no Thrift compiler is
// needed) and writes one Go package per IDL file under DIR (default "gen").
// Files not ending in .thrift are Protocol Buffers, .proto sources or
// FileDescriptorSets (package codegen/pbgen, docs/codegen-proto.md): no
// protoc is needed either.
// new creates a runnable project: go.mod, the IDL, generated code, a
// handler stub, cmd/server and cmd/client.
package main
