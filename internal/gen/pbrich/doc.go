// Package pbrich is the code codegen/pbfast generates (with protoc-gen-go)
// for its test files codegen/pbfast/testdata/rich.proto and legacy.proto,
// and the tests that compare the generated fast paths with protobuf-go:
// round trips both ways, byte-identical deterministic output, unknown
// fields, malformed input, allocations, a differential fuzz target and
// benchmarks. Regenerate with go test ./codegen/pbfast -update.
package pbrich
