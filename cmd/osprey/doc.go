// Command osprey generates Go code from Thrift IDL and scaffolds projects.
//
//	osprey gen [-o DIR] [-I DIR]... [--import-prefix PATH] FILE.thrift...
//	osprey new [--dir DIR] [--service NAME] [--replace DIR] MODULE FILE.thrift
//	osprey version
//
// gen parses each file (with everything it includes; no Thrift compiler is
// needed) and writes one Go package per IDL file under DIR (default "gen").
// new creates a runnable project: go.mod, the IDL, generated code, a
// handler stub, cmd/server and cmd/client.
package main
