package pbrich_test

import (
	"bytes"
	"errors"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"

	"github.com/ospreyrpc/osprey/internal/gen/pbrich"
	"github.com/ospreyrpc/osprey/protocol/pbrt"
)

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

func tag(num protowire.Number, typ protowire.Type) []byte { return protowire.AppendTag(nil, num, typ) }

func varintField(num protowire.Number, v uint64) []byte {
	return protowire.AppendVarint(tag(num, protowire.VarintType), v)
}

func bytesField(num protowire.Number, v []byte) []byte {
	return protowire.AppendBytes(tag(num, protowire.BytesType), v)
}

func fixed32Field(num protowire.Number, v uint32) []byte {
	return protowire.AppendFixed32(tag(num, protowire.Fixed32Type), v)
}

// nest returns n Node messages, each the parent_copy of the next.
func nest(n int) []byte {
	var b []byte
	for range n {
		b = bytesField(3, b)
	}
	return b
}

// TestDecodeCases decodes hand-made input with both decoders: they must
// agree (see differ), and UnmarshalGRPC must fail exactly when wantErr.
func TestDecodeCases(t *testing.T) {
	bad := []byte("\xff\xfe")
	legacy := varintField(1, 7) // Legacy's required id
	tests := []struct {
		name    string
		typ     fastMessage
		data    []byte
		wantErr bool
	}{
		{"empty", &pbrich.Rich{}, nil, false},
		{"wire type 7", &pbrich.Echo{}, []byte{0x0f}, true},
		{"wire type 6 unknown field", &pbrich.Echo{}, []byte{0x1e}, true},
		{"field number 0", &pbrich.Echo{}, []byte{0x02, 0x00}, true},
		{"field number past max", &pbrich.Echo{}, protowire.AppendVarint(nil, uint64(protowire.MaxValidNumber+1)<<3), true},
		{"field number max", &pbrich.Echo{}, varintField(protowire.MaxValidNumber, 1), false},
		{"end group at top level", &pbrich.Echo{}, tag(5, protowire.EndGroupType), true},
		{"unterminated group", &pbrich.Echo{}, tag(5, protowire.StartGroupType), true},
		{"mismatched group end", &pbrich.Echo{}, cat(tag(5, protowire.StartGroupType), tag(6, protowire.EndGroupType)), true},
		{"unknown group", &pbrich.Echo{}, cat(tag(5, protowire.StartGroupType), varintField(1, 3), tag(5, protowire.EndGroupType)), false},
		{"truncated varint", &pbrich.Scalars{}, []byte{0x08, 0x80}, true},
		{"varint of 11 bytes", &pbrich.Scalars{}, append([]byte{0x08}, bytes.Repeat([]byte{0xff}, 10)...), true},
		{"varint overflowing 64 bits", &pbrich.Scalars{}, append(append([]byte{0x08}, bytes.Repeat([]byte{0xff}, 9)...), 0x02), true},
		{"truncated fixed32", &pbrich.Scalars{}, []byte{0x3d, 1, 2, 3}, true},
		{"truncated tag", &pbrich.Scalars{}, []byte{0x80}, true},
		{"huge length", &pbrich.Echo{}, []byte{0x12, 0xff, 0xff, 0xff, 0xff, 0x0f}, true},
		{"length past the end", &pbrich.Echo{}, []byte{0x12, 0x05, 'a'}, true},
		{"huge packed length", &pbrich.Repeated{}, []byte{0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01}, true},
		{"packed fixed32 of 3 bytes", &pbrich.Repeated{}, bytesField(7, []byte{1, 2, 3}), true},
		{"packed truncated varint", &pbrich.Repeated{}, bytesField(1, []byte{0x80}), true},
		{"packed and unpacked mixed", &pbrich.Repeated{}, cat(bytesField(1, []byte{1, 2}), varintField(1, 3), bytesField(17, []byte{4}), varintField(17, 5)), false},
		{"packed bools", &pbrich.Repeated{}, bytesField(13, []byte{0, 1, 2}), false},
		{"string field as varint: unknown", &pbrich.Echo{}, varintField(1, 1), false},
		{"message field as fixed32: unknown", &pbrich.Rich{}, fixed32Field(1, 1), false},
		{"map field as varint: unknown", &pbrich.Maps{}, varintField(1, 1), false},
		{"non-minimal tag", &pbrich.Echo{}, []byte{0x88, 0x80, 0x00, 0x01}, false},
		{"invalid UTF-8", &pbrich.Echo{}, bytesField(2, bad), true},
		{"invalid UTF-8 repeated", &pbrich.Repeated{}, bytesField(14, bad), true},
		{"invalid UTF-8 oneof", &pbrich.Choice{}, bytesField(2, bad), true},
		{"invalid UTF-8 map key", &pbrich.Maps{}, bytesField(1, bytesField(1, bad)), true},
		{"invalid UTF-8 map value", &pbrich.Maps{}, bytesField(1, bytesField(2, bad)), true},
		{"invalid UTF-8 nested", &pbrich.Rich{}, bytesField(1, bytesField(14, bad)), true},
		{"invalid UTF-8 in bytes", &pbrich.Scalars{}, bytesField(15, bad), false},
		{"invalid UTF-8 in a well-known type", &pbrich.WellKnown{}, bytesField(6, bytesField(1, bad)), true},
		{"invalid UTF-8 proto2", &pbrich.Legacy{}, cat(legacy, bytesField(2, bad)), false},
		{"map entry empty", &pbrich.Maps{}, cat(bytesField(8, nil), bytesField(2, nil), bytesField(7, nil)), false},
		{"map entry value only", &pbrich.Maps{}, bytesField(8, bytesField(2, varintField(1, 5))), false},
		{"map entry key twice, extra field", &pbrich.Maps{}, bytesField(1, cat(bytesField(1, []byte("a")), bytesField(1, []byte("b")), varintField(3, 1))), false},
		{"map entry key of wrong type", &pbrich.Maps{}, bytesField(2, cat(fixed32Field(1, 9), varintField(2, 3))), false},
		{"map entry value merged", &pbrich.Maps{}, bytesField(8, cat(bytesField(2, varintField(1, 5)), bytesField(2, varintField(2, 6)))), false},
		{"map entry truncated", &pbrich.Maps{}, bytesField(2, []byte{0x08}), true},
		{"map key replaced", &pbrich.Maps{}, cat(bytesField(8, cat(bytesField(1, []byte("k")), bytesField(2, varintField(1, 5)))), bytesField(8, cat(bytesField(1, []byte("k")), bytesField(2, varintField(2, 6))))), false},
		{"message merged", &pbrich.Rich{}, cat(bytesField(1, varintField(1, 1)), bytesField(1, bytesField(14, []byte("s"))), bytesField(1, varintField(1, 2))), false},
		{"oneof switched then merged", &pbrich.Choice{}, cat(bytesField(2, []byte("t")), bytesField(4, varintField(1, 1)), bytesField(4, varintField(2, 2))), false},
		{"oneof message replaced by scalar", &pbrich.Choice{}, cat(bytesField(4, varintField(1, 1)), fixed32Field(9, 0), varintField(9, 1)), false},
		{"well-known type merged", &pbrich.WellKnown{}, cat(bytesField(1, varintField(1, 5)), bytesField(1, varintField(2, 6))), false},
		{"proto3 optional zero", &pbrich.Optional{}, cat(varintField(1, 0), bytesField(14, nil), bytesField(15, nil)), false},
		{"required missing", &pbrich.Legacy{}, bytesField(2, []byte("x")), true},
		{"required missing in a child", &pbrich.Legacy{}, cat(legacy, bytesField(14, nil)), true},
		{"required missing in a map value", &pbrich.Legacy{}, cat(legacy, bytesField(16, bytesField(1, []byte("k")))), true},
		{"required set in a child", &pbrich.Legacy{}, cat(legacy, bytesField(15, bytesField(1, []byte("k")))), false},
		{"closed enum value unknown", &pbrich.Legacy{}, cat(legacy, varintField(6, 99), bytesField(13, []byte{1, 99})), false},
		{"group in a fallback message", &pbrich.Legacy{}, cat(legacy, bytesField(20, cat(tag(2, protowire.StartGroupType), varintField(3, 4), tag(2, protowire.EndGroupType)))), false},
		{"nested 100 deep", &pbrich.Node{}, nest(100), false},
		{"nested 20000 deep", &pbrich.Node{}, nest(20000), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if msg := differ(tt.data, tt.typ); msg != "" {
				t.Fatal(msg)
			}
			err := tt.typ.ProtoReflect().New().Interface().(fastMessage).UnmarshalGRPC(tt.data)
			if (err != nil) != tt.wantErr {
				t.Fatalf("UnmarshalGRPC: %v, want error %v", err, tt.wantErr)
			}
		})
	}
}

