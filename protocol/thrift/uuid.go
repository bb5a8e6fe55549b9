package thrift

import (
	"encoding/hex"
	"fmt"
)

// UUID is a Thrift uuid: 16 bytes, in the big-endian order RFC 9562 writes
// them.
type UUID [16]byte

// String formats u as 8-4-4-4-12 lowercase hex digits.
func (u UUID) String() string {
	var b [36]byte
	hex.Encode(b[0:8], u[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], u[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], u[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], u[8:10])
	b[23] = '-'
	hex.Encode(b[24:], u[10:])
	return string(b[:])
}

// ParseUUID parses the 8-4-4-4-12 hex form, optionally in braces.
func ParseUUID(s string) (UUID, error) {
	var u UUID
	if len(s) == 38 && s[0] == '{' && s[37] == '}' {
		s = s[1:37]
	}
	if len(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return u, fmt.Errorf("thrift: malformed uuid %q", s)
	}
	src := []byte(s[0:8] + s[9:13] + s[14:18] + s[19:23] + s[24:])
	if _, err := hex.Decode(u[:], src); err != nil {
		return u, fmt.Errorf("thrift: malformed uuid %q", s)
	}
	return u, nil
}

// Ptr returns a pointer to a copy of v, for setting optional fields.
func Ptr[T any](v T) *T { return &v }

// MapEntry is one entry of a Thrift map whose key type cannot be a Go map
// key (a list, set or map). Generated code represents such a map as a
// []MapEntry, written in slice order.
type MapEntry[K, V any] struct {
	Key   K
	Value V
}
