package ttheader_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"testing"

	"github.com/ospreyrpc/osprey/protocol/thrift"
	"github.com/ospreyrpc/osprey/protocol/ttheader"
)

// TestKitexCaptures checks the exact bytes Kitex v0.16.3 sent (KITEX-WIRE.md)
// both ways: Osprey writes them, and decodes them to the same header.
func TestKitexCaptures(t *testing.T) {
	call := unhex(t, echoCall)
	framed := append(unhex(t, "0000002b"), call...)
	tests := []struct {
		name    string
		wire    string
		payload []byte
	}{
		{"ttheader-framed", "0000003d 1000 0000 00000001 0001 00 00 0000 0000002b " + echoCall, framed},
		{"ttheader", "00000039 1000 0000 00000001 0001 00 00 0000 " + echoCall, call},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wire := unhex(t, tt.wire)
			want := &ttheader.Header{SeqID: 1, Protocol: ttheader.ProtocolBinary}
			if got := encode(t, want, tt.payload); !bytes.Equal(got, wire) {
				t.Errorf("encoded\n%x\nwant\n%x", got, wire)
			}
			if !ttheader.IsTTHeader(wire) {
				t.Errorf("IsTTHeader = false")
			}
			checkRoundTrip(t, wire, want, tt.payload)
		})
	}
}

// TestEncodeBytes pins the bytes of headers with info blocks, written out by
// hand from spec §4, in Kitex's block order: token, strings, ints, padding.
func TestEncodeBytes(t *testing.T) {
	tests := []struct {
		name string
		h    ttheader.Header
		wire string
	}{
		{
			"all blocks, no padding",
			ttheader.Header{SeqID: 7, Token: "t",
				Strs: []ttheader.StrPair{{"isn", "Echo"}},
				Ints: []ttheader.IntPair{{ttheader.KeyFromService, "a"}}},
			"00000026 1000 0000 00000007 0007 00 00 11 0001 74 01 0001 0003 69736e 0004 4563686f 10 0001 0003 0001 61",
		},
		{
			"ints, 3 bytes padding",
			ttheader.Header{SeqID: -1, Flags: 1, Protocol: ttheader.ProtocolCompact,
				Ints: []ttheader.IntPair{{ttheader.KeyRPCTimeout, "2000"}, {ttheader.KeyToMethod, ""}}},
			"0000001e 1000 0001 ffffffff 0005 02 00 10 0002 000c 0004 32303030 0009 0000 000000",
		},
		{
			"string pair, 1 byte padding",
			ttheader.Header{Strs: []ttheader.StrPair{{ttheader.PrefixPersistent + "k", "v"}}},
			"00000022 1000 0000 00000000 0006 00 00 01 0001 000d 5250435f504552534953545f6b 0001 76 00",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wire := unhex(t, tt.wire)
			if got := encode(t, &tt.h, nil); !bytes.Equal(got, wire) {
				t.Fatalf("encoded\n%x\nwant\n%x", got, wire)
			}
			if got, want := tt.h.Size(), len(wire)-4; got != want {
				t.Errorf("Size = %d, want %d", got, want)
			}
			checkRoundTrip(t, wire, &tt.h, nil)
		})
	}
}

