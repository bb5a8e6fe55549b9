package thrift

// Detect tells from the first bytes of a connection which Thrift encoding
// and framing the client speaks (spec §5.3). It returns need > len(prefix)
// when it must see more bytes first, and enc == 0 with need == 0 when the
// bytes are not Thrift in any form it knows.
//
// Framed messages start with a 4-byte length, so Detect looks at what the
// fifth byte is: the start of a strict binary or compact message header, or
// the zero high byte of a non-strict binary name length. Unframed messages
// start with the header itself. An unframed non-strict binary message starts
// with its name's length and then the name, whose first byte is a letter or
// an underscore.
func Detect(prefix []byte) (enc Encoding, fr Framing, need int) {
	if len(prefix) < 2 {
		return 0, 0, 2
	}
	switch {
	case prefix[0] == 0x80:
		if prefix[1] == 0x01 {
			return Binary, Buffered, 0
		}
		return 0, 0, 0
	case prefix[0] == compactProtocolID:
		if prefix[1]&0x1f == compactVersion {
			return Compact, Buffered, 0
		}
		return 0, 0, 0
	}
	if len(prefix) < 6 {
		return 0, 0, 6
	}
	b := prefix[4]
	switch {
	case b == 0x80 && prefix[5] == 0x01:
		return Binary, Framed, 0
	case b == compactProtocolID && prefix[5]&0x1f == compactVersion:
		return Compact, Framed, 0
	case prefix[0] != 0:
		// An unframed non-strict name this long is not plausible.
		return 0, 0, 0
	case b == 0:
		return Binary, Framed, 0
	case b == '_' || (b|0x20 >= 'a' && b|0x20 <= 'z'):
		return Binary, Buffered, 0
	}
	return 0, 0, 0
}
