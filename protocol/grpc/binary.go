package grpc

import "encoding/base64"

// EncodeBinaryHeader returns the value of a "-bin" header for b (spec §7.2):
// standard base64 without padding, as gRPC implementations send it.
func EncodeBinaryHeader(b []byte) string {
	return base64.RawStdEncoding.EncodeToString(b)
}

// DecodeBinaryHeader decodes the value of a "-bin" header (spec §7.2). It
// accepts standard base64 with or without padding, as the spec requires:
// a value whose length is a multiple of 4 is read as padded (which is the
// same thing for unpadded text of that length), any other as unpadded.
// URL-safe characters and misplaced padding are errors.
func DecodeBinaryHeader(s string) ([]byte, error) {
	if len(s)%4 == 0 {
		return base64.StdEncoding.DecodeString(s)
	}
	return base64.RawStdEncoding.DecodeString(s)
}
