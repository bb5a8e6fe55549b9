package h2

import (
	"encoding/binary"

	"golang.org/x/net/http2"
)

// The connections encode the frames they send themselves, appending
// them to their pending output (RFC 9113 §4.1, §6): a Framer would hold
// a buffer and state of its own for the life of each connection.

// appendFrameHeader appends the 9-byte header of a frame whose payload
// of n bytes follows.
func appendFrameHeader(dst []byte, typ http2.FrameType, flags http2.Flags, id uint32, n int) []byte {
	return append(dst, byte(n>>16), byte(n>>8), byte(n), byte(typ), byte(flags),
		byte(id>>24), byte(id>>16), byte(id>>8), byte(id))
}

// appendData appends a DATA frame (§6.1).
func appendData(dst []byte, id uint32, end bool, p []byte) []byte {
	var flags http2.Flags
	if end {
		flags = http2.FlagDataEndStream
	}
	return append(appendFrameHeader(dst, http2.FrameData, flags, id, len(p)), p...)
}

// appendHeaderBlock appends the header block of stream id as a HEADERS
// frame and, past max bytes a frame, CONTINUATION frames (§4.3, §6.2,
// §6.10), the last with END_HEADERS.
func appendHeaderBlock(dst []byte, id uint32, block []byte, max int, end bool) []byte {
	typ, flags := http2.FrameHeaders, http2.Flags(0)
	if end {
		flags = http2.FlagHeadersEndStream
	}
	for {
		frag := block[:min(len(block), max)]
		block = block[len(frag):]
		if len(block) == 0 {
			flags |= http2.FlagHeadersEndHeaders
		}
		dst = append(appendFrameHeader(dst, typ, flags, id, len(frag)), frag...)
		if len(block) == 0 {
			return dst
		}
		typ, flags = http2.FrameContinuation, 0
	}
}

// appendSettings appends a SETTINGS frame (§6.5).
func appendSettings(dst []byte, settings ...http2.Setting) []byte {
	dst = appendFrameHeader(dst, http2.FrameSettings, 0, 0, 6*len(settings))
	for _, s := range settings {
		dst = binary.BigEndian.AppendUint16(dst, uint16(s.ID))
		dst = binary.BigEndian.AppendUint32(dst, s.Val)
	}
	return dst
}

// appendSettingsAck appends a SETTINGS frame acknowledging the peer's.
func appendSettingsAck(dst []byte) []byte {
	return appendFrameHeader(dst, http2.FrameSettings, http2.FlagSettingsAck, 0, 0)
}

// appendWindowUpdate appends a WINDOW_UPDATE frame (§6.9); inc is
// between 1 and 2^31-1.
func appendWindowUpdate(dst []byte, id, inc uint32) []byte {
	return binary.BigEndian.AppendUint32(appendFrameHeader(dst, http2.FrameWindowUpdate, 0, id, 4), inc)
}

// appendPing appends a PING frame (§6.7).
func appendPing(dst []byte, ack bool, data [8]byte) []byte {
	var flags http2.Flags
	if ack {
		flags = http2.FlagPingAck
	}
	return append(appendFrameHeader(dst, http2.FramePing, flags, 0, 8), data[:]...)
}

// appendRSTStream appends a RST_STREAM frame (§6.4).
func appendRSTStream(dst []byte, id uint32, code http2.ErrCode) []byte {
	return binary.BigEndian.AppendUint32(appendFrameHeader(dst, http2.FrameRSTStream, 0, id, 4), uint32(code))
}

// appendGoAway appends a GOAWAY frame (§6.8).
func appendGoAway(dst []byte, last uint32, code http2.ErrCode, debug []byte) []byte {
	dst = appendFrameHeader(dst, http2.FrameGoAway, 0, 0, 8+len(debug))
	dst = binary.BigEndian.AppendUint32(dst, last&(1<<31-1))
	dst = binary.BigEndian.AppendUint32(dst, uint32(code))
	return append(dst, debug...)
}
