package grpc

import (
	"bytes"
	"compress/gzip"
	"io"
	"sync"

	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/status"
)

// Gzip is the name of the gzip message encoding (grpc-encoding).
const Gzip = "gzip"

// Compressor is a message encoding named in grpc-encoding and
// grpc-accept-encoding. Clients and servers are given the compressors they
// may use through their options; there is no global registry. NewGzip is
// built in. A Compressor is used by many streams at once.
type Compressor interface {
	// Name is the encoding's name on the wire, such as "gzip".
	Name() string
	// Compress appends the compressed form of src to dst.
	Compress(dst, src []byte) ([]byte, error)
	// Decompress appends the decoded form of src to dst, producing at
	// most max bytes: a larger result is a ResourceExhausted error, found
	// without holding more than max+1 bytes of it.
	Decompress(dst, src []byte, max int) ([]byte, error)
}

// NewGzip returns the gzip Compressor at a compress/gzip level
// (gzip.DefaultCompression, gzip.BestSpeed, ...). Writers and readers are
// pooled.
func NewGzip(level int) (Compressor, error) {
	if _, err := gzip.NewWriterLevel(io.Discard, level); err != nil {
		return nil, err
	}
	return &gzipCompressor{level: level}, nil
}

type gzipCompressor struct {
	level   int
	writers sync.Pool // *gzip.Writer
	readers sync.Pool // *gzip.Reader
}

func (*gzipCompressor) Name() string { return Gzip }

// appender lets a gzip.Writer append to a byte slice.
type appender struct{ b []byte }

func (a *appender) Write(p []byte) (int, error) {
	a.b = append(a.b, p...)
	return len(p), nil
}

func (g *gzipCompressor) Compress(dst, src []byte) ([]byte, error) {
	out := &appender{b: dst}
	zw, _ := g.writers.Get().(*gzip.Writer)
	if zw == nil {
		zw, _ = gzip.NewWriterLevel(out, g.level) // level checked by NewGzip
	} else {
		zw.Reset(out)
	}
	_, err := zw.Write(src)
	if err == nil {
		err = zw.Close()
	}
	zw.Reset(io.Discard)
	g.writers.Put(zw)
	if err != nil {
		return dst, status.Errorf(codes.Internal, "grpc: gzip: %v", err)
	}
	return out.b, nil
}

func (g *gzipCompressor) Decompress(dst, src []byte, max int) ([]byte, error) {
	if max <= 0 {
		max = DefaultMaxReceiveMessageSize
	}
	zr, _ := g.readers.Get().(*gzip.Reader)
	var err error
	if zr == nil {
		zr, err = gzip.NewReader(bytes.NewReader(src))
	} else {
		err = zr.Reset(bytes.NewReader(src))
	}
	if err != nil {
		return dst, status.Errorf(codes.Internal, "grpc: bad gzip message: %v", err)
	}
	defer g.readers.Put(zr)
	base := len(dst)
	buf := bytes.NewBuffer(dst)
	_, err = buf.ReadFrom(io.LimitReader(zr, int64(max)+1))
	out := buf.Bytes()
	if err != nil {
		return dst, status.Errorf(codes.Internal, "grpc: bad gzip message: %v", err)
	}
	if len(out)-base > max {
		return dst, status.Errorf(codes.ResourceExhausted, "grpc: decompressed message larger than the limit of %d bytes", max)
	}
	return out, nil
}
