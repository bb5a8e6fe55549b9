package pbrich_test

import (
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
)

// FuzzRichDifferential decodes data as each random type (Rich, Legacy)
// with proto.Unmarshal and UnmarshalGRPC: they must agree on failure and
// on the value, and a decoded message must encode with MarshalGRPC to
// protobuf-go's deterministic bytes (see differ). The one tolerated
// difference is nesting past pbrt.MaxDepth, which only UnmarshalGRPC
// refuses. The seeds are random messages of both types and edge cases.
func FuzzRichDifferential(f *testing.F) {
	for i := range 30 {
		for _, typ := range randomTypes {
			m := typ.ProtoReflect().New()
			newFiller(uint64(i)+1e7).fill(m, 3)
			b, err := proto.MarshalOptions{Deterministic: true}.Marshal(m.Interface())
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b)
		}
	}
	f.Add([]byte{})
	f.Add(nest(30))
	f.Add(cat(varintField(1, 7), bytesField(16, bytesField(1, []byte("k")))))
	f.Add(cat(tag(5, protowire.StartGroupType), varintField(1, 3), tag(5, protowire.EndGroupType)))
	f.Add(bytesField(2, cat(bytesField(1, []byte{0x80}), varintField(17, 5))))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, typ := range randomTypes {
			if msg := differ(data, typ); msg != "" {
				t.Fatalf("%T: %s", typ, msg)
			}
		}
	})
}
