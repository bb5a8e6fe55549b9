package conformance

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"maps"
	"math/rand/v2"
	"strings"
	"testing"

	gttheader "github.com/cloudwego/gopkg/protocol/ttheader"

	"github.com/ospreyrpc/osprey/protocol/ttheader"
)

// TestTTHeaderGopkg checks Osprey's TTHeader codec against the one Kitex
// v0.16.3 uses, cloudwego/gopkg v0.2.0 protocol/ttheader, without a network:
// Osprey encodes each header and gopkg decodes it, gopkg encodes the same
// content and Osprey decodes it, and the decoded fields must match. gopkg
// encodes from maps, so the bytes are compared only when each block holds at
// most one pair; then they must be identical, which pins the block order.
func TestTTHeaderGopkg(t *testing.T) {
	payload := []byte{0x80, 0x01, 0x00, 0x01, 0, 0, 0, 4, 'E', 'c', 'h', 'o', 0, 0, 0, 1, 0}
	for _, c := range ttheaderCases() {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			want := gopkgView(c.h)

			// Osprey encodes, gopkg decodes.
			ob, err := ttheader.AppendHeader(nil, c.h, len(payload))
			if err != nil {
				t.Fatal(err)
			}
			ob = append(ob, payload...)
			got, err := gttheader.DecodeFromBytes(ctx, ob)
			if c.h.Protocol == ttheader.ProtocolCompact {
				// gopkg names ID 2 but its decoder rejects it
				// ("Kitex not support").
				if err == nil || !strings.Contains(err.Error(), "unsupported ProtocolID[2]") {
					t.Fatalf("gopkg decoded protocol 2: %v", err)
				}
			} else {
				if err != nil {
					t.Fatalf("gopkg cannot decode Osprey's % .64x: %v", ob, err)
				}
				if d := paramDiff(decoded(got), want); d != "" {
					t.Fatalf("gopkg decoded Osprey's % .64x: %s", ob, d)
				}
				if got.HeaderLen != 4+c.h.Size() || got.PayloadLen != len(payload) {
					t.Fatalf("gopkg: header %d payload %d bytes, want %d %d", got.HeaderLen, got.PayloadLen, 4+c.h.Size(), len(payload))
				}
			}

			// gopkg encodes the same content, Osprey decodes.
			gb, err := gttheader.EncodeToBytes(ctx, want)
			if err != nil {
				t.Fatal(err)
			}
			binary.BigEndian.PutUint32(gb, uint32(len(gb)-4+len(payload)))
			gb = append(gb, payload...)
			var h ttheader.Header
			p, err := ttheader.Decode(&h, gb[4:], ttheader.Limits{MaxHeaderSize: 4 * 65535})
			if err != nil {
				t.Fatalf("Osprey cannot decode gopkg's % .64x: %v", gb, err)
			}
			if d := paramDiff(gopkgView(&h), want); d != "" {
				t.Fatalf("Osprey decoded gopkg's % .64x: %s", gb, d)
			}
			if !bytes.Equal(p, payload) {
				t.Fatalf("Osprey decoded payload % x, want % x", p, payload)
			}

			if len(c.h.Ints) <= 1 && len(c.h.Strs) <= 1 && !bytes.Equal(ob, gb) {
				t.Fatalf("bytes differ:\nOsprey % .64x\ngopkg  % .64x", ob, gb)
			}
		})
	}
}

type ttheaderCase struct {
	name string
	h    *ttheader.Header
}

