package grpc_test

import (
	"bytes"
	"compress/gzip"
	"testing"

	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/protocol/grpc"
	"github.com/ospreyrpc/osprey/status"
)

func gz(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func TestGzipDecompress(t *testing.T) {
	zc, err := grpc.NewGzip(gzip.DefaultCompression)
	if err != nil {
		t.Fatal(err)
	}
	msg := bytes.Repeat([]byte("osprey "), 1000)
	got, err := zc.Decompress(nil, gz(t, msg), 0)
	if err != nil || !bytes.Equal(got, msg) {
		t.Fatalf("round trip: %d bytes, %v", len(got), err)
	}
	// A bomb: 64 MiB of zeros in about 64 KiB.
	bomb := gz(t, make([]byte, 64<<20))
	if _, err := zc.Decompress(nil, bomb, 4<<20); status.Code(err) != codes.ResourceExhausted {
		t.Errorf("bomb: %v, want ResourceExhausted", err)
	}
	if got, err := zc.Decompress(nil, gz(t, msg), len(msg)); err != nil || len(got) != len(msg) {
		t.Errorf("exactly at the limit: %d, %v", len(got), err)
	}
	// An unknown encoding is the server's to refuse (Unimplemented):
	// server's TestGRPCCompression.
	if _, err := zc.Decompress(nil, []byte("not gzip"), 0); status.Code(err) != codes.Internal {
		t.Errorf("garbage: %v, want Internal", err)
	}
}
