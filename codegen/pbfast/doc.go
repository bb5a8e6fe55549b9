// Package pbfast generates protobuf fast paths for Osprey's gRPC codec:
// for every message of a .proto file, methods on the struct that
// protoc-gen-go generates for it (same Go package), implementing
// protocol/grpc's Marshaler and Unmarshaler without reflection:
//
//	SizeGRPC() int                           // exact encoded size
//	MarshalGRPC(dst []byte) ([]byte, error)  // appends the encoding
//	UnmarshalGRPC(b []byte) error            // resets, then decodes b
//
// MarshalGRPC sizes the message first (caching each message's size in
// its sizeCache, atomically, as protobuf-go does), grows dst once, and
// writes the fields outside oneofs in field-number order, then the oneofs
// in declaration order, then the unknown fields, with map entries sorted
// by key: the bytes of proto.MarshalOptions{Deterministic: true}. UnmarshalGRPC accepts what
// proto.Unmarshal accepts and fails where it fails (packed and unpacked
// repeated fields, merged repeated message fields, fields of a known
// number with another wire type kept as unknown, proto3 strings checked for
// UTF-8, required fields checked) with one stricter rule: messages nest at
// most pbrt.MaxDepth (100) deep. Decoded strings and bytes are copies.
//
// A field whose message type is declared in another .proto file (the
// well-known types, for instance, or another file of the same Go package)
// is sized, encoded and decoded by protobuf-go. A message that uses what the generator does not support
// (groups, extensions, message sets, editions, the opaque API) gets the
// same three methods delegating the whole message to protobuf-go.
//
// Generate emits declarations only: the caller writes the file header and
// package clause (or passes protoc-gen-go's own file for f).
package pbfast
