package pbrich_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/ospreyrpc/osprey/internal/gen/pbrich"
	"github.com/ospreyrpc/osprey/protocol/pbrt"
)

// randomTypes are the messages the random tests build: Rich reaches every
// proto3 feature, Legacy every proto2 one.
var randomTypes = []fastMessage{&pbrich.Rich{}, &pbrich.Legacy{}}

// TestRandomRoundTrip builds 2000 random messages of each type and checks
// both directions against protobuf-go.
func TestRandomRoundTrip(t *testing.T) {
	n := 2000
	if testing.Short() {
		n = 200
	}
	for _, typ := range randomTypes {
		for i := range n {
			m := typ.ProtoReflect().New()
			newFiller(uint64(i)).fill(m, 4)
			if msg := roundTrip(m.Interface().(fastMessage)); msg != "" {
				t.Fatalf("%T seed %d: %s", typ, i, msg)
			}
		}
	}
}

// roundTrip checks m's fast paths against protobuf-go: MarshalGRPC gives
// the deterministic bytes of proto.Marshal (also when appending), SizeGRPC
// their length, and each side decodes the other's output to an equal
// value. It returns what went wrong, or "".
func roundTrip(m fastMessage) string {
	want, err := proto.MarshalOptions{Deterministic: true}.Marshal(m)
	if err != nil {
		return fmt.Sprintf("proto.Marshal: %v", err)
	}
	got, err := m.MarshalGRPC(nil)
	if err != nil {
		return fmt.Sprintf("MarshalGRPC: %v", err)
	}
	if !bytes.Equal(got, want) {
		return fmt.Sprintf("MarshalGRPC differs from proto.Marshal:\n got %x\nwant %x", got, want)
	}
	if size := m.SizeGRPC(); size != len(got) {
		return fmt.Sprintf("SizeGRPC %d, encoding %d bytes", size, len(got))
	}
	prefixed, err := m.MarshalGRPC([]byte("prefix"))
	if err != nil || string(prefixed) != "prefix"+string(want) {
		return fmt.Sprintf("MarshalGRPC after a prefix: %x, %v", prefixed, err)
	}
	back := m.ProtoReflect().New().Interface()
	if err := proto.Unmarshal(got, back); err != nil || !proto.Equal(back, m) {
		return fmt.Sprintf("proto.Unmarshal(MarshalGRPC): %v, equal %v", err, proto.Equal(back, m))
	}
	fast := m.ProtoReflect().New().Interface().(fastMessage)
	if err := fast.UnmarshalGRPC(want); err != nil || !proto.Equal(fast, m) {
		return fmt.Sprintf("UnmarshalGRPC(proto.Marshal): %v, equal %v", err, proto.Equal(fast, m))
	}
	return ""
}

// differ decodes data into new messages of typ's type with proto.Unmarshal
// and UnmarshalGRPC and returns how they disagree, or "". They must agree
// on failure and on the value; a decoded message must encode to
// protobuf-go's bytes. One class differs by design: messages nested
// deeper than pbrt.MaxDepth (100) fail with ErrDepth, where protobuf-go
// allows 10,000 levels.
func differ(data []byte, typ fastMessage) string {
	slow := typ.ProtoReflect().New().Interface()
	fast := typ.ProtoReflect().New().Interface().(fastMessage)
	errSlow := proto.Unmarshal(data, slow)
	errFast := fast.UnmarshalGRPC(data)
	if errors.Is(errFast, pbrt.ErrDepth) {
		return ""
	}
	if (errSlow == nil) != (errFast == nil) {
		return fmt.Sprintf("proto.Unmarshal: %v, UnmarshalGRPC: %v", errSlow, errFast)
	}
	if errSlow != nil {
		return ""
	}
	if !proto.Equal(slow, fast) {
		return fmt.Sprintf("decoded values differ:\nproto.Unmarshal %v\n  UnmarshalGRPC %v", slow, fast)
	}
	want, err := proto.MarshalOptions{Deterministic: true}.Marshal(slow)
	if err != nil {
		return fmt.Sprintf("proto.Marshal of a decoded message: %v", err)
	}
	got, err := fast.MarshalGRPC(nil)
	if err != nil || !bytes.Equal(got, want) {
		return fmt.Sprintf("MarshalGRPC of a decoded message: %v\n got %x\nwant %x", err, got, want)
	}
	return ""
}

