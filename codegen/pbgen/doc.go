// Package pbgen generates Go code from Protocol Buffers: protoc-gen-go's
// message code and Osprey's service code, without protoc.
//
// Input is either .proto files, parsed and linked with their imports by
// protocompile (imports are searched in Options.ImportPaths, and the
// well-known types are built in), or FileDescriptorSet files as
// "protoc --descriptor_set_out" and "buf build -o" write them, told apart
// by their extension (.pb, .binpb, .desc, .protoset, .bin) or else by
// their content. A syntax or link error reads "file:line:col: message".
//
// For every file generated, Generate writes what protoc-gen-go would
// (<name>.pb.go, by protoc-gen-go's own generator) and, for a file with
// services, <name>_osprey.pb.go (GenerateFile): per service X, the server
// interface X, UnimplementedX, XDesc and RegisterX, the typed client
// XClient (NewXClient, NewXClientFrom) and, per streaming method M, the
// typed streams X_MServer and X_MClient, named as protoc-gen-go-grpc
// names them. Proto comments become doc comments. docs/codegen-proto.md
// shows the API.
//
// Files go where their go_package puts them, relative to the output
// directory whose import path is Options.ImportPrefix. A file without a
// go_package goes in the directory its proto package names ("acme.greet.v1"
// → acme/greet/v1, package v1), or without a package one named by its base
// name, as if protoc were given M<file>=<ImportPrefix>/<dir>. Output is
// deterministic and gofmt-formatted.
//
// cmd/protoc-gen-osprey runs GenerateFile as a protoc or buf plugin, next
// to protoc-gen-go.
package pbgen
