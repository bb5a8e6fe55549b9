package grpc

import (
	"bytes"
	"compress/gzip"
	"io"

	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/status"
)

// Gzip is the name of the gzip message encoding (grpc-encoding).
const Gzip = "gzip"

// Decompress decodes a message compressed with encoding, producing at
// most max bytes (0: DefaultMaxReceiveMessageSize): a larger result is
// ResourceExhausted, found without holding more than max+1 bytes, so a
// small message that expands enormously costs no more memory than the
// limit. An encoding other than gzip is Unimplemented.
func Decompress(encoding string, msg []byte, max int) ([]byte, error) {
	if max <= 0 {
		max = DefaultMaxReceiveMessageSize
	}
	if encoding != Gzip {
		return nil, status.Errorf(codes.Unimplemented, "grpc: message encoding %q is not supported (supported: %s)", encoding, Gzip)
	}
	zr, err := gzip.NewReader(bytes.NewReader(msg))
	if err != nil {
		return nil, status.Errorf(codes.Internal, "grpc: bad gzip message: %v", err)
	}
	out, err := io.ReadAll(io.LimitReader(zr, int64(max)+1))
	if err != nil {
		return nil, status.Errorf(codes.Internal, "grpc: bad gzip message: %v", err)
	}
	if len(out) > max {
		return nil, status.Errorf(codes.ResourceExhausted, "grpc: decompressed message larger than the limit of %d bytes", max)
	}
	return out, nil
}
