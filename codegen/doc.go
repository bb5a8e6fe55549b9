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
// Output is deterministic and gofmt-formatted. Go representation: required
// and default fields are values (structs are pointers); optional scalars
// and enums are pointers, optional binary and containers use nil for
// unset; sets are slices; a map keyed by a struct uses the struct's pointer
// as key, and a map keyed by a container is a []thrift.MapEntry.
package codegen
