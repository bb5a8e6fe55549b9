package thrift

import (
	"errors"
	"testing"
)

func sampleMessage(enc Encoding, s *sample) []byte {
	var c Codec
	c.Init(enc)
	return c.AppendMessage(nil, "testStruct", MessageCall, 42, s)
}

func TestSkimWholeAndResumed(t *testing.T) {
	for _, enc := range []Encoding{Binary, Compact} {
		t.Run(enc.String(), func(t *testing.T) {
			msg := sampleMessage(enc, fullSample())
			trailing := append(append([]byte(nil), msg...), 0x80, 0x01) // next message's start
			var s Skimmer
			s.Reset(enc, 1<<20)
			if size, need, err := s.Skim(trailing); size != len(msg) || need != 0 || err != nil {
				t.Fatalf("whole: size %d need %d err %v, want %d", size, need, err, len(msg))
			}
			// Byte by byte, as a slow peer would send it: Skim asks for more
			// each time and finishes exactly at the end.
			s.Reset(enc, 1<<20)
			calls := 0
			for n := 0; ; {
				size, need, err := s.Skim(msg[:n])
				calls++
				if err != nil {
					t.Fatalf("at %d: %v", n, err)
				}
				if size != 0 {
					if size != len(msg) || n != len(msg) {
						t.Fatalf("finished with size %d at %d, want %d", size, n, len(msg))
					}
					break
				}
				if need <= n || need > len(msg) {
					t.Fatalf("at %d: need %d", n, need)
				}
				n++
			}
			if calls > len(msg)+1 {
				t.Errorf("%d calls for %d bytes", calls, len(msg))
			}
		})
	}
}

func TestSkimLimit(t *testing.T) {
	for _, enc := range []Encoding{Binary, Compact} {
		msg := sampleMessage(enc, fullSample())
		var s Skimmer
		s.Reset(enc, len(msg)-1)
		_, _, err := s.Skim(msg)
		if !errors.Is(err, ErrTooLarge) {
			t.Errorf("%v: err = %v, want ErrTooLarge", enc, err)
		}
		s.Reset(enc, len(msg))
		if size, _, err := s.Skim(msg); size != len(msg) || err != nil {
			t.Errorf("%v: at the limit: size %d err %v", enc, size, err)
		}
	}
	// A string length beyond the limit fails before its bytes arrive.
	var s Skimmer
	s.Reset(Binary, 1024)
	hdr := unhex(t, "80010001 00000001 6d 00000001 0b 0001 00100000")
	if _, _, err := s.Skim(hdr); !errors.Is(err, ErrTooLarge) {
		t.Errorf("huge string: err = %v", err)
	}
	s.Reset(Compact, 1024)
	if _, _, err := s.Skim(unhex(t, "82 21 01 01 6d 19 f5 ffff03")); !errors.Is(err, ErrTooLarge) {
		t.Errorf("huge list: err = %v", err)
	}
}

func TestSkimNonStrict(t *testing.T) {
	msg := unhex(t, "00000002 6162 01 00000007 08 0001 00000005 00")
	var s Skimmer
	s.Reset(Binary, 1<<20)
	if size, _, err := s.Skim(msg); size != len(msg) || err != nil {
		t.Fatalf("size %d err %v", size, err)
	}
}

func TestDetect(t *testing.T) {
	binFramed := append(unhex(t, "00000010"), sampleMessage(Binary, &sample{})...)
	tests := []struct {
		name string
		in   string
		raw  []byte
		enc  Encoding
		fr   Framing
		need int
	}{
		{name: "binary buffered", in: "8001000100", enc: Binary, fr: Buffered},
		{name: "compact buffered", in: "822101", enc: Compact, fr: Buffered},
		{name: "binary framed", raw: binFramed, enc: Binary, fr: Framed},
		{name: "compact framed", in: "0000000a 8221", enc: Compact, fr: Framed},
		{name: "non-strict framed", in: "0000000a 00000004", enc: Binary, fr: Framed},
		{name: "non-strict buffered", in: "00000004 74657374", enc: Binary, fr: Buffered},
		{name: "need more", in: "00", need: 2},
		{name: "need six", in: "00000010", need: 6},
		{name: "http2 preface", raw: []byte("PRI * HTTP/2.0\r\n"), need: 0},
		{name: "http1", raw: []byte("GET / HTTP/1.1\r\n"), need: 0},
		{name: "bad version", in: "8002", need: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.raw
			if in == nil {
				in = unhex(t, tt.in)
			}
			enc, fr, need := Detect(in)
			if enc != tt.enc || fr != tt.fr || need != tt.need {
				t.Errorf("Detect = %v %v %d, want %v %v %d", enc, fr, need, tt.enc, tt.fr, tt.need)
			}
		})
	}
}