func TestRoundTrip(t *testing.T) {
	long := strings.Repeat("x", 65535)
	tests := []struct {
		name string
		h    ttheader.Header
	}{
		{"empty", ttheader.Header{}},
		{"seq and flags", ttheader.Header{SeqID: 1 << 30, Flags: 0xfffd}},
		{"request keys", ttheader.Header{SeqID: 3,
			Ints: []ttheader.IntPair{{ttheader.KeyFromService, "caller"}, {ttheader.KeyToService, "callee"},
				{ttheader.KeyToMethod, "Echo"}, {ttheader.KeyRPCTimeout, "150"}, {ttheader.KeyLogID, "abc"}},
			Strs: []ttheader.StrPair{{ttheader.KeyIDLServiceName, "EchoService"},
				{ttheader.PrefixPersistent + "p", "1"}, {ttheader.PrefixTransient + "t", ""}}}},
		{"reply keys", ttheader.Header{
			Strs: []ttheader.StrPair{{ttheader.KeyBizStatus, "1001"}, {ttheader.KeyBizMessage, "no"},
				{ttheader.KeyBizExtra, `{"a":"b"}`}, {ttheader.KeyConnReset, "1"}, {"b-key", "v"}}}},
		{"token only", ttheader.Header{Token: "secret"}},
		{"repeated key", ttheader.Header{Ints: []ttheader.IntPair{{1, "a"}, {1, "b"}}}},
		{"longest strings", ttheader.Header{Token: long, Strs: []ttheader.StrPair{{"k", long}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			payload := []byte{0x80, 0x01, 0x00, 0x01}
			msg := encode(t, &tt.h, payload)
			if got := binary.BigEndian.Uint32(msg); int(got) != len(msg)-4 {
				t.Fatalf("length prefix %d, message has %d bytes after it", got, len(msg)-4)
			}
			if (len(msg)-4-len(payload))%4 != 2 { // 10 fixed bytes + padded header
				t.Fatalf("header of %d bytes is not padded", len(msg)-4-len(payload))
			}
			var h ttheader.Header
			got, err := ttheader.Decode(&h, msg[4:], ttheader.Limits{MaxHeaderSize: 1 << 18})
			if err != nil {
				t.Fatal(err)
			}
			if d := diff(&h, &tt.h); d != "" {
				t.Fatal(d)
			}
			if !bytes.Equal(got, payload) {
				t.Fatalf("payload %x", got)
			}
		})
	}
}

// TestDecodePadding checks that zero bytes are skipped between blocks and
// after them, as Kitex does.
func TestDecodePadding(t *testing.T) {
	tests := []struct {
		name, wire string
		want       ttheader.Header
	}{
		{"between and after blocks", "1000 0000 00000001 0004 0000 0000 10 0001 0003 0001 61 000000 00",
			ttheader.Header{SeqID: 1, Ints: []ttheader.IntPair{{3, "a"}}}},
		{"more words than needed", "1000 0000 00000001 0003 0000 00000000 00000000 0000",
			ttheader.Header{SeqID: 1}},
		{"two blocks of a kind, two tokens", "1000 0000 00000000 0007 0000 01 0001 0001 61 0000 11 0001 78 01 0001 0001 62 0001 63 11 0000 0000",
			ttheader.Header{Strs: []ttheader.StrPair{{"a", ""}, {"b", "c"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := unhex(t, tt.wire)
			msg = append(binary.BigEndian.AppendUint32(nil, uint32(len(msg))), msg...)
			checkRoundTrip(t, msg, &tt.want, []byte{})
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name, wire string
		lim        ttheader.Limits
		want       error
		text       string
	}{
		{"short", "1000 0000 0000", ttheader.Limits{}, thrift.ErrInvalidData, "shorter"},
		{"empty", "", ttheader.Limits{}, thrift.ErrInvalidData, "shorter"},
		{"Apache THeader magic", "0fff 0000 00000001 0001 0000 0000", ttheader.Limits{}, thrift.ErrInvalidData, "bad magic 0x0fff"},
		{"Thrift Binary", "8001 0001 00000004 4563 686f", ttheader.Limits{}, thrift.ErrInvalidData, "bad magic"},
		{"streaming flag", "1000 0002 00000001 0001 0000 0000", ttheader.Limits{}, thrift.ErrInvalidData, "Streaming"},
		{"header size 0", "1000 0000 00000001 0000 80010001", ttheader.Limits{}, thrift.ErrInvalidData, "header size 0"},
		{"header past end", "1000 0000 00000001 0002 0000 0000", ttheader.Limits{}, thrift.ErrInvalidData, "past the end of the 14-byte message"},
		{"header over limit", "1000 0000 00000001 0002 0000 0000 0000 0000", ttheader.Limits{MaxHeaderSize: 4}, thrift.ErrTooLarge, "limit of 4"},
		{"transform", "1000 0000 00000001 0001 00 01 05 00", ttheader.Limits{}, thrift.ErrInvalidData, "unsupported transform id 5"},
		{"unknown info id", "1000 0000 00000001 0001 00 00 07 00", ttheader.Limits{}, thrift.ErrInvalidData, "unknown info block id 0x07"},
		{"truncated count", "1000 0000 00000001 0001 00 00 00 01", ttheader.Limits{}, thrift.ErrInvalidData, "count past the end"},
		{"count beyond bytes", "1000 0000 00000001 0002 00 00 01 0005 000000", ttheader.Limits{}, thrift.ErrInvalidData, "5 pairs in 3 bytes"},
		{"truncated string key", "1000 0000 00000001 0003 00 00 01 0001 0009 616263 0000", ttheader.Limits{}, thrift.ErrInvalidData, "key past the end"},
		{"truncated string value", "1000 0000 00000001 0003 00 00 01 0001 0001 61 0009 6162 00", ttheader.Limits{}, thrift.ErrInvalidData, "value past the end"},
		{"truncated int value", "1000 0000 00000001 0003 00 00 10 0001 0003 0009 6162 00", ttheader.Limits{}, thrift.ErrInvalidData, "int pair 3: value past the end"},
		{"truncated second int key", "1000 0000 00000001 0004 00 00 10 0002 0003 0007 61626364656667", ttheader.Limits{}, thrift.ErrInvalidData, "key past the end"},
		{"truncated token", "1000 0000 00000001 0002 00 00 11 0009 000000", ttheader.Limits{}, thrift.ErrInvalidData, "ACL token past"},
		{"too many pairs", "1000 0000 00000001 0004 00 00 10 0002 0001 0000 0002 0000 000000", ttheader.Limits{MaxPairs: 1}, thrift.ErrTooLarge, "more than 1 key/value pairs"},
		{"too many pairs over two blocks", "1000 0000 00000001 0004 00 00 10 0001 0001 0000 01 0001 0000 0000", ttheader.Limits{MaxPairs: 1}, thrift.ErrTooLarge, "more than 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h ttheader.Header
			payload, err := ttheader.Decode(&h, unhex(t, tt.wire), tt.lim)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.text) {
				t.Fatalf("err = %q, want it to contain %q", err, tt.text)
			}
			if payload != nil {
				t.Fatalf("payload %x with an error", payload)
			}
		})
	}
}

func TestAppendHeaderErrors(t *testing.T) {
	long := strings.Repeat("x", 65536)
	max := strings.Repeat("x", 65535)
	tests := []struct {
		name       string
		h          ttheader.Header
		payloadLen int
		text       string
	}{
		{"long key", ttheader.Header{Strs: []ttheader.StrPair{{long, ""}}}, 0, "longer than 65535"},
		{"long value", ttheader.Header{Strs: []ttheader.StrPair{{"k", long}}}, 0, "longer than 65535"},
		{"long int value", ttheader.Header{Ints: []ttheader.IntPair{{1, long}}}, 0, "int pair 1"},
		{"long token", ttheader.Header{Token: long}, 0, "ACL token"},
		{"too many pairs", ttheader.Header{Ints: make([]ttheader.IntPair, 65536)}, 0, "at most 65535"},
		{"header too large", ttheader.Header{Strs: []ttheader.StrPair{{max, max}, {max, max}}}, 0, "exceeds 262140"},
		{"streaming", ttheader.Header{Flags: ttheader.FlagStreaming}, 0, "FlagStreaming"},
		{"negative payload", ttheader.Header{}, -1, "payload length -1"},
		{"payload too large", ttheader.Header{}, 1<<31 - 14, "out of range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst := []byte{1, 2}
			got, err := ttheader.AppendHeader(dst, &tt.h, tt.payloadLen)
			if err == nil || !strings.Contains(err.Error(), tt.text) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.text)
			}
			if !bytes.Equal(got, dst) {
				t.Fatalf("dst changed to %x", got)
			}
		})
	}
	// The largest total length is accepted.
	if _, err := ttheader.AppendHeader(nil, &ttheader.Header{}, 1<<31-15); err != nil {
		t.Fatalf("largest payload: %v", err)
	}
}

