package ttheader_test

import (
	"testing"

	"github.com/ospreyrpc/osprey/protocol/ttheader"
)

func benchHeaders() []struct {
	name string
	h    *ttheader.Header
} {
	return []struct {
		name string
		h    *ttheader.Header
	}{
		{"empty", &ttheader.Header{SeqID: 1}},
		{"request", &ttheader.Header{SeqID: 1,
			Ints: []ttheader.IntPair{{ttheader.KeyTransportType, "framed"}, {ttheader.KeyFromService, "caller"},
				{ttheader.KeyToService, "callee"}, {ttheader.KeyToMethod, "Echo"}, {ttheader.KeyRPCTimeout, "1000"}},
			Strs: []ttheader.StrPair{{ttheader.KeyIDLServiceName, "EchoService"},
				{ttheader.PrefixPersistent + "p", "1"}, {ttheader.PrefixTransient + "t", "2"}}}},
	}
}

func BenchmarkDecode(b *testing.B) {
	for _, bb := range benchHeaders() {
		b.Run(bb.name, func(b *testing.B) {
			msg := encode(b, bb.h, make([]byte, 64))[4:]
			var h ttheader.Header
			b.ReportAllocs()
			b.SetBytes(int64(len(msg)))
			for b.Loop() {
				if _, err := ttheader.Decode(&h, msg, ttheader.DefaultLimits()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkAppend(b *testing.B) {
	for _, bb := range benchHeaders() {
		b.Run(bb.name, func(b *testing.B) {
			buf := make([]byte, 0, 4+bb.h.Size())
			b.ReportAllocs()
			for b.Loop() {
				var err error
				if buf, err = ttheader.AppendHeader(buf[:0], bb.h, 64); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