// TestDecodeProtoMarshal decodes what proto.Marshal (not deterministic:
// maps in any order) makes of random messages.
func TestDecodeProtoMarshal(t *testing.T) {
	for _, typ := range randomTypes {
		for i := range 200 {
			m := typ.ProtoReflect().New()
			newFiller(uint64(i)+1e6).fill(m, 4)
			b, err := proto.Marshal(m.Interface())
			if err != nil {
				t.Fatal(err)
			}
			if msg := differ(b, typ); msg != "" {
				t.Fatalf("%T seed %d: %s", typ, i, msg)
			}
		}
	}
}

// TestUnknownFieldsKept checks that unknown fields survive a round trip
// byte for byte, at the end of the message they were in.
func TestUnknownFieldsKept(t *testing.T) {
	known, err := proto.Marshal(&pbrich.Echo{Action: "a", Msg: "m"})
	if err != nil {
		t.Fatal(err)
	}
	f := newFiller(7)
	unknown := f.unknownFields()
	in := append(append([]byte{}, known...), unknown...)
	var m pbrich.Echo
	if err := m.UnmarshalGRPC(in); err != nil {
		t.Fatal(err)
	}
	if got := m.ProtoReflect().GetUnknown(); !bytes.Equal(got, unknown) {
		t.Fatalf("unknown fields %x, want %x", got, unknown)
	}
	out, err := m.MarshalGRPC(nil)
	if err != nil || !bytes.Equal(out, in) {
		t.Fatalf("MarshalGRPC = %x, %v; want %x", out, err, in)
	}
	// The same inside a nested message.
	nested := cat(bytesField(3, unknown), varintField(9999, 5))
	var n pbrich.Node
	if err := n.UnmarshalGRPC(nested); err != nil {
		t.Fatal(err)
	}
	if got := n.GetParentCopy().ProtoReflect().GetUnknown(); !bytes.Equal(got, unknown) {
		t.Fatalf("nested unknown fields %x, want %x", got, unknown)
	}
	if got := n.ProtoReflect().GetUnknown(); !bytes.Equal(got, varintField(9999, 5)) {
		t.Fatalf("outer unknown fields %x", got)
	}
	if out, err := n.MarshalGRPC(nil); err != nil || !bytes.Equal(out, nested) {
		t.Fatalf("MarshalGRPC = %x, %v; want %x", out, err, nested)
	}
	if msg := differ(nested, &pbrich.Node{}); msg != "" {
		t.Fatal(msg)
	}
}

// TestDelegated round-trips the messages whose fast paths delegate to
// protobuf-go: one with a group, one with extensions.
func TestDelegated(t *testing.T) {
	for i := range 100 {
		for _, typ := range []fastMessage{&pbrich.WithGroup{}, &pbrich.Extendable{}} {
			m := typ.ProtoReflect().New()
			newFiller(uint64(i)).fill(m, 2)
			if i%2 == 0 {
				if e, ok := m.Interface().(*pbrich.Extendable); ok {
					proto.SetExtension(e, pbrich.E_Note, "note")
				}
			}
			if msg := roundTrip(m.Interface().(fastMessage)); msg != "" {
				t.Fatalf("%T seed %d: %s", typ, i, msg)
			}
		}
	}
}

// TestConcurrentMarshal encodes one message from several goroutines (the
// cached sizes are atomic; run with -race).
func TestConcurrentMarshal(t *testing.T) {
	m := &pbrich.Rich{}
	newFiller(3).fill(m.ProtoReflect(), 4)
	want, err := proto.MarshalOptions{Deterministic: true}.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			for range 50 {
				got, err := m.MarshalGRPC(nil)
				if err == nil && !bytes.Equal(got, want) {
					err = fmt.Errorf("MarshalGRPC = %x, want %x", got, want)
				}
				if err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

// TestStringsOwnTheirBytes: decoded strings share a copy of the message,
// never the caller's buffer, which may be reused at once.
func TestStringsOwnTheirBytes(t *testing.T) {
	for _, msg := range []string{"hello", strings.Repeat("y", 9000)} { // under and over pbrt.ArenaMax
		in := &pbrich.Echo{Action: "echo", Msg: msg}
		b, err := in.MarshalGRPC(nil)
		if err != nil {
			t.Fatal(err)
		}
		var out pbrich.Echo
		if err := out.UnmarshalGRPC(b); err != nil {
			t.Fatal(err)
		}
		for i := range b {
			b[i] = 'z'
		}
		if out.Action != "echo" || out.Msg != msg {
			t.Errorf("after reusing the buffer: Action %q, Msg %.10q…", out.Action, out.Msg)
		}
	}
}
