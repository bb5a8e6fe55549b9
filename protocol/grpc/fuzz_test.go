package grpc_test

import (
	"bytes"
	"reflect"
	"testing"
	"time"

	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/protocol/grpc"
)

// FuzzMessageReader frames messages cut out of data, feeds the stream to a
// MessageReader in chunks whose sizes come from cuts, and checks that the
// same messages come out; then it feeds data itself as a stream, which
// must never panic.
func FuzzMessageReader(f *testing.F) {
	f.Add([]byte("hello world"), []byte{3, 5}, []byte{1, 2, 200})
	f.Add([]byte{}, []byte{0, 0, 0}, []byte{1})
	f.Add(bytes.Repeat([]byte{0xab}, 300), []byte{255, 7, 0}, []byte{4, 4, 4, 4})
	f.Add([]byte{0, 0, 0, 0, 3, 'a', 'b', 'c', 2, 0}, []byte{10}, []byte{6})
	f.Add([]byte{1, 0, 0, 0, 0}, []byte{1}, []byte{0})
	f.Fuzz(func(t *testing.T, data, sizes, cuts []byte) {
		// Messages: lengths from sizes, compressed when odd.
		var want []msg
		var stream []byte
		rest := data
		for _, s := range sizes {
			n := min(int(s), len(rest))
			m := msg{string(rest[:n]), s%2 == 1}
			rest = rest[n:]
			want = append(want, m)
			stream = grpc.AppendMessage(stream, m.compressed, []byte(m.body))
		}
		chunks := chunk(stream, cuts)
		r := &grpc.MessageReader{MaxSize: 255}
		got, err := readAll(r, chunks)
		if err != nil {
			t.Fatalf("valid stream: %v", err)
		}
		if len(got) != len(want) {
			t.Fatalf("got %d messages, want %d", len(got), len(want))
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("message %d = %+v, want %+v", i, got[i], want[i])
			}
		}

		// Arbitrary bytes: no panic, and what comes out is within the limit.
		r.Reset()
		r.MaxSize = 64
		got, _ = readAll(r, chunk(data, cuts))
		for _, m := range got {
			if len(m.body) > 64 {
				t.Fatalf("message of %d bytes past the limit of 64", len(m.body))
			}
		}
	})
}

// chunk cuts b into pieces whose sizes are cuts (0 is an empty chunk),
// cycling through them; with no cuts, b is one chunk.
func chunk(b []byte, cuts []byte) [][]byte {
	if len(cuts) == 0 {
		return [][]byte{b}
	}
	var out [][]byte
	for i := 0; len(b) > 0 && i < 10*len(b)+len(cuts); i++ {
		n := min(int(cuts[i%len(cuts)]), len(b))
		out = append(out, b[:n])
		b = b[n:]
	}
	return append(out, b)
}

// FuzzStatus decodes arbitrary bytes as a google.rpc.Status: never a
// panic, and what decodes encodes back to bytes that decode to the same.
func FuzzStatus(f *testing.F) {
	f.Add([]byte{})
	f.Add(grpc.MarshalStatus(codes.InvalidArgument, "bad", []grpc.Any{{"type.googleapis.com/google.rpc.ErrorInfo", []byte{0x0a, 1, 'x'}}}))
	f.Add(grpc.MarshalStatus(codes.Code(0xffffffff), "", []grpc.Any{{}, {"a", nil}}))
	f.Add([]byte{0x20, 0x96, 0x01, 0x2d, 1, 2, 3, 4, 0x08, 0x02})
	f.Add([]byte{0x1a, 0x02, 0x0a, 0x05})
	f.Add([]byte{0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02})
	f.Fuzz(func(t *testing.T, b []byte) {
		code, msg, details, err := grpc.UnmarshalStatus(b)
		if err != nil {
			return
		}
		b2 := grpc.MarshalStatus(code, msg, details)
		code2, msg2, details2, err := grpc.UnmarshalStatus(b2)
		if err != nil {
			t.Fatalf("re-encoded status does not decode: %v", err)
		}
		if code2 != code || msg2 != msg || !reflect.DeepEqual(details2, details) {
			t.Fatalf("round trip: %v %q %+v, then %v %q %+v", code, msg, details, code2, msg2, details2)
		}
		if b3 := grpc.MarshalStatus(code2, msg2, details2); !bytes.Equal(b3, b2) {
			t.Fatalf("encoding not stable: % x then % x", b2, b3)
		}
	})
}

// unitOf returns the duration of the unit letter ending a grpc-timeout.
func unitOf(s string) time.Duration {
	return map[byte]time.Duration{'n': time.Nanosecond, 'u': time.Microsecond, 'm': time.Millisecond,
		'S': time.Second, 'M': time.Minute, 'H': time.Hour}[s[len(s)-1]]
}

// FuzzTimeout decodes arbitrary grpc-timeout values, never panicking, and
// checks that encoding what decodes, and any duration, keeps the meaning
// within one unit of the encoding, never less.
func FuzzTimeout(f *testing.F) {
	for _, s := range []string{"0n", "1n", "99999999n", "100000u", "5S", "99999999H", "2562048H", "", "1x", "+1S", "123456789n"} {
		f.Add(s, int64(0))
	}
	f.Add("1m", int64(100_000_001))
	f.Add("1H", int64(-1))
	f.Add("1H", int64(1<<63-1))
	f.Fuzz(func(t *testing.T, s string, n int64) {
		check := func(d time.Duration) {
			enc := grpc.EncodeTimeout(d)
			if len(enc) > 9 {
				t.Fatalf("EncodeTimeout(%d) = %q, more than 8 digits", d, enc)
			}
			got, err := grpc.DecodeTimeout(enc)
			if err != nil {
				t.Fatalf("DecodeTimeout(EncodeTimeout(%d) = %q): %v", d, enc, err)
			}
			want := max(d, 0)
			if got < want || (got-want >= unitOf(enc) && got != 1<<63-1) {
				t.Fatalf("EncodeTimeout(%d) = %q decodes to %d", d, enc, got)
			}
		}
		if d, err := grpc.DecodeTimeout(s); err == nil {
			check(d)
		}
		check(time.Duration(n))
	})
}
