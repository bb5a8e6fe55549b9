package thrift

import (
	"errors"
	"math"
	"runtime"
	"testing"

	"github.com/ospreyrpc/osprey/internal/roundtrip"
)

func fuzzSeeds(f *testing.F, enc Encoding) {
	f.Add(sampleMessage(enc, fullSample()))
	f.Add(sampleMessage(enc, &sample{}))
	var c Codec
	c.Init(enc)
	f.Add(c.AppendMessage(nil, "m", MessageException, 1, &ApplicationException{Type: 6, Message: "x"}))
	f.Add([]byte{})
	f.Add([]byte{0x80, 0x01, 0x00, 0x01})
	f.Add([]byte{0x82, 0x21, 0x01, 0x01, 'm', 0x19, 0xf5, 0xff, 0xff, 0x03})
}

// checkDecode decodes msg as a message whose body is a sample, and also
// skips it generically; neither may panic. What decodes must encode and
// decode again to an equal value. When the generic walk accepts
// the message, the Skimmer must find the same length.
func checkDecode(t *testing.T, enc Encoding, msg []byte) {
	var c Codec
	c.Init(enc)
	if _, _, _, err := c.ReadMessageBegin(msg); err == nil {
		var s sample
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		err := c.ReadBody(&s)
		runtime.ReadMemStats(&after)
		// Counts are checked against the bytes left, so what decoding
		// allocates follows the input's size.
		if got, limit := after.TotalAlloc-before.TotalAlloc, uint64(64*len(msg)+64<<10); got > limit {
			t.Fatalf("decoding %d bytes allocated %d (limit %d)", len(msg), got, limit)
		}
		if err == nil {
			// What decodes must encode and decode again to the same value.
			if d, err := roundTrip(enc, &s, appendSample); err != nil || d != "" {
				t.Fatalf("re-decoding a decoded message: %v; round trip differs: %s", err, d)
			}
		}
	}

	var consumed int
	var err error
	if enc == Binary {
		var r BinaryReader
		r.Reset(msg)
		r.ReadMessageBegin()
		r.Skip(TypeStruct)
		consumed, err = r.Pos(), r.Err()
	} else {
		var r CompactReader
		r.Reset(msg)
		r.ReadMessageBegin()
		r.Skip(TypeStruct)
		consumed, err = r.Pos(), r.Err()
	}
	var sk Skimmer
	sk.Reset(enc, 1<<20)
	size, need, skErr := sk.Skim(msg)
	if err == nil && (size != consumed || skErr != nil) {
		t.Fatalf("reader consumed %d bytes; skimmer size %d need %d err %v", consumed, size, need, skErr)
	}
	if skErr == nil && size == 0 && need <= len(msg) {
		t.Fatalf("skimmer asked for %d bytes with %d available", need, len(msg))
	}
	if err != nil && !errors.Is(err, ErrTruncated) && !errors.Is(err, ErrInvalidData) && !errors.Is(err, ErrTooDeep) {
		t.Fatalf("unexpected error kind: %v", err)
	}
}

// appendSample is how the fuzz round trip encodes a decoded sample.
func appendSample(c *Codec, s *sample) []byte { return c.AppendMessage(nil, "m", MessageCall, 1, s) }

// roundTrip encodes s with encode, decodes the message again and returns
// how the result differs from s (see package roundtrip for what counts as
// equal).
func roundTrip(enc Encoding, s *sample, encode func(*Codec, *sample) []byte) (diff string, err error) {
	var c Codec
	c.Init(enc)
	var again sample
	if _, _, _, err := c.ReadMessageBegin(encode(&c, s)); err != nil {
		return "", err
	}
	if err := c.ReadBody(&again); err != nil {
		return "", err
	}
	return roundtrip.Diff(s, &again), nil
}

// TestRoundTripCatchesALossyEncoder shows the fuzz round trip's comparison
// fails when the encoder drops or changes a field.
func TestRoundTripCatchesALossyEncoder(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(*sample)
	}{
		{"bool", func(s *sample) { s.B = false }},
		{"i64", func(s *sample) { s.TypeI64-- }},
		{"double bits", func(s *sample) { s.D = math.Nextafter(s.D, 0) }},
		{"binary", func(s *sample) { s.Bin = s.Bin[1:] }},
		{"uuid", func(s *sample) { s.U[15] = 0 }},
		{"set element", func(s *sample) { s.Set[1] = "b" }},
		{"map entry dropped", func(s *sample) { delete(s.M, "k") }},
		{"nested struct dropped", func(s *sample) { s.Next = nil }},
		{"nested field", func(s *sample) { s.Next.Far = 7 }},
		{"long-form field id", func(s *sample) { s.Far = 0 }},
	} {
		for _, enc := range []Encoding{Binary, Compact} {
			t.Run(tc.name+"/"+enc.String(), func(t *testing.T) {
				in := fullSample()
				if d, err := roundTrip(enc, in, appendSample); err != nil || d != "" {
					t.Fatalf("faithful encoder: err %v, diff %s", err, d)
				}
				lossy := func(c *Codec, s *sample) []byte {
					changed := fullSample()
					tc.change(changed)
					return appendSample(c, changed)
				}
				d, err := roundTrip(enc, in, lossy)
				if err != nil || d == "" {
					t.Fatalf("lossy encoder passed the round trip (err %v)", err)
				}
				t.Log(d)
			})
		}
	}
}

func FuzzBinaryReader(f *testing.F) {
	fuzzSeeds(f, Binary)
	f.Fuzz(func(t *testing.T, msg []byte) { checkDecode(t, Binary, msg) })
}

func FuzzCompactReader(f *testing.F) {
	fuzzSeeds(f, Compact)
	f.Fuzz(func(t *testing.T, msg []byte) { checkDecode(t, Compact, msg) })
}

func FuzzDetect(f *testing.F) {
	f.Add([]byte("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"))
	f.Add([]byte{0, 0, 0, 10, 0x80, 1, 0, 1})
	f.Add([]byte{0, 0, 0, 4, 't', 'e', 's', 't'})
	f.Fuzz(func(t *testing.T, b []byte) {
		enc, fr, need := Detect(b)
		if need > 0 && (enc != 0 || need <= len(b) || need > 6) {
			t.Fatalf("Detect(%x) = %v %v %d", b, enc, fr, need)
		}
		if enc != 0 && (fr == 0 || need != 0) {
			t.Fatalf("Detect(%x) = %v %v %d", b, enc, fr, need)
		}
	})
}
