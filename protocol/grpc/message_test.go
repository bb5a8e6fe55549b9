package grpc_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/protocol/grpc"
	"github.com/ospreyrpc/osprey/status"
)

func TestAppendMessage(t *testing.T) {
	tests := []struct {
		name       string
		compressed bool
		payload    []byte
		want       []byte
	}{
		{"empty", false, nil, []byte{0, 0, 0, 0, 0}},
		{"hello", false, []byte("hi"), []byte{0, 0, 0, 0, 2, 'h', 'i'}},
		{"compressed", true, []byte{7}, []byte{1, 0, 0, 0, 1, 7}},
		{"256 bytes", false, make([]byte, 256), append([]byte{0, 0, 0, 1, 0}, make([]byte, 256)...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := grpc.AppendMessage([]byte("x"), tt.compressed, tt.payload)
			if want := append([]byte("x"), tt.want...); !bytes.Equal(got, want) {
				t.Errorf("AppendMessage = % x, want % x", got, want)
			}
		})
	}
}

func TestAppendMessageHeaderPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("AppendMessageHeader(-1) did not panic")
		}
	}()
	grpc.AppendMessageHeader(nil, false, -1)
}

type msg struct {
	body       string
	compressed bool
}

// readAll feeds chunks one by one and collects every message, stopping at
// the first error.
func readAll(r *grpc.MessageReader, chunks [][]byte) ([]msg, error) {
	var got []msg
	for _, c := range chunks {
		r.Feed(c)
		for {
			m, comp, ok, err := r.Next()
			if err != nil {
				return got, err
			}
			if !ok {
				break
			}
			got = append(got, msg{string(m), comp})
		}
	}
	return got, r.Close()
}

func frame(ms ...msg) []byte {
	var b []byte
	for _, m := range ms {
		b = grpc.AppendMessage(b, m.compressed, []byte(m.body))
	}
	return b
}

// split cuts b at the given offsets.
func split(b []byte, at ...int) [][]byte {
	var out [][]byte
	prev := 0
	for _, a := range at {
		out = append(out, b[prev:a])
		prev = a
	}
	return append(out, b[prev:])
}

func TestMessageReader(t *testing.T) {
	three := []msg{{"abc", false}, {"", true}, {"hello, world", false}}
	stream := frame(three...)
	var bytewise []int
	for i := 1; i < len(stream); i++ {
		bytewise = append(bytewise, i)
	}
	tests := []struct {
		name   string
		max    int
		chunks [][]byte
		want   []msg
		code   codes.Code // OK: no error
	}{
		{"one chunk", 0, [][]byte{stream}, three, codes.OK},
		{"byte by byte", 0, split(stream, bytewise...), three, codes.OK},
		{"split prefix", 0, split(stream, 2, 10), three, codes.OK},
		{"split body", 0, split(stream, 6, 7), three, codes.OK},
		{"empty chunks", 0, [][]byte{nil, stream[:3], {}, stream[3:]}, three, codes.OK},
		{"at the limit", 3, [][]byte{frame(msg{"abc", false})}, []msg{{"abc", false}}, codes.OK},
		{"over the limit", 2, [][]byte{frame(msg{"abc", false})}, nil, codes.ResourceExhausted},
		{"over the limit, split prefix", 2, split(frame(msg{"abc", false}), 3), nil, codes.ResourceExhausted},
		{"over the default limit", 0, [][]byte{{0, 0, 0x40, 0, 1}}, nil, codes.ResourceExhausted},
		{"4 GiB announced", 0, [][]byte{{0, 0xff, 0xff, 0xff, 0xff}}, nil, codes.ResourceExhausted},
		{"flag 2", 0, [][]byte{{2, 0, 0, 0, 0}}, nil, codes.Internal},
		{"flag 2 after a message", 0, [][]byte{append(frame(msg{"a", false}), 0x80, 0, 0, 0, 0)}, []msg{{"a", false}}, codes.Internal},
		{"flag 2, split prefix", 0, [][]byte{{2}, {0, 0, 0, 0}}, nil, codes.Internal},
		{"ends inside the prefix", 0, [][]byte{{0, 0}}, nil, codes.Internal},
		{"ends inside the body", 0, [][]byte{{0, 0, 0, 0, 2, 'a'}}, nil, codes.Internal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &grpc.MessageReader{MaxSize: tt.max}
			got, err := readAll(r, tt.chunks)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d messages %+v, want %+v", len(got), got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("message %d = %+v, want %+v", i, got[i], tt.want[i])
				}
			}
			if c := status.Code(err); c != tt.code {
				t.Fatalf("error %v (code %v), want code %v", err, c, tt.code)
			}
			if err != nil {
				if _, ok := status.FromError(err); !ok {
					t.Errorf("error %T is not a *status.Error", err)
				}
				// Errors are final.
				if _, _, ok, err2 := r.Next(); ok || err2 != err {
					t.Errorf("Next after error = %v, %v", ok, err2)
				}
			}
		})
	}
}

func TestMessageReaderViewAndReset(t *testing.T) {
	stream := frame(msg{"abc", false})
	var r grpc.MessageReader
	r.Feed(stream)
	m, _, ok, err := r.Next()
	if !ok || err != nil {
		t.Fatalf("Next = %v, %v", ok, err)
	}
	if &m[0] != &stream[5] {
		t.Error("a message whole in one chunk is not a view of the chunk")
	}
	if cap(m) != 3 {
		t.Errorf("cap = %d, want 3: appending to the view must not overwrite the chunk", cap(m))
	}
	r.Feed(stream[:6])
	if _, _, ok, _ := r.Next(); ok {
		t.Fatal("message from half a frame")
	}
	if r.Buffered() != 6 {
		t.Errorf("Buffered = %d, want 6", r.Buffered())
	}
	r.Reset()
	if r.Buffered() != 0 || r.Close() != nil {
		t.Errorf("after Reset: Buffered %d, Close %v", r.Buffered(), r.Close())
	}
}

func TestMessageReaderFeedPanics(t *testing.T) {
	var r grpc.MessageReader
	r.Feed([]byte{0})
	defer func() {
		if p := recover(); p == nil || !strings.Contains(p.(string), "consumed") {
			t.Errorf("second Feed: recover() = %v", p)
		}
	}()
	r.Feed([]byte{0})
}
