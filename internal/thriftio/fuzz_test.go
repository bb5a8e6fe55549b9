package thriftio

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/ospreyrpc/osprey/internal/bufpool"
	"github.com/ospreyrpc/osprey/protocol/thrift"
)

// chunked returns data in reads of the sizes the pieces pattern gives.
type chunked struct {
	data   []byte
	pieces []byte
	i      int
}

func (c *chunked) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	n := 1
	if len(c.pieces) > 0 {
		n = int(c.pieces[c.i%len(c.pieces)]) + 1
		c.i++
	}
	n = min(n, len(p), len(c.data))
	copy(p, c.data[:n])
	c.data = c.data[n:]
	return n, nil
}

// FuzzReader feeds a byte stream, arriving in pieces, to the message
// reader in every encoding and framing. It must never panic, never return
// a message over the limit, and account for every byte it returns.
func FuzzReader(f *testing.F) {
	var c thrift.Codec
	c.Init(thrift.Binary)
	ex := &thrift.ApplicationException{Type: 1, Message: "seed"}
	for _, fr := range []thrift.Framing{thrift.Framed, thrift.Buffered} {
		p, err := Encode(&c, fr, "method", thrift.MessageCall, 1, ex)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(append(append([]byte(nil), *p...), *p...), []byte{3, 0, 9})
		bufpool.Put(p)
	}
	f.Add([]byte{0, 0, 0, 5, 0x82, 0x21, 1, 0, 0}, []byte{})
	f.Add([]byte{0x7f, 0xff, 0xff, 0xff}, []byte{1})
	const limit = 4096
	f.Fuzz(func(t *testing.T, data, pieces []byte) {
		for _, enc := range []thrift.Encoding{thrift.Binary, thrift.Compact} {
			for _, fr := range []thrift.Framing{thrift.Framed, thrift.Buffered} {
				var r Reader
				r.Buf.Reset(&chunked{data: data, pieces: pieces})
				r.Init(enc, fr, limit)
				consumed := 0
				for {
					msg, n, err := r.Next()
					if err != nil {
						if err != io.EOF && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, thrift.ErrTooLarge) &&
							!errors.Is(err, thrift.ErrInvalidData) && !errors.Is(err, thrift.ErrTooDeep) {
							t.Fatalf("%v/%v: unexpected error %v", enc, fr, err)
						}
						break
					}
					if len(msg) > limit || n < len(msg) || consumed+n > len(data) {
						t.Fatalf("%v/%v: message of %d bytes taking %d, after %d of %d", enc, fr, len(msg), n, consumed, len(data))
					}
					if !bytes.Equal(msg, data[consumed+n-len(msg):consumed+n]) {
						t.Fatalf("%v/%v: message bytes differ from the stream", enc, fr)
					}
					consumed += n
					r.Done(n)
				}
				r.Buf.Release(true)
			}
		}
	})
}
