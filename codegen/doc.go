// Package codegen generates Go code from an IDL program (package idl).
//
// Thrift writes, for each IDL file, one Go package (named by the file's
// "go" namespace, or else its base name) holding:
//
//   - <file>_types.go: constants, enums (with String and parsing),
//     typedefs, and structs, unions and exceptions with constructors that
//     apply defaults, nil-safe getters, and String; exceptions implement
//     error and status.BusinessError;
//   - <file>_codec.go: per-struct size, encode and decode methods for the
//     binary and compact protocols, calling the writers and readers of
//     package protocol/thrift directly (no reflection);
//   - <file>_service.go, for files with services: the argument and result
//     structs of every method, the service interface, Unimplemented<Service>
//     to embed, the service.Desc, Register<Service>, and a typed client.
//
// Names follow the rule Apache Thrift's and Kitex's Go generators share
// (docs/codegen-names.md): "string_thing" becomes StringThing, while
// "TYPE_ORDER" stays TYPE_ORDER. A file without a "go" namespace goes in
// a directory named by its lower-cased base name, which is also its
// package name; importers alias a package whose name differs from its
// directory. A field's "go.tag" annotation replaces its generated struct
// tag. Every struct has Validate, which reports a nil required struct
// field, in it or nested; the runtime calls it before encoding a message,
// so such a message fails on the sending side with nothing written.
// Annotations Osprey does not implement ("streaming.mode", "api.*") are
// reported through Options.Warn.
//
// Output is deterministic and gofmt-formatted. Go representation: required
// and default fields are values (structs are pointers); optional scalars
// and enums are pointers, optional binary and containers use nil for
// unset; sets are slices; a map keyed by a struct uses the struct's pointer
// as key, and a map keyed by a container is a []thrift.MapEntry.
package codegen
