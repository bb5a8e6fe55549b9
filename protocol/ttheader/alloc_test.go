//go:build !race

package ttheader_test

import (
	"testing"

	"github.com/ospreyrpc/osprey/protocol/ttheader"
)

// sampleHeader has every kind of block, as a Kitex request with
// ClientTTHeaderHandler and metainfo carries.
func sampleHeader() *ttheader.Header {
	h := &ttheader.Header{SeqID: 42, Token: "token"}
	h.AddInt(ttheader.KeyTransportType, "framed")
	h.AddInt(ttheader.KeyFromService, "caller")
	h.AddInt(ttheader.KeyToService, "callee")
	h.AddInt(ttheader.KeyToMethod, "Echo")
	h.AddInt(ttheader.KeyRPCTimeout, "1000")
	h.AddStr(ttheader.KeyIDLServiceName, "EchoService")
	h.AddStr(ttheader.PrefixPersistent+"p", "1")
	h.AddStr(ttheader.PrefixTransient+"t", "2")
	return h
}

func TestDecodeAlloc(t *testing.T) {
	tests := []struct {
		name string
		h    *ttheader.Header
	}{
		{"empty", &ttheader.Header{SeqID: 1}},
		{"pairs", sampleHeader()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := encode(t, tt.h, []byte{0x80, 0x01, 0x00, 0x01})[4:]
			var h ttheader.Header
			if _, err := ttheader.Decode(&h, msg, ttheader.DefaultLimits()); err != nil {
				t.Fatal(err)
			}
			allocs := testing.AllocsPerRun(100, func() {
				h.Reset()
				if _, err := ttheader.Decode(&h, msg, ttheader.DefaultLimits()); err != nil {
					t.Fatal(err)
				}
			})
			if allocs != 0 {
				t.Fatalf("Decode into a reused Header: %v allocations, want 0", allocs)
			}
			if d := diff(&h, tt.h); d != "" {
				t.Fatal(d)
			}
		})
	}
}

func TestAppendHeaderAlloc(t *testing.T) {
	h := sampleHeader()
	buf := make([]byte, 0, 4+h.Size())
	allocs := testing.AllocsPerRun(100, func() {
		var err error
		if buf, err = ttheader.AppendHeader(buf[:0], h, 0); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Fatalf("AppendHeader into a big-enough buffer: %v allocations, want 0", allocs)
	}
	if len(buf) != 4+h.Size() {
		t.Fatalf("wrote %d bytes, want %d", len(buf), 4+h.Size())
	}
}
