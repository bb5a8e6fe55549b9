package h2

import (
	"math/rand/v2"
	"strings"
	"testing"

	"golang.org/x/net/http2/hpack"
)

// encodeOps runs a sequence of header blocks and limit changes, chosen by
// next, through an encoder and x/net's decoder, and fails if a block does
// not decode to the fields encoded or the peer's table outgrows ours.
func encodeOps(t testing.TB, next func(n int) int) {
	names := []string{":status", "content-type", "grpc-status", "grpc-message", "x-md", "accept", "grpc-accept-encoding"}
	values := []string{"", "0", "200", "404", "application/grpc", "gzip", strings.Repeat("v", 100), strings.Repeat("w", 300)}
	e := newEncoder()
	var got []hpack.HeaderField
	d := hpack.NewDecoder(defaultTableSize, func(f hpack.HeaderField) { got = append(got, f) })
	for op := 0; op < 60; op++ {
		if next(8) == 0 {
			limit := []uint32{0, 40, 100, 256, 4096}[next(5)]
			d.SetAllowedMaxDynamicTableSize(limit)
			e.setLimit(limit)
			continue
		}
		var want []hpack.HeaderField
		for range next(6) {
			want = append(want, hpack.HeaderField{Name: names[next(len(names))], Value: values[next(len(values))], Sensitive: next(10) == 0})
		}
		block := e.begin(nil)
		for _, f := range want {
			block = e.appendField(block, f)
		}
		got = got[:0]
		if _, err := d.Write(block); err != nil {
			t.Fatalf("op %d: decoding % x: %v", op, block, err)
		}
		if err := d.Close(); err != nil {
			t.Fatalf("op %d: %v", op, err)
		}
		if len(got) != len(want) {
			t.Fatalf("op %d: decoded %v, want %v", op, got, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("op %d: field %d decoded as %v, want %v", op, i, got[i], want[i])
			}
		}
		if e.size > e.max || e.n > encEntries {
			t.Fatalf("op %d: table of %d bytes, %d entries; max %d", op, e.size, e.n, e.max)
		}
	}
}

func TestEncoderRoundTrip(t *testing.T) {
	for seed := range uint64(300) {
		r := rand.New(rand.NewPCG(seed, 1))
		encodeOps(t, r.IntN)
	}
}

// TestEncoderReuses checks that repeated fields cost one byte each, and
// that the first block announces the table's size.
func TestEncoderReuses(t *testing.T) {
	e := newEncoder()
	fields := []hpack.HeaderField{{Name: ":status", Value: "200"}, {Name: "content-type", Value: "application/grpc"}, {Name: "grpc-status", Value: "0"}}
	b := e.begin(nil)
	if want := []byte{0x3f, 0xe1, 0x01}; string(b) != string(want) {
		t.Fatalf("first block starts % x, want % x", b, want)
	}
	for _, f := range fields {
		b = e.appendField(b, f)
	}
	b = e.begin(nil)
	for _, f := range fields {
		b = e.appendField(b, f)
	}
	if want := []byte{0x88, 0xbf, 0xbe}; string(b) != string(want) {
		t.Fatalf("second block % x, want % x", b, want)
	}
}

func FuzzEncoder(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9})
	f.Add([]byte{0, 0, 7, 7, 7, 0, 4, 1, 1, 1, 1, 0, 2, 255, 3, 9, 200})
	f.Fuzz(func(t *testing.T, in []byte) {
		encodeOps(t, func(n int) int {
			if len(in) == 0 {
				return 0
			}
			b := in[0]
			in = in[1:]
			return int(b) % n
		})
	})
}
