// Package pbrt is the run-time support of the protobuf fast paths that
// codegen/pbfast generates: tag and varint decoding with a one-byte fast
// path, the errors the generated code returns, the decoding depth limit,
// sorted map keys for deterministic output, and the fallback to
// protobuf-go for fields whose message type has no fast path.
//
// Everything here is stateless and safe for concurrent use. Generated code
// is its only intended caller: the API follows what the generator emits.
package pbrt
