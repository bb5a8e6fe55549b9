package grpc

import (
	"errors"

	"github.com/ospreyrpc/osprey/codes"
)

// Any is a google.protobuf.Any: a serialized message and the URL naming
// its type, such as "type.googleapis.com/google.rpc.ErrorInfo" (spec §6).
type Any struct {
	TypeURL string
	Value   []byte
}

// MaxStatusSize bounds the encoded google.rpc.Status that UnmarshalStatus
// accepts: 1 MiB (spec §6). The header list limit of the transport bounds
// it further.
const MaxStatusSize = 1 << 20

// Protobuf wire types (spec §6).
const (
	wireVarint  = 0
	wireFixed64 = 1
	wireBytes   = 2
	wireFixed32 = 5
)

// Field tags, (field number << 3) | wire type, of google.rpc.Status and
// google.protobuf.Any.
const (
	tagStatusCode    = 1<<3 | wireVarint
	tagStatusMessage = 2<<3 | wireBytes
	tagStatusDetails = 3<<3 | wireBytes
	tagAnyTypeURL    = 1<<3 | wireBytes
	tagAnyValue      = 2<<3 | wireBytes
)

// Errors of UnmarshalStatus.
var (
	errStatusTooLarge = errors.New("grpc: status details larger than MaxStatusSize")
	errVarint         = errors.New("grpc: status details: malformed varint")
	errLength         = errors.New("grpc: status details: length past the end")
	errFieldNumber    = errors.New("grpc: status details: field number 0")
	errWireType       = errors.New("grpc: status details: unsupported wire type")
)

func appendVarint(b []byte, v uint64) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

func appendBytesField(b []byte, tag byte, s string) []byte {
	b = append(b, tag)
	b = appendVarint(b, uint64(len(s)))
	return append(b, s...)
}

func varintLen(v uint64) int {
	n := 1
	for v >= 0x80 {
		v >>= 7
		n++
	}
	return n
}

// anySize is the encoded size of a's fields.
func anySize(a *Any) int {
	n := 0
	if a.TypeURL != "" {
		n += 1 + varintLen(uint64(len(a.TypeURL))) + len(a.TypeURL)
	}
	if len(a.Value) != 0 {
		n += 1 + varintLen(uint64(len(a.Value))) + len(a.Value)
	}
	return n
}

// AppendStatus appends the protobuf encoding of a google.rpc.Status (spec
// §6) as protobuf-go writes it: fields in number order, proto3 defaults
// (code 0, empty strings and bytes) left out, each detail an embedded Any.
// The code is an int32 on the wire.
func AppendStatus(dst []byte, code codes.Code, msg string, details []Any) []byte {
	if code != 0 {
		dst = append(dst, tagStatusCode)
		dst = appendVarint(dst, uint64(int64(int32(code))))
	}
	if msg != "" {
		dst = appendBytesField(dst, tagStatusMessage, msg)
	}
	for i := range details {
		a := &details[i]
		dst = append(dst, tagStatusDetails)
		dst = appendVarint(dst, uint64(anySize(a)))
		if a.TypeURL != "" {
			dst = appendBytesField(dst, tagAnyTypeURL, a.TypeURL)
		}
		if len(a.Value) != 0 {
			dst = append(dst, tagAnyValue)
			dst = appendVarint(dst, uint64(len(a.Value)))
			dst = append(dst, a.Value...)
		}
	}
	return dst
}

// MarshalStatus returns the protobuf encoding of a google.rpc.Status; see
// AppendStatus. It is the value of grpc-status-details-bin before base64.
func MarshalStatus(code codes.Code, msg string, details []Any) []byte {
	return AppendStatus(nil, code, msg, details)
}

// UnmarshalStatus decodes a google.rpc.Status (spec §6). It skips unknown
// fields (varint, fixed32, fixed64 and length-delimited; a known field
// number with another wire type is unknown too, as in protobuf-go), keeps
// the last of repeated scalar fields, and rejects malformed varints,
// lengths past the end, field number 0, groups and input larger than
// MaxStatusSize. What it returns is copied: the caller may keep it and b.
// details is nil when there are none, and an Any's Value is nil when empty.
func UnmarshalStatus(b []byte) (code codes.Code, msg string, details []Any, err error) {
	if len(b) > MaxStatusSize {
		return 0, "", nil, errStatusTooLarge
	}
	var (
		count    int
		msgBytes []byte
	)
	// First pass: validate, and count the details to allocate them once.
	err = walk(b, func(tag uint64, v uint64, p []byte) error {
		switch tag {
		case tagStatusCode:
			code = codes.Code(uint32(int32(v)))
		case tagStatusMessage:
			msgBytes = p
		case tagStatusDetails:
			count++
			return walk(p, func(uint64, uint64, []byte) error { return nil })
		}
		return nil
	})
	if err != nil {
		return 0, "", nil, err
	}
	msg = string(msgBytes)
	if count == 0 {
		return code, msg, nil, nil
	}
	details = make([]Any, 0, count)
	_ = walk(b, func(tag uint64, _ uint64, p []byte) error {
		if tag != tagStatusDetails {
			return nil
		}
		var a Any
		_ = walk(p, func(tag uint64, _ uint64, q []byte) error {
			switch tag {
			case tagAnyTypeURL:
				a.TypeURL = string(q)
			case tagAnyValue:
				a.Value = nil
				if len(q) != 0 {
					a.Value = append([]byte(nil), q...)
				}
			}
			return nil
		})
		details = append(details, a)
		return nil
	})
	return code, msg, details, nil
}

// readVarint reads a varint of at most 10 bytes from b, returning the
// value and its length, or length 0 if it is malformed or cut short.
func readVarint(b []byte) (uint64, int) {
	var v uint64
	for i := 0; i < len(b) && i < 10; i++ {
		c := b[i]
		if i == 9 && c > 1 {
			return 0, 0 // overflows 64 bits
		}
		v |= uint64(c&0x7f) << (7 * i)
		if c < 0x80 {
			return v, i + 1
		}
	}
	return 0, 0
}

// walk calls f for each field of the protobuf message b with its tag, its
// value for a varint, and its bytes for a length-delimited field.
func walk(b []byte, f func(tag, v uint64, p []byte) error) error {
	for len(b) > 0 {
		tag, n := readVarint(b)
		if n == 0 {
			return errVarint
		}
		b = b[n:]
		if tag>>3 == 0 {
			return errFieldNumber
		}
		var (
			v uint64
			p []byte
		)
		switch tag & 7 {
		case wireVarint:
			if v, n = readVarint(b); n == 0 {
				return errVarint
			}
			b = b[n:]
		case wireFixed64, wireFixed32:
			size := 8
			if tag&7 == wireFixed32 {
				size = 4
			}
			if len(b) < size {
				return errLength
			}
			b = b[size:]
		case wireBytes:
			l, n := readVarint(b)
			if n == 0 {
				return errVarint
			}
			b = b[n:]
			if l > uint64(len(b)) {
				return errLength
			}
			p, b = b[:l], b[l:]
		default:
			return errWireType
		}
		if err := f(tag, v, p); err != nil {
			return err
		}
	}
	return nil
}