func TestIsTTHeader(t *testing.T) {
	tests := []struct {
		name           string
		wire           string
		ttheader, strm bool
	}{
		{"TTHeader", "0000003d 1000 0000", true, false},
		{"TTHeader, 6 bytes", "0000003d 1000", true, false},
		{"streaming", "0000003d 1000 0002", true, true},
		{"streaming, 6 bytes", "0000003d 1000", true, false},
		{"Apache THeader", "0000003d 0fff 0000", false, false},
		{"framed Binary", "0000002b 8001 0001", false, false},
		{"unframed Binary", "80010001 0000 0004", false, false},
		{"5 bytes", "00000000 10", false, false},
		{"empty", "", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := unhex(t, tt.wire)
			if got := ttheader.IsTTHeader(b); got != tt.ttheader {
				t.Errorf("IsTTHeader(%x) = %v", b, got)
			}
			if got := ttheader.IsStreaming(b); got != tt.strm {
				t.Errorf("IsStreaming(%x) = %v", b, got)
			}
		})
	}
}

func TestHeaderAccessors(t *testing.T) {
	var h ttheader.Header
	h.AddInt(ttheader.KeyRPCTimeout, "100")
	h.AddInt(ttheader.KeyRPCTimeout, "200")
	h.AddStr("k", "a")
	h.AddStr("k", "b")
	h.Token = "tok"
	lookup := func(v string, ok bool) [2]any { return [2]any{v, ok} }
	tests := []struct {
		name      string
		got, want [2]any
	}{
		{"Int last wins", lookup(h.Int(ttheader.KeyRPCTimeout)), [2]any{"200", true}},
		{"Int missing", lookup(h.Int(ttheader.KeyLogID)), [2]any{"", false}},
		{"Str last wins", lookup(h.Str("k")), [2]any{"b", true}},
		{"token is not a Str", lookup(h.Str(ttheader.GDPRTokenKey)), [2]any{"", false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Fatalf("got %v, want %v", tt.got, tt.want)
			}
		})
	}
	ints, strs := cap(h.Ints), cap(h.Strs)
	h.Reset()
	if d := diff(&h, &ttheader.Header{}); d != "" || cap(h.Ints) != ints || cap(h.Strs) != strs {
		t.Fatalf("after Reset: %s; caps %d %d, want %d %d", d, cap(h.Ints), cap(h.Strs), ints, strs)
	}
}
