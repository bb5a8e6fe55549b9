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
