package ttheader_test

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/ospreyrpc/osprey/protocol/ttheader"
)

// unhex decodes hex with spaces, as written in KITEX-WIRE.md and the spec.
func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

// echoCall is the 43-byte Thrift Binary Echo call of the Kitex captures.
const echoCall = "80010001 00000004 4563686f 00000001 0c0001 0b0001 00000004 6563686f 0b0002 00000004 00000000 00 00"

// diff describes how two headers differ, or returns "" when they are the
// same. Nil and empty slices are the same.
func diff(got, want *ttheader.Header) string {
	var d []string
	if got.Flags != want.Flags {
		d = append(d, fmt.Sprintf("Flags %#x, want %#x", got.Flags, want.Flags))
	}
	if got.SeqID != want.SeqID {
		d = append(d, fmt.Sprintf("SeqID %d, want %d", got.SeqID, want.SeqID))
	}
	if got.Protocol != want.Protocol {
		d = append(d, fmt.Sprintf("Protocol %d, want %d", got.Protocol, want.Protocol))
	}
	if !slices.Equal(got.Ints, want.Ints) {
		d = append(d, fmt.Sprintf("Ints %+v, want %+v", got.Ints, want.Ints))
	}
	if !slices.Equal(got.Strs, want.Strs) {
		d = append(d, fmt.Sprintf("Strs %q, want %q", got.Strs, want.Strs))
	}
	if got.Token != want.Token {
		d = append(d, fmt.Sprintf("Token %q, want %q", got.Token, want.Token))
	}
	return strings.Join(d, "; ")
}

// encode appends h and payload as one message, length prefix included.
func encode(t testing.TB, h *ttheader.Header, payload []byte) []byte {
	t.Helper()
	b, err := ttheader.AppendHeader(nil, h, len(payload))
	if err != nil {
		t.Fatalf("AppendHeader: %v", err)
	}
	return append(b, payload...)
}

// checkRoundTrip decodes msg (length prefix included) and compares the
// header and payload with want and wantPayload.
func checkRoundTrip(t testing.TB, msg []byte, want *ttheader.Header, wantPayload []byte) {
	t.Helper()
	var h ttheader.Header
	payload, err := ttheader.Decode(&h, msg[4:], ttheader.DefaultLimits())
	if err != nil {
		t.Fatalf("Decode(%x): %v", msg, err)
	}
	if d := diff(&h, want); d != "" {
		t.Fatalf("Decode(%x): %s", msg, d)
	}
	if !bytes.Equal(payload, wantPayload) {
		t.Fatalf("payload %x, want %x", payload, wantPayload)
	}
}