func ttheaderCases() []ttheaderCase {
	ints := func(kv ...any) []ttheader.IntPair {
		var p []ttheader.IntPair
		for i := 0; i < len(kv); i += 2 {
			p = append(p, ttheader.IntPair{Key: kv[i].(uint16), Value: kv[i+1].(string)})
		}
		return p
	}
	strs := func(kv ...string) []ttheader.StrPair {
		var p []ttheader.StrPair
		for i := 0; i < len(kv); i += 2 {
			p = append(p, ttheader.StrPair{Key: kv[i], Value: kv[i+1]})
		}
		return p
	}
	cases := []ttheaderCase{
		{"empty", &ttheader.Header{}},
		{"seq 1", &ttheader.Header{SeqID: 1}},
		{"seq max", &ttheader.Header{SeqID: 1<<31 - 1}},
		{"seq negative", &ttheader.Header{SeqID: -2}},
		{"flags", &ttheader.Header{Flags: 0x0001 | 0x0008}},
		{"protocol binary", &ttheader.Header{Protocol: ttheader.ProtocolBinary}},
		{"protocol compact", &ttheader.Header{Protocol: ttheader.ProtocolCompact}},
		{"one int key", &ttheader.Header{Ints: ints(ttheader.KeyRPCTimeout, "2000")}},
		{"int keys of a request", &ttheader.Header{SeqID: 5, Ints: ints(
			ttheader.KeyTransportType, "framed", ttheader.KeyFromService, "caller",
			ttheader.KeyToService, "callee", ttheader.KeyToMethod, "Echo",
			ttheader.KeyRPCTimeout, "2000", ttheader.KeyConnectTimeout, "50",
			ttheader.KeyFromMethod, "", ttheader.KeyMsgType, "1", ttheader.KeyLogID, "log")}},
		{"one string key", &ttheader.Header{Strs: strs(ttheader.KeyIDLServiceName, "EchoService")}},
		{"metainfo", &ttheader.Header{Strs: strs(
			ttheader.PrefixPersistent+"p-key", "p-val", ttheader.PrefixTransient+"t-key", "t-val",
			ttheader.PrefixTransientUpstream+"u", "u-val")}},
		{"reply", &ttheader.Header{Ints: ints(ttheader.KeyMsgType, "2"), Strs: strs(
			ttheader.KeyBizStatus, "1001", ttheader.KeyBizMessage, "bad", ttheader.KeyBizExtra, `{"k":"v"}`,
			ttheader.KeyConnReset, "1", "b-key", "from-osprey")}},
		{"ACL token", &ttheader.Header{Token: "gdpr"}},
		{"one of each", &ttheader.Header{SeqID: 3, Token: "t",
			Ints: ints(ttheader.KeyFromService, "a"), Strs: strs(ttheader.KeyIDLServiceName, "S")}},
		{"longest value", &ttheader.Header{Strs: strs("k", strings.Repeat("v", 65535))}},
	}
	r := rand.New(rand.NewPCG(20261201, 1))
	for i := range 200 {
		h := &ttheader.Header{SeqID: int32(r.Uint32()), Flags: []uint16{0, 1, 8}[r.IntN(3)]}
		for range r.IntN(4) {
			h.AddInt(uint16(r.IntN(30)), randString(r))
		}
		for range r.IntN(4) {
			k := []string{ttheader.PrefixPersistent, ttheader.PrefixTransient, ""}[r.IntN(3)] + randString(r)
			h.AddStr(k, randString(r))
		}
		if r.IntN(2) == 0 {
			h.Token = randString(r) + "t"
		}
		cases = append(cases, ttheaderCase{fmt.Sprintf("random %d", i), h})
	}
	return cases
}

// randString returns up to 20 arbitrary bytes.
func randString(r *rand.Rand) string {
	b := make([]byte, r.IntN(21))
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return string(b)
}

// gopkgView is h as gopkg represents it: maps, where the last of repeated
// keys wins, and the ACL token under GDPRToken among the strings.
func gopkgView(h *ttheader.Header) gttheader.EncodeParam {
	p := gttheader.EncodeParam{
		Flags:      gttheader.HeaderFlags(h.Flags),
		SeqID:      h.SeqID,
		ProtocolID: gttheader.ProtocolID(h.Protocol),
		IntInfo:    map[uint16]string{},
		StrInfo:    map[string]string{},
	}
	for _, kv := range h.Ints {
		p.IntInfo[kv.Key] = kv.Value
	}
	for _, kv := range h.Strs {
		p.StrInfo[kv.Key] = kv.Value
	}
	if h.Token != "" {
		p.StrInfo[gttheader.GDPRToken] = h.Token
	}
	return p
}

// decoded returns the fields of a header gopkg decoded.
func decoded(p gttheader.DecodeParam) gttheader.EncodeParam {
	return gttheader.EncodeParam{Flags: p.Flags, SeqID: p.SeqID, ProtocolID: p.ProtocolID, IntInfo: p.IntInfo, StrInfo: p.StrInfo}
}

// paramDiff describes how the header got differs from want, or returns "".
// Absent and empty maps are the same.
func paramDiff(got, want gttheader.EncodeParam) string {
	var d []string
	if got.Flags != want.Flags || got.SeqID != want.SeqID || got.ProtocolID != want.ProtocolID {
		d = append(d, fmt.Sprintf("flags/seq/protocol %#x %d %d, want %#x %d %d",
			got.Flags, got.SeqID, got.ProtocolID, want.Flags, want.SeqID, want.ProtocolID))
	}
	if len(got.IntInfo)+len(want.IntInfo) > 0 && !maps.Equal(got.IntInfo, want.IntInfo) {
		d = append(d, fmt.Sprintf("ints %v, want %v", got.IntInfo, want.IntInfo))
	}
	if len(got.StrInfo)+len(want.StrInfo) > 0 && !maps.Equal(got.StrInfo, want.StrInfo) {
		d = append(d, fmt.Sprintf("strings %q, want %q", got.StrInfo, want.StrInfo))
	}
	return strings.Join(d, "; ")
}
