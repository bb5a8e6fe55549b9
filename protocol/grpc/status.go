package grpc

import (
	"errors"
	"strconv"
	"strings"

	"github.com/ospreyrpc/osprey/codes"
)

// errStatusCode is returned by ParseCode for a value that is not a number.
var errStatusCode = errors.New("grpc: grpc-status is not a decimal number")

// ParseCode reads a grpc-status value (spec §5.1): one or more ASCII digits.
// A number gRPC does not define (above 16) is codes.Unknown. Anything but digits, including an empty
// value, a sign or spaces, is an error; the caller treats the call as
// failed with codes.Internal, as grpc-go does for a malformed grpc-status.
func ParseCode(s string) (codes.Code, error) {
	if s == "" {
		return 0, errStatusCode
	}
	var v uint32
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, errStatusCode
		}
		if v <= uint32(codes.Unauthenticated) {
			v = v*10 + uint32(c-'0')
		}
	}
	if v > uint32(codes.Unauthenticated) {
		return codes.Unknown, nil
	}
	return codes.Code(v), nil
}

// FormatCode returns the grpc-status value for c: its number in decimal.
func FormatCode(c codes.Code) string {
	return strconv.FormatUint(uint64(c), 10)
}

// unreserved reports whether b is sent as itself in grpc-message: the
// printable ASCII bytes 0x20 to 0x7E except '%' (spec §5.2).
func unreserved(b byte) bool {
	return b >= 0x20 && b <= 0x7e && b != '%'
}

const upperHex = "0123456789ABCDEF"

// EncodeMessage percent-encodes a status message for grpc-message (spec
// §5.2): every byte outside 0x20–0x7E, and '%', becomes "%XX" with
// upper-case hex digits; UTF-8 text is encoded byte by byte. A message that
// needs no escape is returned as it is, without allocating.
func EncodeMessage(s string) string {
	i := 0
	for i < len(s) && unreserved(s[i]) {
		i++
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 2*(len(s)-i))
	b.WriteString(s[:i])
	for ; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(upperHex[c>>4])
		b.WriteByte(upperHex[c&15])
	}
	return b.String()
}

// unhex returns the value of the hex digit c, or -1.
func unhex(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// DecodeMessage decodes a grpc-message value (spec §5.2). It is lenient,
// as the spec requires: a '%' not followed by two hex digits (either case)
// is kept as it is, and nothing is ever an error. A value without '%' is
// returned as it is, without allocating.
func DecodeMessage(s string) string {
	i := strings.IndexByte(s, '%')
	if i < 0 {
		return s
	}
	b := make([]byte, 0, len(s))
	b = append(b, s[:i]...)
	for ; i < len(s); i++ {
		c := s[i]
		if c == '%' && i+2 < len(s) {
			hi, lo := unhex(s[i+1]), unhex(s[i+2])
			if hi >= 0 && lo >= 0 {
				b = append(b, byte(hi<<4|lo))
				i += 2
				continue
			}
		}
		b = append(b, c)
	}
	return string(b)
}
