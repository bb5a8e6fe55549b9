package thrift

import (
	"encoding/binary"
	"math"
)

// The Skimmer's header readers each return the header's size, or 0 and
// either the buffer length they need or an error.

// messageHeader walks the message header at the start of buf.
func (s *Skimmer) messageHeader(buf []byte) (size, need int, err error) {
	if s.enc == Compact {
		// 0x82, version and type, varint seq id, name.
		if len(buf) < 2 {
			return 0, 2, nil
		}
		if buf[0] != compactProtocolID || buf[1]&0x1f != compactVersion {
			return 0, 0, invalidf("bad compact message header %#x %#x", buf[0], buf[1])
		}
		seq, need, err := s.varint(buf, 2, 10)
		if seq == 0 {
			return 0, need, err
		}
		l, hdr, need, err := s.length(buf, 2+seq)
		if hdr == 0 {
			return 0, need, err
		}
		size = 2 + seq + hdr + l
	} else {
		if len(buf) < 4 {
			return 0, 4, nil
		}
		word := int32(binary.BigEndian.Uint32(buf))
		if word < 0 {
			// Strict: version and type, name, seq id.
			if uint32(word)&0xffff0000 != binaryVersion1 {
				return 0, 0, invalidf("bad binary protocol version %#x", uint32(word)&0xffff0000)
			}
			l, hdr, need, err := s.length(buf, 4)
			if hdr == 0 {
				return 0, need, err
			}
			size = 4 + hdr + l + 4
		} else {
			// Non-strict: name, type byte, seq id.
			size = 4 + int(word) + 1 + 4
		}
	}
	if err := s.limit(size); err != nil {
		return 0, 0, err
	}
	if size > len(buf) {
		return 0, size, nil
	}
	return size, 0, nil
}

// fieldHeader walks a field header at s.pos and returns the field's type.
func (s *Skimmer) fieldHeader(buf []byte) (t Type, size, need int, err error) {
	if err := s.limit(s.pos + 1); err != nil {
		return 0, 0, 0, err
	}
	if s.pos >= len(buf) {
		return 0, 0, s.pos + 1, nil
	}
	b := buf[s.pos]
	if b == 0 {
		return TypeStop, 1, 0, nil
	}
	if s.enc == Compact {
		t = fromCompact[b&0x0f]
		if t == 0 {
			return 0, 0, 0, invalidf("unknown compact type code %d", b&0x0f)
		}
		if b>>4 != 0 {
			return t, 1, 0, nil
		}
		n, need, err := s.varint(buf, s.pos+1, 10)
		if n == 0 {
			return 0, 0, need, err
		}
		return t, 1 + n, 0, nil
	}
	t = Type(b)
	if !t.valid() {
		return 0, 0, 0, invalidf("unknown type code %d", b)
	}
	if err := s.limit(s.pos + 3); err != nil {
		return 0, 0, 0, err
	}
	if s.pos+3 > len(buf) {
		return 0, 0, s.pos + 3, nil
	}
	return t, 3, 0, nil
}

// listHeader walks a list or set header at s.pos.
func (s *Skimmer) listHeader(buf []byte) (size, count int, elem Type, need int, err error) {
	if err := s.limit(s.pos + 1); err != nil {
		return 0, 0, 0, 0, err
	}
	if s.pos >= len(buf) {
		return 0, 0, 0, s.pos + 1, nil
	}
	if s.enc == Compact {
		b := buf[s.pos]
		size, count = 1, int(b>>4)
		if count == 15 {
			n, need, err := s.varint(buf, s.pos+1, 10)
			if n == 0 {
				return 0, 0, 0, need, err
			}
			v, _ := binary.Uvarint(buf[s.pos+1:])
			if v > math.MaxInt32 {
				return 0, 0, 0, 0, invalidf("list size %d too large", v)
			}
			size, count = 1+n, int(v)
		}
		elem = fromCompact[b&0x0f]
		if elem == 0 && count > 0 {
			return 0, 0, 0, 0, invalidf("unknown compact list element type code %d", b&0x0f)
		}
		return size, count, elem, 0, nil
	}
	if err := s.limit(s.pos + 5); err != nil {
		return 0, 0, 0, 0, err
	}
	if s.pos+5 > len(buf) {
		return 0, 0, 0, s.pos + 5, nil
	}
	count = int(int32(binary.BigEndian.Uint32(buf[s.pos+1:])))
	if count < 0 {
		return 0, 0, 0, 0, invalidf("negative list size %d", count)
	}
	elem = Type(buf[s.pos])
	if count > 0 && !elem.valid() {
		return 0, 0, 0, 0, invalidf("unknown list element type code %d", elem)
	}
	return 5, count, elem, 0, nil
}

