package ttheader

// Magic is TTHeader's magic number at bytes 4-5 of a message, right after
// the 4-byte length (spec §2).
const Magic = 0x1000

// FlagStreaming is the flag bit (bytes 6-7) that marks a TTHeader Streaming
// frame. Osprey does not support TTHeader Streaming: Decode rejects a
// message with this bit, and AppendHeader refuses to write it (spec §6).
const FlagStreaming uint16 = 0x0002

// ProtocolID says how the payload after the header is encoded (spec §3.1).
// Decode does not check it: Kitex writes ProtocolBinary even in front of a
// protobuf payload, so a server identifies the payload by its own bytes.
type ProtocolID uint8

// Protocol IDs, numbered as in cloudwego/gopkg v0.2.0.
const (
	// ProtocolBinary is the Thrift binary protocol, the only one Kitex sends
	// for Thrift.
	ProtocolBinary ProtocolID = 0x00
	// ProtocolCompact is the Thrift compact protocol. Osprey reads and
	// writes it; Kitex has no compact codec, and gopkg's decoder rejects
	// this ID.
	ProtocolCompact ProtocolID = 0x02
	// ProtocolCompactV2 is a second compact ID that gopkg accepts "for
	// compatibility". Unsupported by Osprey and Kitex.
	ProtocolCompactV2 ProtocolID = 0x03
	// ProtocolKitexProtobuf is Kitex Protobuf (not gRPC). Unsupported by
	// Osprey.
	ProtocolKitexProtobuf ProtocolID = 0x04
	// ProtocolThriftStruct is used by TTHeader Streaming for a bare Thrift
	// struct. Unsupported by Osprey.
	ProtocolThriftStruct ProtocolID = 0x10
	// ProtocolProtobufStruct is used by TTHeader Streaming for a bare
	// protobuf message. Unsupported by Osprey.
	ProtocolProtobufStruct ProtocolID = 0x11
)

// IntPair is one entry of the integer-keyed info block 0x10 (spec §4.2).
type IntPair struct {
	Key   uint16
	Value string
}

// StrPair is one entry of the string-keyed info block 0x01 (spec §4.1).
type StrPair struct {
	Key, Value string
}

// Header is one message's TTHeader. Decode fills it; AppendHeader writes
// it. Reset and Decode keep the capacity of Ints and Strs, so a Header kept
// per connection decodes without allocating.
//
// Ints and Strs hold the pairs in wire order; a key may repeat, and Int and
// Str return the last value, as Kitex (which decodes into maps) sees it.
type Header struct {
	// Flags are bytes 6-7 (spec §2). Zero for a plain call.
	Flags uint16
	// SeqID is the sequence ID; Kitex writes the Thrift message's seq ID.
	SeqID int32
	// Protocol is the payload's encoding (spec §3.1).
	Protocol ProtocolID
	// Ints are the integer-keyed pairs (info block 0x10, spec §4.2).
	Ints []IntPair
	// Strs are the string-keyed pairs (info block 0x01, spec §4.1).
	Strs []StrPair
	// Token is the ACL token (info block 0x11, spec §4.3), the value Kitex
	// keeps under GDPRTokenKey. "" means none: an empty token is not written.
	Token string
}

// Reset clears h for reuse, keeping the capacity of Ints and Strs.
func (h *Header) Reset() {
	clear(h.Ints)
	clear(h.Strs)
	*h = Header{Ints: h.Ints[:0], Strs: h.Strs[:0]}
}

// Int returns the value of the last integer-keyed pair with key.
func (h *Header) Int(key uint16) (string, bool) {
	for i := len(h.Ints) - 1; i >= 0; i-- {
		if h.Ints[i].Key == key {
			return h.Ints[i].Value, true
		}
	}
	return "", false
}

// Str returns the value of the last string-keyed pair with key. The ACL
// token is in Token, not here.
func (h *Header) Str(key string) (string, bool) {
	for i := len(h.Strs) - 1; i >= 0; i-- {
		if h.Strs[i].Key == key {
			return h.Strs[i].Value, true
		}
	}
	return "", false
}

// AddInt appends an integer-keyed pair. It does not replace an earlier pair
// with the same key.
func (h *Header) AddInt(key uint16, v string) {
	h.Ints = append(h.Ints, IntPair{key, v})
}

// AddStr appends a string-keyed pair. It does not replace an earlier pair
// with the same key.
func (h *Header) AddStr(key, v string) {
	h.Strs = append(h.Strs, StrPair{key, v})
}
