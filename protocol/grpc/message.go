package grpc

import (
	"encoding/binary"
	"math"

	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/status"
)

// MessageHeaderLen is the length of a message's prefix: the compressed
// flag and the 4-byte length (spec §2).
const MessageHeaderLen = 5

// DefaultMaxReceiveMessageSize is the largest message body a MessageReader
// accepts when not told otherwise: 4 MiB, as grpc-go's default (spec §9).
const DefaultMaxReceiveMessageSize = 4 << 20

// AppendMessageHeader appends the 5-byte prefix of a message of n bytes
// (spec §2): the compressed flag (0 or 1) and n as a big-endian uint32. It
// panics if n is negative or does not fit in 32 bits.
func AppendMessageHeader(dst []byte, compressed bool, n int) []byte {
	if n < 0 || uint64(n) > math.MaxUint32 {
		panic("grpc: message length out of range")
	}
	var flag byte
	if compressed {
		flag = 1
	}
	return append(dst, flag, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
}

// AppendMessage appends payload as one length-prefixed message (spec §2):
// the prefix from AppendMessageHeader, then payload. It allocates only if
// dst lacks room.
func AppendMessage(dst []byte, compressed bool, payload []byte) []byte {
	dst = AppendMessageHeader(dst, compressed, len(payload))
	return append(dst, payload...)
}

// MessageReader cuts the length-prefixed messages (spec §2) out of the
// payloads of a stream's DATA frames, whatever their boundaries. Feed it a
// chunk, then call Next until it reports no message; then feed the next
// chunk. Its zero value is ready to use with DefaultMaxReceiveMessageSize.
//
// A message that lies whole inside one chunk is returned as a view of that
// chunk, without copying or allocating. A message split across chunks is
// assembled in a buffer the reader keeps and reuses, which grows with the
// bytes actually received (not with the length the peer announces). Either
// way the returned bytes are valid only until the next call of Next or
// Feed; a caller that keeps them copies them.
//
// Errors are final: once Next has returned one, it returns it again. The
// errors are *status.Error values: ResourceExhausted for a message longer
// than the limit (detected from the prefix, before any of the body is
// buffered), Internal for a compressed flag other than 0 or 1 and, from
// Close, for a stream that ends inside a message.
type MessageReader struct {
	// MaxSize is the largest message body accepted, in bytes; zero means
	// DefaultMaxReceiveMessageSize. Set it before the first Feed.
	MaxSize int

	chunk      []byte // rest of the chunk last fed
	hdr        [MessageHeaderLen]byte
	nhdr       int    // bytes of a split prefix held in hdr
	inBody     bool   // assembling a split body into buf
	need       int    // body length of the message being assembled
	compressed bool   // flag of the message being assembled
	buf        []byte // assembly buffer, reused
	err        error
}

// Feed hands the reader the next chunk of the stream's data. The reader
// keeps a view of p until Next has consumed it, so p must stay unchanged
// until Next returns ok == false. Feeding before the previous chunk is
// consumed is a programming error and panics.
func (r *MessageReader) Feed(p []byte) {
	if len(r.chunk) != 0 {
		panic("grpc: MessageReader.Feed before the previous chunk was consumed")
	}
	r.chunk = p
}

// Next returns the next complete message and whether it was compressed.
// ok is false when the chunks fed so far hold no further complete message:
// feed more. err is set when the stream is malformed (see MessageReader).
func (r *MessageReader) Next() (msg []byte, compressed bool, ok bool, err error) {
	if r.err != nil {
		return nil, false, false, r.err
	}
	if r.inBody {
		return r.body()
	}
	if r.nhdr == 0 && len(r.chunk) >= MessageHeaderLen {
		// Fast path: the prefix is whole in the chunk.
		n, c, err := r.parseHeader(r.chunk[:MessageHeaderLen])
		if err != nil {
			return nil, false, false, err
		}
		rest := r.chunk[MessageHeaderLen:]
		if len(rest) >= n {
			r.chunk = rest[n:]
			return rest[:n:n], c, true, nil
		}
		r.chunk = rest
		r.start(n, c)
		return r.body()
	}
	k := copy(r.hdr[r.nhdr:], r.chunk)
	r.nhdr += k
	r.chunk = r.chunk[k:]
	if r.nhdr < MessageHeaderLen {
		return nil, false, false, nil
	}
	r.nhdr = 0
	n, c, err := r.parseHeader(r.hdr[:])
	if err != nil {
		return nil, false, false, err
	}
	if len(r.chunk) >= n {
		msg := r.chunk[:n:n]
		r.chunk = r.chunk[n:]
		return msg, c, true, nil
	}
	r.start(n, c)
	return r.body()
}

// parseHeader checks a 5-byte prefix against the flag rule and the size
// limit (spec §2) and returns the body length and flag.
func (r *MessageReader) parseHeader(h []byte) (int, bool, error) {
	if h[0] > 1 {
		r.err = status.Errorf(codes.Internal, "grpc: message compressed flag is %d, not 0 or 1", h[0])
		return 0, false, r.err
	}
	n := binary.BigEndian.Uint32(h[1:])
	limit := r.MaxSize
	if limit <= 0 {
		limit = DefaultMaxReceiveMessageSize
	}
	if uint64(n) > uint64(limit) {
		r.err = status.Errorf(codes.ResourceExhausted, "grpc: received message larger than max (%d vs. %d)", n, limit)
		return 0, false, r.err
	}
	return int(n), h[0] == 1, nil
}

// start begins assembling a body of n bytes split across chunks.
func (r *MessageReader) start(n int, compressed bool) {
	r.inBody = true
	r.need = n
	r.compressed = compressed
	r.buf = r.buf[:0]
}

// body moves chunk bytes into the assembly buffer and returns the message
// once it is whole.
func (r *MessageReader) body() ([]byte, bool, bool, error) {
	k := min(r.need-len(r.buf), len(r.chunk))
	r.buf = append(r.buf, r.chunk[:k]...)
	r.chunk = r.chunk[k:]
	if len(r.buf) < r.need {
		return nil, false, false, nil
	}
	r.inBody = false
	return r.buf[:r.need:r.need], r.compressed, true, nil
}

// Buffered returns how many bytes of an incomplete message the reader
// holds, prefix included; zero between messages.
func (r *MessageReader) Buffered() int {
	if r.inBody {
		return MessageHeaderLen + len(r.buf)
	}
	return r.nhdr
}

// Close reports whether the stream ended cleanly, to be called at its end
// (END_STREAM): it returns the reader's error, if any, or an Internal
// error if the data ended inside a message or chunk bytes were left
// unread.
func (r *MessageReader) Close() error {
	if r.err != nil {
		return r.err
	}
	if r.Buffered() != 0 || len(r.chunk) != 0 {
		r.err = status.New(codes.Internal, "grpc: stream ended inside a message")
		return r.err
	}
	return nil
}

// Reset makes the reader ready for a new stream with the same MaxSize,
// keeping its assembly buffer.
func (r *MessageReader) Reset() {
	*r = MessageReader{MaxSize: r.MaxSize, buf: r.buf[:0]}
}
