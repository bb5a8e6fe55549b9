package h2

import (
	"bytes"
	"io"
	"testing"
	"testing/iotest"
)

// TestConnReader reads a stream of frame-like records (a 9-byte header
// peeked, then a payload read) through connReader over readers that
// return few bytes at a time, and checks every byte, that the buffer is
// back in the pool whenever Peek waits with nothing buffered, and the end.
func TestConnReader(t *testing.T) {
	var in []byte
	for i := range 200 {
		n := (i * 997) % (3 * readBufferSize)
		hdr := []byte{byte(n >> 16), byte(n >> 8), byte(n), 0, 0, 0, 0, 0, byte(i)}
		in = append(in, hdr...)
		for j := range n {
			in = append(in, byte(i+j))
		}
	}
	for name, wrap := range map[string]func(io.Reader) io.Reader{
		"whole":    func(r io.Reader) io.Reader { return r },
		"one byte": iotest.OneByteReader,
		"half":     iotest.HalfReader,
		"data+EOF": iotest.DataErrReader,
	} {
		t.Run(name, func(t *testing.T) {
			b := &connReader{r: wrap(bytes.NewReader(in))}
			var out []byte
			for {
				hdr, err := b.Peek(9)
				if err == io.EOF && len(hdr) == 0 {
					break
				}
				if err != nil {
					t.Fatalf("Peek after %d bytes: %v", len(out), err)
				}
				if b.start+9 == b.end && len(out) > 0 && b.p == nil {
					t.Fatal("Peek returned bytes without a buffer")
				}
				out = append(out, hdr...)
				n := int(hdr[0])<<16 | int(hdr[1])<<8 | int(hdr[2])
				b.Discard(9)
				p := make([]byte, n)
				if _, err := io.ReadFull(b, p); err != nil {
					t.Fatalf("payload after %d bytes: %v", len(out), err)
				}
				out = append(out, p...)
			}
			if !bytes.Equal(out, in) {
				t.Fatalf("read %d bytes, not the %d written", len(out), len(in))
			}
			if b.Peek(1); b.p != nil {
				t.Fatal("the buffer is held at the end of the input")
			}
		})
	}
}