// TestDepthLimit pins the one class where UnmarshalGRPC is stricter than
// proto.Unmarshal: nesting past pbrt.MaxDepth.
func TestDepthLimit(t *testing.T) {
	var n pbrich.Node
	if err := n.UnmarshalGRPC(nest(pbrt.MaxDepth)); err != nil {
		t.Fatalf("%d levels below the top: %v", pbrt.MaxDepth, err)
	}
	if err := n.UnmarshalGRPC(nest(pbrt.MaxDepth + 1)); !errors.Is(err, pbrt.ErrDepth) {
		t.Fatalf("%d levels below the top: %v, want ErrDepth", pbrt.MaxDepth+1, err)
	}
	if err := proto.Unmarshal(nest(pbrt.MaxDepth+1), &n); err != nil {
		t.Fatalf("proto.Unmarshal: %v", err)
	}
}

// TestTruncated decodes every prefix of a random message's encoding.
func TestTruncated(t *testing.T) {
	for _, typ := range randomTypes {
		m := typ.ProtoReflect().New()
		newFiller(42).fill(m, 3)
		b, err := proto.MarshalOptions{Deterministic: true}.Marshal(m.Interface())
		if err != nil {
			t.Fatal(err)
		}
		for i := range b {
			if msg := differ(b[:i], typ); msg != "" {
				t.Fatalf("%T prefix %d of %d: %s", typ, i, len(b), msg)
			}
		}
	}
}

