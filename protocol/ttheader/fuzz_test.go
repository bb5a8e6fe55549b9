package ttheader_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"runtime"
	"testing"

	"github.com/ospreyrpc/osprey/protocol/thrift"
	"github.com/ospreyrpc/osprey/protocol/ttheader"
)

// FuzzDecode decodes arbitrary messages (without the length prefix). Decode
// must not panic, must fail only with the documented error kinds, must
// allocate in proportion to the pairs it keeps, and what it accepts must
// encode and decode again to the same header and payload.
func FuzzDecode(f *testing.F) {
	call := unhex(f, echoCall)
	f.Add(encode(f, &ttheader.Header{SeqID: 1}, append(unhex(f, "0000002b"), call...))[4:])
	f.Add(encode(f, &ttheader.Header{SeqID: 1}, call)[4:])
	f.Add(encode(f, &ttheader.Header{SeqID: 9, Token: "tok",
		Ints: []ttheader.IntPair{{ttheader.KeyFromService, "a"}, {ttheader.KeyRPCTimeout, "1000"}},
		Strs: []ttheader.StrPair{{ttheader.KeyIDLServiceName, "S"}, {ttheader.PrefixTransient + "k", "v"}}}, call)[4:])
	f.Add(encode(f, &ttheader.Header{Protocol: ttheader.ProtocolCompact, Flags: 1,
		Strs: []ttheader.StrPair{{ttheader.KeyBizStatus, "1"}, {ttheader.KeyBizExtra, `{"a":"b"}`}}}, nil)[4:])
	f.Add(unhex(f, "1000 0000 00000000 0007 0000 01 0001 0001 61 0000 11 0001 78 01 0001 0001 62 0001 63 11 0000 0000"))
	f.Add(unhex(f, "1000 0002 00000001 0001 0000 0000"))
	f.Add(unhex(f, "1000 0000 00000001 0001 00 01 05 00"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, msg []byte) {
		var h ttheader.Header
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		payload, err := ttheader.Decode(&h, msg, ttheader.DefaultLimits())
		runtime.ReadMemStats(&after)
		// Counts are checked against the bytes left before slices grow,
		// so allocation follows the input's size (errors allocate a little).
		if got, limit := after.TotalAlloc-before.TotalAlloc, uint64(64*len(msg)+64<<10); got > limit {
			t.Fatalf("decoding %d bytes allocated %d (limit %d)", len(msg), got, limit)
		}
		if err != nil {
			if !errors.Is(err, thrift.ErrInvalidData) && !errors.Is(err, thrift.ErrTooLarge) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		if len(payload) > len(msg) || !bytes.Equal(payload, msg[len(msg)-len(payload):]) {
			t.Fatalf("payload %x is not the end of the message", payload)
		}
		again, err := ttheader.AppendHeader(nil, &h, len(payload))
		if err != nil {
			t.Fatalf("re-encoding a decoded header: %v", err)
		}
		again = append(again, payload...)
		if got := binary.BigEndian.Uint32(again); int(got) != len(again)-4 {
			t.Fatalf("length prefix %d for %d bytes", got, len(again)-4)
		}
		var h2 ttheader.Header
		payload2, err := ttheader.Decode(&h2, again[4:], ttheader.DefaultLimits())
		if err != nil {
			t.Fatalf("re-decoding %x: %v", again, err)
		}
		if d := diff(&h2, &h); d != "" {
			t.Fatalf("re-decoded header differs: %s", d)
		}
		if !bytes.Equal(payload2, payload) {
			t.Fatalf("re-decoded payload %x, want %x", payload2, payload)
		}
	})
}
