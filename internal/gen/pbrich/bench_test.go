package pbrich_test

import (
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/ospreyrpc/osprey/internal/gen/pbrich"
)

// echo is the benchmarks' message: an echo request with a 1 KB body.
var echo = &pbrich.Echo{Action: "echo", Msg: strings.Repeat("x", 1024)}

func BenchmarkEchoMarshalGRPC(b *testing.B) {
	buf := make([]byte, 0, 2048)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := echo.MarshalGRPC(buf[:0]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEchoMarshalGRPCNewBuffer(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := echo.MarshalGRPC(nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEchoProtoMarshalAppend(b *testing.B) {
	buf := make([]byte, 0, 2048)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := (proto.MarshalOptions{}).MarshalAppend(buf[:0], echo); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEchoProtoMarshal(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := proto.Marshal(echo); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEchoUnmarshalGRPC(b *testing.B) {
	data, err := proto.Marshal(echo)
	if err != nil {
		b.Fatal(err)
	}
	var m pbrich.Echo
	b.ReportAllocs()
	for b.Loop() {
		if err := m.UnmarshalGRPC(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEchoProtoUnmarshal(b *testing.B) {
	data, err := proto.Marshal(echo)
	if err != nil {
		b.Fatal(err)
	}
	var m pbrich.Echo
	b.ReportAllocs()
	for b.Loop() {
		if err := proto.Unmarshal(data, &m); err != nil {
			b.Fatal(err)
		}
	}
}

// richMessage is a random Rich message (every kind of field, well-known
// types through protobuf-go), for benchmarks beyond the echo's one string.
func richMessage() *pbrich.Rich {
	m := &pbrich.Rich{}
	f := newFiller(5)
	f.unknown = 0
	f.fill(m.ProtoReflect(), 3)
	return m
}

func BenchmarkRichMarshalGRPC(b *testing.B) {
	m := richMessage()
	buf := make([]byte, 0, 64<<10)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.MarshalGRPC(buf[:0]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRichProtoMarshalAppend(b *testing.B) {
	m := richMessage()
	buf := make([]byte, 0, 64<<10)
	opts := proto.MarshalOptions{Deterministic: true}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := opts.MarshalAppend(buf[:0], m); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRichUnmarshalGRPC(b *testing.B) {
	data, err := proto.Marshal(richMessage())
	if err != nil {
		b.Fatal(err)
	}
	var m pbrich.Rich
	b.ReportAllocs()
	for b.Loop() {
		if err := m.UnmarshalGRPC(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRichProtoUnmarshal(b *testing.B) {
	data, err := proto.Marshal(richMessage())
	if err != nil {
		b.Fatal(err)
	}
	var m pbrich.Rich
	b.ReportAllocs()
	for b.Loop() {
		if err := proto.Unmarshal(data, &m); err != nil {
			b.Fatal(err)
		}
	}
}
