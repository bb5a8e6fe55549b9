package pbrt

import (
	"cmp"
	"errors"
	"slices"
	"unsafe"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
)

// MaxDepth is how deeply generated decoders nest messages: a message at
// depth 0 (the one UnmarshalGRPC is called on) may contain messages down
// to depth MaxDepth; deeper input fails with ErrDepth. protobuf-go allows
// 10,000 levels; 100 bounds the decoder's stack well below that while
// leaving room for any schema written by hand. A field decoded by
// protobuf-go (see MergeMessage) is bounded by protobuf-go's own limit.
const MaxDepth = 100

var (
	// ErrMalformed is returned for input that is not valid protobuf wire
	// format: truncated, a bad tag, field number or wire type, a length
	// past the end of the input, a varint longer than 10 bytes.
	ErrMalformed = errors.New("protobuf: cannot parse invalid wire-format data")
	// ErrInvalidUTF8 is returned when a proto3 string field holds invalid
	// UTF-8, on decoding and on encoding, as protobuf-go does.
	ErrInvalidUTF8 = errors.New("protobuf: string field contains invalid UTF-8")
	// ErrDepth is returned for messages nested deeper than MaxDepth.
	ErrDepth = errors.New("protobuf: exceeded maximum recursion depth")
	// ErrSizeChanged is returned when a message's encoding did not have
	// the size computed just before: it was modified while being encoded.
	ErrSizeChanged = errors.New("protobuf: message changed while being marshaled")
)

// ConsumeTag parses a field tag: its number, wire type and length, or a
// negative length when b does not start with a valid tag (the field
// number must be in 1..protowire.MaxValidNumber, as protobuf-go requires).
func ConsumeTag(b []byte) (protowire.Number, protowire.Type, int) {
	if len(b) > 0 && b[0] < 0x80 && b[0] >= 8 {
		return protowire.Number(b[0] >> 3), protowire.Type(b[0] & 7), 1
	}
	return consumeTagSlow(b)
}

func consumeTagSlow(b []byte) (protowire.Number, protowire.Type, int) {
	num, typ, n := protowire.ConsumeTag(b)
	if n < 0 || num > protowire.MaxValidNumber {
		return 0, 0, -1
	}
	return num, typ, n
}

// ConsumeVarint parses a varint: its value and length, or a negative
// length when b does not start with one.
func ConsumeVarint(b []byte) (uint64, int) {
	if len(b) > 0 && b[0] < 0x80 {
		return uint64(b[0]), 1
	}
	return protowire.ConsumeVarint(b)
}

// CountVarints returns how many varints a packed field's payload b holds
// at most: the bytes that end one. A decoder grows its slice by this much,
// never by more than the input justifies.
func CountVarints(b []byte) int {
	n := 0
	for _, c := range b {
		if c < 0x80 {
			n++
		}
	}
	return n
}

// SortedKeys appends the keys of m to buf and sorts them, for maps encoded
// in a deterministic order as protobuf-go's Deterministic option does. A
// caller passes a small array's slice to avoid allocating for small maps.
func SortedKeys[K cmp.Ordered, V any](m map[K]V, buf []K) []K {
	for k := range m {
		buf = append(buf, k)
	}
	slices.Sort(buf)
	return buf
}

// AppendMessage appends m's length and encoding to b through protobuf-go,
// deterministically: for fields whose message type has no fast path.
// Required fields are not checked here (the message being encoded checks
// its whole tree once).
func AppendMessage(b []byte, m proto.Message) ([]byte, error) {
	n := proto.Size(m)
	b = protowire.AppendVarint(b, uint64(n))
	start := len(b)
	b, err := proto.MarshalOptions{Deterministic: true, AllowPartial: true, UseCachedSize: true}.MarshalAppend(b, m)
	if err != nil {
		return b, err
	}
	if len(b)-start != n {
		return b, ErrSizeChanged
	}
	return b, nil
}

// MergeMessage decodes b into m through protobuf-go, merging with what m
// holds (a field that appears twice is merged, as protobuf requires): for
// fields whose message type has no fast path. Required fields are not
// checked here; the message UnmarshalGRPC was called on checks its tree.
func MergeMessage(b []byte, m proto.Message) error {
	return proto.UnmarshalOptions{Merge: true, AllowPartial: true}.Unmarshal(b, m)
}

// ArenaMax is the largest message whose strings Substring makes share one
// copy of the message: a larger one copies each string by itself, so that
// keeping one small string does not keep a large message alive.
const ArenaMax = 4 << 10

// Substring returns s, which lies inside msg (the encoding of the message
// being decoded), as a string. For a message of at most ArenaMax bytes,
// the first call copies msg into *arena and every string of the message is
// a part of that copy: one allocation for all of them, at the cost that
// keeping any keeps the copy alive (at most ArenaMax bytes). Larger
// messages copy s alone.
func Substring(arena *string, msg, s []byte) string {
	if len(s) == 0 {
		return ""
	}
	if len(msg) > ArenaMax {
		return string(s)
	}
	if *arena == "" {
		*arena = string(msg)
	}
	off := uintptr(unsafe.Pointer(unsafe.SliceData(s))) - uintptr(unsafe.Pointer(unsafe.SliceData(msg)))
	return (*arena)[off : off+uintptr(len(s))]
}
