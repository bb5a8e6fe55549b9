package pbrt

import (
	"slices"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
)

func TestConsumeTag(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		num  protowire.Number
		typ  protowire.Type
		n    int
	}{
		{"one byte", []byte{0x0a}, 1, protowire.BytesType, 1},
		{"two bytes", protowire.AppendTag(nil, 16, protowire.VarintType), 16, protowire.VarintType, 2},
		{"max number", protowire.AppendTag(nil, protowire.MaxValidNumber, protowire.Fixed32Type), protowire.MaxValidNumber, protowire.Fixed32Type, 5},
		{"empty", nil, 0, 0, -1},
		{"number 0", []byte{0x02}, 0, 0, -1},
		{"number 0, non-minimal", []byte{0x80, 0x00}, 0, 0, -1},
		{"number past max", protowire.AppendVarint(nil, uint64(protowire.MaxValidNumber+1)<<3), 0, 0, -1},
		{"truncated", []byte{0x80}, 0, 0, -1},
	}
	for _, tt := range tests {
		num, typ, n := ConsumeTag(tt.in)
		if n != tt.n || (n > 0 && (num != tt.num || typ != tt.typ)) {
			t.Errorf("%s: ConsumeTag(%x) = %d, %d, %d; want %d, %d, %d", tt.name, tt.in, num, typ, n, tt.num, tt.typ, tt.n)
		}
	}
}

func TestConsumeVarint(t *testing.T) {
	for _, v := range []uint64{0, 1, 127, 128, 1 << 63} {
		b := protowire.AppendVarint(nil, v)
		if got, n := ConsumeVarint(b); got != v || n != len(b) {
			t.Errorf("ConsumeVarint(%x) = %d, %d", b, got, n)
		}
	}
	if _, n := ConsumeVarint([]byte{0xff}); n >= 0 {
		t.Errorf("truncated varint: n = %d", n)
	}
}

func TestCountVarints(t *testing.T) {
	if n := CountVarints([]byte{0x01, 0x80, 0x01, 0xff}); n != 2 {
		t.Errorf("CountVarints = %d, want 2", n)
	}
}

func TestSortedKeys(t *testing.T) {
	var buf [2]string
	got := SortedKeys(map[string]int{"b": 1, "a": 2, "c": 3}, buf[:0])
	if !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Errorf("SortedKeys = %v", got)
	}
}