// TestMarshalErrors checks what MarshalGRPC refuses, as proto.Marshal does.
func TestMarshalErrors(t *testing.T) {
	for _, m := range []fastMessage{
		&pbrich.Echo{Msg: "\xff"},
		&pbrich.Maps{StrStr: map[string]string{"k": "\xff"}},
		&pbrich.Choice{Kind: &pbrich.Choice_Text{Text: "\xff"}},
		&pbrich.Rich{Tree: &pbrich.Node{Children: []*pbrich.Node{{Name: "\xff"}}}},
		&pbrich.Legacy{},
		&pbrich.Legacy{Id: proto.Int32(1), Child: &pbrich.LegacyChild{}},
	} {
		if _, err := proto.Marshal(m); err == nil {
			t.Fatalf("proto.Marshal(%v) succeeded", m)
		}
		if b, err := m.MarshalGRPC(nil); err == nil {
			t.Fatalf("MarshalGRPC(%v) = %x, want an error", m, b)
		}
	}
}

// TestNilElements encodes nil messages in lists, maps and oneofs as
// protobuf-go does: as empty messages.
func TestNilElements(t *testing.T) {
	for _, m := range []fastMessage{
		&pbrich.Node{Children: []*pbrich.Node{nil, {Name: "x"}}},
		&pbrich.Maps{StrMsg: map[string]*pbrich.Scalars{"a": nil}},
		&pbrich.Node{Payload: &pbrich.Node_Inner{}},
		&pbrich.WellKnown{Times: nil},
	} {
		want, errSlow := proto.MarshalOptions{Deterministic: true}.Marshal(m)
		got, errFast := m.MarshalGRPC(nil)
		if (errSlow == nil) != (errFast == nil) || !bytes.Equal(got, want) {
			t.Fatalf("%v: MarshalGRPC = %x, %v; proto.Marshal = %x, %v", m, got, errFast, want, errSlow)
		}
	}
}
