// Package ttheader implements TTHeader, the transport header CloudWeGo Kitex
// puts in front of a Thrift message: a length, a magic number, flags, a
// sequence ID and a header of key/value "info" blocks carrying the caller,
// the callee, the method, the timeout and metadata. docs/spec/ttheader.md
// describes every byte; the code cites its sections as "spec §N".
//
// Decode reads the header of one whole message (the connection reader has
// already cut it by its 4-byte length) into a Header and returns the
// payload after it. Strings in the decoded Header alias the message bytes
// and stay valid only while those bytes do; callers clone what they keep.
// Decode checks every length against the bytes left and against Limits, so
// it never panics and allocates only for the pairs it stores; a Header kept
// per connection and decoded into again does not allocate at all.
//
// AppendHeader writes a Header, with the length prefix, in the same block
// order as Kitex (through cloudwego/gopkg v0.2.0), so the same content gives
// the same bytes. IsTTHeader tells a TTHeader message from the other framings
// that may share a port.
//
// Osprey speaks the request/response ("ping-pong") use of TTHeader only:
// TTHeader Streaming frames (FlagStreaming) and transforms are rejected.
//
// A Header is not safe for concurrent use; keep one per connection or per
// goroutine.
package ttheader
