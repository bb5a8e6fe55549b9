// Package thrift implements the Apache Thrift wire formats Osprey speaks:
// the binary protocol (strict, and non-strict when reading) and the compact
// protocol, carried framed or unframed ("buffered"). docs/spec/thrift.md
// describes every byte; the code cites its sections.
//
// Encoding is done by writers that append to a byte slice: BinaryWriter and
// CompactWriter. Generated code computes a message's exact size first
// (BinarySize, CompactSize), so the writer fills one buffer of the right size.
// Decoding is done by BinaryReader and CompactReader over a complete message
// in memory. Both readers keep the first error they meet and from then on
// return zero values (and TypeStop for field headers), so generated code checks
// Err once per struct. Readers never trust a length on the wire: a string,
// binary or container that claims more than the bytes left is an error before
// anything is allocated, and nesting deeper than MaxDepth is an error.
//
// The two writers have the same method set, and so do the two readers, so
// code written against one protocol reads the same for the other.
//
// Writers and readers are not safe for concurrent use; keep one per
// connection or per goroutine and Reset it for each message.
package thrift
