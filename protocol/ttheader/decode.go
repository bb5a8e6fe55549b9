package ttheader

import (
	"encoding/binary"
	"fmt"
	"slices"
	"unsafe"

	"github.com/ospreyrpc/osprey/protocol/thrift"
)

// Wire constants (spec §2, §4).
const (
	// fixedSize is the bytes from the magic to the header size field.
	fixedSize = 10
	// lengthSize is the size of the length prefix before the magic.
	lengthSize = 4

	infoPadding   = 0x00
	infoStrKV     = 0x01
	infoIntKV     = 0x10
	infoACLToken  = 0x11
	maxWireString = 1<<16 - 1
	maxWireCount  = 1<<16 - 1
	maxWireHeader = 4 * (1<<16 - 1)
)

// IsTTHeader reports whether b, the first bytes of a connection or of a
// message including its length prefix, starts a TTHeader message: bytes 4-5
// are Magic (spec §6). It needs at least 6 bytes and is false for fewer.
// Apache THeader, whose magic at the same place is 0x0FFF, is not TTHeader
// and gives false. A TTHeader Streaming frame gives true; see IsStreaming.
func IsTTHeader(b []byte) bool {
	return len(b) >= lengthSize && HasMagic(b[lengthSize:])
}

// HasMagic reports whether msg, a message without its length prefix (as
// Decode takes it), starts with Magic.
func HasMagic(msg []byte) bool {
	return len(msg) >= 2 && binary.BigEndian.Uint16(msg) == Magic
}

// Unframe returns payload without the framed length Kitex's "TTHeader
// framed" puts after the header (spec §5), and whether it had one: a
// 4-byte big-endian length equal to the rest of the payload.
func Unframe(payload []byte) ([]byte, bool) {
	if len(payload) >= 4 && int(binary.BigEndian.Uint32(payload)) == len(payload)-4 {
		return payload[4:], true
	}
	return payload, false
}

// IsStreaming reports whether b, as for IsTTHeader, starts a TTHeader
// Streaming frame: the magic and FlagStreaming in bytes 6-7 (spec §6). It
// needs at least 8 bytes and is false for fewer.
func IsStreaming(b []byte) bool {
	return len(b) >= lengthSize+4 && IsTTHeader(b) &&
		binary.BigEndian.Uint16(b[lengthSize+2:])&FlagStreaming != 0
}

// Decode decodes the TTHeader at the start of msg into h and returns the
// payload, the bytes after the header (spec §2-§5). msg is one whole
// message without its 4-byte length prefix: it starts with the magic.
//
// Decode resets h first, keeping the capacity of its slices. The strings in
// h alias msg (no copies are made) and are valid only while msg is; callers
// clone what they keep. Padding bytes are skipped wherever they appear
// between blocks, as Kitex does.
//
// Errors wrap thrift.ErrInvalidData for a malformed or unsupported header
// (bad magic, the streaming flag, a header past the end of msg, a truncated
// block, an unknown info block, any transform) and thrift.ErrTooLarge when a
// limit in lim is exceeded (spec §8).
func Decode(h *Header, msg []byte, lim Limits) (payload []byte, err error) {
	h.Reset()
	lim = lim.orDefault()
	if len(msg) < fixedSize {
		return nil, invalidf("message of %d bytes is shorter than the %d-byte fixed header", len(msg), fixedSize)
	}
	if m := binary.BigEndian.Uint16(msg); m != Magic {
		return nil, invalidf("bad magic %#04x", m)
	}
	h.Flags = binary.BigEndian.Uint16(msg[2:])
	if h.Flags&FlagStreaming != 0 {
		return nil, invalidf("TTHeader Streaming frame (flags %#04x) is not supported", h.Flags)
	}
	h.SeqID = int32(binary.BigEndian.Uint32(msg[4:]))
	size := int(binary.BigEndian.Uint16(msg[8:])) * 4
	switch {
	case size == 0:
		return nil, invalidf("header size 0")
	case size > lim.MaxHeaderSize:
		return nil, fmt.Errorf("%w: ttheader: header of %d bytes exceeds the limit of %d", thrift.ErrTooLarge, size, lim.MaxHeaderSize)
	case size > len(msg)-fixedSize:
		return nil, invalidf("header of %d bytes runs past the end of the %d-byte message", size, len(msg))
	}
	hdr := msg[fixedSize : fixedSize+size]
	// spec §3
	h.Protocol = ProtocolID(hdr[0])
	if hdr[1] != 0 { // spec §3.2; hdr has at least 4 bytes
		return nil, invalidf("unsupported transform id %d", hdr[2])
	}
	if err := decodeInfo(h, hdr, 2, lim.MaxPairs); err != nil {
		return nil, err
	}
	return msg[fixedSize+size:], nil
}

// decodeInfo reads the info blocks of hdr from offset i (spec §4).
func decodeInfo(h *Header, hdr []byte, i, maxPairs int) error {
	var ok bool
	for i < len(hdr) {
		id := hdr[i]
		i++
		switch id {
		case infoPadding:
		case infoStrKV, infoIntKV:
			if len(hdr)-i < 2 {
				return invalidf("info block %#02x: count past the end of the header", id)
			}
			n := int(binary.BigEndian.Uint16(hdr[i:]))
			i += 2
			// Every pair takes at least 4 bytes, so n is checked
			// against the bytes left before anything is allocated.
			if n > (len(hdr)-i)/4 {
				return invalidf("info block %#02x: %d pairs in %d bytes", id, n, len(hdr)-i)
			}
			if len(h.Ints)+len(h.Strs)+n > maxPairs {
				return fmt.Errorf("%w: ttheader: more than %d key/value pairs", thrift.ErrTooLarge, maxPairs)
			}
			if id == infoStrKV {
				h.Strs = slices.Grow(h.Strs, n)
				for range n {
					var k, v string
					if k, i, ok = str16(hdr, i); !ok {
						return invalidf("string pair: key past the end of the header")
					}
					if v, i, ok = str16(hdr, i); !ok {
						return invalidf("string pair %q: value past the end of the header", k)
					}
					h.Strs = append(h.Strs, StrPair{k, v})
				}
			} else {
				h.Ints = slices.Grow(h.Ints, n)
				for range n {
					if len(hdr)-i < 2 {
						return invalidf("int pair: key past the end of the header")
					}
					k := binary.BigEndian.Uint16(hdr[i:])
					var v string
					if v, i, ok = str16(hdr, i+2); !ok {
						return invalidf("int pair %d: value past the end of the header", k)
					}
					h.Ints = append(h.Ints, IntPair{k, v})
				}
			}
		case infoACLToken:
			if h.Token, i, ok = str16(hdr, i); !ok {
				return invalidf("ACL token past the end of the header")
			}
		default:
			return invalidf("unknown info block id %#02x at header offset %d", id, i-1)
		}
	}
	return nil
}

// str16 reads a string with a 2-byte length at b[i:] and returns it, aliasing
// b, with the offset after it.
func str16(b []byte, i int) (string, int, bool) {
	if len(b)-i < 2 {
		return "", i, false
	}
	n := int(binary.BigEndian.Uint16(b[i:]))
	i += 2
	if len(b)-i < n {
		return "", i, false
	}
	if n == 0 {
		return "", i, true
	}
	return unsafe.String(&b[i], n), i + n, true
}

func invalidf(format string, args ...any) error {
	return fmt.Errorf("%w: ttheader: "+format, append([]any{thrift.ErrInvalidData}, args...)...)
}
