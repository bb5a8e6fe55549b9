package health

import (
	"errors"
)

// request is grpc.health.v1.HealthCheckRequest { string service = 1; }.
type request struct{ service string }

// response is grpc.health.v1.HealthCheckResponse { ServingStatus status = 1; }.
type response struct{ status Status }

var errMalformed = errors.New("health: malformed message")

// UnmarshalGRPC decodes the protobuf encoding, skipping unknown fields.
func (r *request) UnmarshalGRPC(b []byte) error {
	r.service = ""
	return walk(b, func(num int, v uint64, p []byte) {
		if num == 1 && p != nil {
			r.service = string(p)
		}
	})
}

// MarshalGRPC appends the protobuf encoding.
func (r *request) MarshalGRPC(dst []byte) ([]byte, error) {
	if r.service == "" {
		return dst, nil
	}
	dst = append(dst, 1<<3|2)
	dst = appendVarint(dst, uint64(len(r.service)))
	return append(dst, r.service...), nil
}

// MarshalGRPC appends the protobuf encoding.
func (r *response) MarshalGRPC(dst []byte) ([]byte, error) {
	if r.status == 0 {
		return dst, nil
	}
	dst = append(dst, 1<<3) // field 1, varint
	return appendVarint(dst, uint64(r.status)), nil
}

// UnmarshalGRPC decodes the protobuf encoding, skipping unknown fields.
func (r *response) UnmarshalGRPC(b []byte) error {
	r.status = 0
	return walk(b, func(num int, v uint64, p []byte) {
		if num == 1 && p == nil {
			r.status = Status(int32(v))
		}
	})
}

func appendVarint(b []byte, v uint64) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

func readVarint(b []byte) (uint64, int) {
	var v uint64
	for i := 0; i < len(b) && i < 10; i++ {
		v |= uint64(b[i]&0x7f) << (7 * i)
		if b[i] < 0x80 {
			return v, i + 1
		}
	}
	return 0, 0
}

// walk calls f with each field's number and its varint value or its bytes
// (p != nil for a length-delimited field).
func walk(b []byte, f func(num int, v uint64, p []byte)) error {
	for len(b) > 0 {
		tag, n := readVarint(b)
		if n == 0 || tag>>3 == 0 {
			return errMalformed
		}
		b = b[n:]
		switch tag & 7 {
		case 0:
			v, n := readVarint(b)
			if n == 0 {
				return errMalformed
			}
			b = b[n:]
			f(int(tag>>3), v, nil)
		case 1:
			if len(b) < 8 {
				return errMalformed
			}
			b = b[8:]
		case 5:
			if len(b) < 4 {
				return errMalformed
			}
			b = b[4:]
		case 2:
			l, n := readVarint(b)
			if n == 0 || uint64(len(b)-n) < l {
				return errMalformed
			}
			p := b[n : n+int(l)]
			if p == nil {
				p = []byte{}
			}
			f(int(tag>>3), 0, p)
			b = b[n+int(l):]
		default:
			return errMalformed
		}
	}
	return nil
}