// mapHeader walks a map header at s.pos.
func (s *Skimmer) mapHeader(buf []byte) (size, count int, key, val Type, need int, err error) {
	if s.enc == Compact {
		n, need, err := s.varint(buf, s.pos, 10)
		if n == 0 {
			return 0, 0, 0, 0, need, err
		}
		v, _ := binary.Uvarint(buf[s.pos:])
		if v == 0 {
			return n, 0, 0, 0, 0, nil
		}
		if v > math.MaxInt32 {
			return 0, 0, 0, 0, 0, invalidf("map size %d too large", v)
		}
		if err := s.limit(s.pos + n + 1); err != nil {
			return 0, 0, 0, 0, 0, err
		}
		if s.pos+n+1 > len(buf) {
			return 0, 0, 0, 0, s.pos + n + 1, nil
		}
		kv := buf[s.pos+n]
		key, val = fromCompact[kv>>4], fromCompact[kv&0x0f]
		if key == 0 || val == 0 {
			return 0, 0, 0, 0, 0, invalidf("unknown compact map type codes %#x", kv)
		}
		return n + 1, int(v), key, val, 0, nil
	}
	if err := s.limit(s.pos + 6); err != nil {
		return 0, 0, 0, 0, 0, err
	}
	if s.pos+6 > len(buf) {
		return 0, 0, 0, 0, s.pos + 6, nil
	}
	count = int(int32(binary.BigEndian.Uint32(buf[s.pos+2:])))
	if count < 0 {
		return 0, 0, 0, 0, 0, invalidf("negative map size %d", count)
	}
	key, val = Type(buf[s.pos]), Type(buf[s.pos+1])
	if count > 0 && (!key.valid() || !val.valid()) {
		return 0, 0, 0, 0, 0, invalidf("unknown map type codes %d, %d", key, val)
	}
	return 6, count, key, val, 0, nil
}

// varint measures a varint of at most max bytes at off: its size, or 0 and
// the buffer length needed.
func (s *Skimmer) varint(buf []byte, off, max int) (size, need int, err error) {
	for i := 0; i < max; i++ {
		if err := s.limit(off + i + 1); err != nil {
			return 0, 0, err
		}
		if off+i >= len(buf) {
			return 0, off + i + 1, nil
		}
		if buf[off+i] < 0x80 {
			return i + 1, 0, nil
		}
	}
	return 0, 0, invalidf("varint longer than %d bytes", max)
}

// length measures a string length prefix at off: the length and the
// prefix's size, or 0 and the buffer length needed.
func (s *Skimmer) length(buf []byte, off int) (l, hdr, need int, err error) {
	if s.enc == Compact {
		hdr, need, err = s.varint(buf, off, 10)
		if hdr == 0 {
			return 0, 0, need, err
		}
		v, _ := binary.Uvarint(buf[off:])
		if v > math.MaxInt32 {
			return 0, 0, 0, invalidf("length %d too large", v)
		}
		l = int(v)
	} else {
		if off+4 > len(buf) {
			return 0, 0, off + 4, s.limit(off + 4)
		}
		v := int32(binary.BigEndian.Uint32(buf[off:]))
		if v < 0 {
			return 0, 0, 0, invalidf("negative length %d", v)
		}
		l, hdr = int(v), 4
	}
	return l, hdr, 0, s.limit(off + hdr + l)
}
