package ttheader

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
)

// Size returns the encoded size of h from the magic to the end of the
// padding: the bytes AppendHeader writes after the 4-byte length prefix.
func (h *Header) Size() int {
	return fixedSize + padded(h.infoSize())
}

// infoSize is the header's size before padding: protocol ID, transform
// count and the info blocks (spec §3, §4).
func (h *Header) infoSize() int {
	n := 2
	if h.Token != "" {
		n += 1 + 2 + len(h.Token)
	}
	if len(h.Strs) > 0 {
		n += 1 + 2
		for _, p := range h.Strs {
			n += 2 + len(p.Key) + 2 + len(p.Value)
		}
	}
	if len(h.Ints) > 0 {
		n += 1 + 2
		for _, p := range h.Ints {
			n += 2 + 2 + len(p.Value)
		}
	}
	return n
}

// padded rounds n up to a multiple of 4 (spec §4.4).
func padded(n int) int { return (n + 3) &^ 3 }

// AppendHeader appends to dst the 4-byte length prefix (h.Size() +
// payloadLen) and the header h, and returns the extended slice; the caller
// appends the payloadLen bytes of payload after it (spec §2). Blocks are
// written in Kitex's order: ACL token, string pairs, integer pairs, padding
// (spec §4.5). It does not allocate when dst has room for h.Size()+4 more
// bytes.
//
// It returns dst unchanged and an error when h cannot be encoded: a key,
// value or token longer than 65535 bytes, more than 65535 pairs of a kind,
// a header longer than 4 × 65535 bytes, FlagStreaming set, or a negative
// payloadLen or a total length beyond math.MaxInt32.
func AppendHeader(dst []byte, h *Header, payloadLen int) ([]byte, error) {
	if err := h.check(); err != nil {
		return dst, err
	}
	info := h.infoSize()
	hsize := padded(info)
	if hsize > maxWireHeader {
		return dst, fmt.Errorf("ttheader: header of %d bytes exceeds %d", hsize, maxWireHeader)
	}
	total := fixedSize + hsize
	if payloadLen < 0 || payloadLen > math.MaxInt32-total {
		return dst, fmt.Errorf("ttheader: payload length %d out of range", payloadLen)
	}
	dst = slices.Grow(dst, lengthSize+total)
	be := binary.BigEndian
	dst = be.AppendUint32(dst, uint32(total+payloadLen))
	dst = be.AppendUint16(dst, Magic)
	dst = be.AppendUint16(dst, h.Flags)
	dst = be.AppendUint32(dst, uint32(h.SeqID))
	dst = be.AppendUint16(dst, uint16(hsize/4))
	dst = append(dst, byte(h.Protocol), 0) // no transforms
	if h.Token != "" {
		dst = append(dst, infoACLToken)
		dst = appendStr16(dst, h.Token)
	}
	if len(h.Strs) > 0 {
		dst = append(dst, infoStrKV)
		dst = be.AppendUint16(dst, uint16(len(h.Strs)))
		for _, p := range h.Strs {
			dst = appendStr16(dst, p.Key)
			dst = appendStr16(dst, p.Value)
		}
	}
	if len(h.Ints) > 0 {
		dst = append(dst, infoIntKV)
		dst = be.AppendUint16(dst, uint16(len(h.Ints)))
		for _, p := range h.Ints {
			dst = be.AppendUint16(dst, p.Key)
			dst = appendStr16(dst, p.Value)
		}
	}
	for range hsize - info {
		dst = append(dst, infoPadding)
	}
	return dst, nil
}

// check reports what in h cannot be encoded.
func (h *Header) check() error {
	if h.Flags&FlagStreaming != 0 {
		return errors.New("ttheader: FlagStreaming is not supported")
	}
	if len(h.Strs) > maxWireCount || len(h.Ints) > maxWireCount {
		return fmt.Errorf("ttheader: %d string and %d integer pairs; at most %d of each", len(h.Strs), len(h.Ints), maxWireCount)
	}
	if len(h.Token) > maxWireString {
		return fmt.Errorf("ttheader: ACL token of %d bytes exceeds %d", len(h.Token), maxWireString)
	}
	for _, p := range h.Strs {
		if len(p.Key) > maxWireString || len(p.Value) > maxWireString {
			return fmt.Errorf("ttheader: string pair %.32q: key or value longer than %d bytes", p.Key, maxWireString)
		}
	}
	for _, p := range h.Ints {
		if len(p.Value) > maxWireString {
			return fmt.Errorf("ttheader: int pair %d: value longer than %d bytes", p.Key, maxWireString)
		}
	}
	return nil
}

func appendStr16(dst []byte, s string) []byte {
	dst = binary.BigEndian.AppendUint16(dst, uint16(len(s)))
	return append(dst, s...)
}
