//go:build !race

package grpc_test

import (
	"context"
	"testing"

	"github.com/ospreyrpc/osprey/protocol/grpc"
	"github.com/ospreyrpc/osprey/rpcinfo"
)

func TestAppendMessageAlloc(t *testing.T) {
	payload := make([]byte, 1024)
	buf := make([]byte, 0, 2048)
	allocs := testing.AllocsPerRun(100, func() {
		buf = grpc.AppendMessage(buf[:0], false, payload)
	})
	if allocs != 0 {
		t.Errorf("AppendMessage into a big enough buffer: %v allocations, want 0", allocs)
	}
}

func TestMessageReaderAlloc(t *testing.T) {
	one := grpc.AppendMessage(nil, false, make([]byte, 1024))
	split := grpc.AppendMessage(nil, true, make([]byte, 4096))
	var r grpc.MessageReader
	read := func(chunks ...[]byte) {
		for _, c := range chunks {
			r.Feed(c)
			for {
				_, _, ok, err := r.Next()
				if err != nil {
					t.Fatal(err)
				}
				if !ok {
					break
				}
			}
		}
	}
	read(split[:100], split[100:]) // warm-up: the assembly buffer grows once
	tests := []struct {
		name   string
		chunks [][]byte
	}{
		{"single chunk", [][]byte{one}},
		{"split prefix", [][]byte{one[:3], one[3:]}},
		{"split body, buffer warm", [][]byte{split[:100], split[100:]}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if allocs := testing.AllocsPerRun(100, func() { read(tt.chunks...) }); allocs != 0 {
				t.Errorf("%v allocations per message, want 0", allocs)
			}
		})
	}
}

func TestEncodingAlloc(t *testing.T) {
	buf := make([]byte, 0, 64)
	tests := []struct {
		name string
		f    func()
	}{
		{"AppendTimeout", func() { buf = grpc.AppendTimeout(buf[:0], 1234567890) }},
		{"EncodeMessage of plain text", func() { _ = grpc.EncodeMessage("not found: user 42") }},
		{"DecodeMessage of plain text", func() { _ = grpc.DecodeMessage("not found: user 42") }},
		{"DecodeTimeout", func() { _, _ = grpc.DecodeTimeout("12345678m") }},
		{"ParseCode", func() { _, _ = grpc.ParseCode("14") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if allocs := testing.AllocsPerRun(100, tt.f); allocs != 0 {
				t.Errorf("%v allocations, want 0", allocs)
			}
		})
	}
}

// TestServerTransportLookupAlloc pins that reaching a call's
// ServerTransport costs nothing: storing it in the Info and finding it
// from the handler's context, wrapped by middleware or not.
func TestServerTransportLookupAlloc(t *testing.T) {
	tr := &transport{}
	ctx, ri := rpcinfo.NewContext(context.Background())
	wrapped := context.WithValue(ctx, wrapKey{}, 1)
	allocs := testing.AllocsPerRun(100, func() {
		ri.Role, ri.Transport = rpcinfo.Server, tr
		if grpc.SetTrailer(ctx, nil) != nil || grpc.SetSendCompressor(wrapped, "gzip") != nil {
			t.Fatal("no transport found")
		}
	})
	if allocs != 0 {
		t.Errorf("%v allocations, want 0", allocs)
	}
}
