package thriftio

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/iotest"

	"github.com/ospreyrpc/osprey/internal/bufpool"
	"github.com/ospreyrpc/osprey/protocol/thrift"
)

func TestRoundTripAllCombinations(t *testing.T) {
	for _, enc := range []thrift.Encoding{thrift.Binary, thrift.Compact} {
		for _, fr := range []thrift.Framing{thrift.Framed, thrift.Buffered} {
			t.Run(enc.String()+"/"+fr.String(), func(t *testing.T) {
				var c thrift.Codec
				c.Init(enc)
				var stream bytes.Buffer
				var sizes []int
				for i := 0; i < 3; i++ {
					ex := &thrift.ApplicationException{Type: thrift.ExceptionType(i), Message: string(bytes.Repeat([]byte("x"), 3000*i))}
					p, err := Encode(&c, fr, "method", thrift.MessageException, int32(i), ex)
					if err != nil {
						t.Fatal(err)
					}
					stream.Write(*p)
					sizes = append(sizes, len(*p))
					bufpool.Put(p)
				}
				var r Reader
				r.Buf.Reset(iotest.OneByteReader(&stream))
				r.Init(enc, fr, 1<<20)
				for i := 0; i < 3; i++ {
					msg, n, err := r.Next()
					if err != nil {
						t.Fatalf("message %d: %v", i, err)
					}
					if n != sizes[i] {
						t.Fatalf("message %d: took %d bytes, encoded %d", i, n, sizes[i])
					}
					name, _, seq, err := c.ReadMessageBegin(msg)
					var ex thrift.ApplicationException
					if err == nil {
						err = c.ReadBody(&ex)
					}
					if err != nil || string(name) != "method" || seq != int32(i) || len(ex.Message) != 3000*i {
						t.Fatalf("message %d: %q %d %d %v", i, name, seq, len(ex.Message), err)
					}
					r.Done(n)
				}
				if _, _, err := r.Next(); err != io.EOF {
					t.Fatalf("after last: %v, want EOF", err)
				}
			})
		}
	}
}

func TestLimitsAndTruncation(t *testing.T) {
	var r Reader
	r.Buf.Reset(bytes.NewReader([]byte{0, 0, 1, 0, 0x80, 1}))
	r.Init(thrift.Binary, thrift.Framed, 255)
	if _, _, err := r.Next(); !errors.Is(err, thrift.ErrTooLarge) {
		t.Errorf("oversized frame: %v", err)
	}
	r.Buf.Reset(bytes.NewReader([]byte{0xff, 0, 0, 0}))
	if _, _, err := r.Next(); !errors.Is(err, thrift.ErrInvalidData) {
		t.Errorf("negative frame: %v", err)
	}
	r.Buf.Reset(bytes.NewReader([]byte{0, 0, 0, 9, 0x80, 1}))
	if _, _, err := r.Next(); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("truncated frame: %v", err)
	}
	r.Buf.Reset(bytes.NewReader([]byte{0x80, 1, 0, 1, 0, 0}))
	r.Init(thrift.Binary, thrift.Buffered, 255)
	if _, _, err := r.Next(); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("truncated unframed: %v", err)
	}
}
