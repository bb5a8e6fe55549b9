package thriftio

import (
	"encoding/binary"
	"fmt"
	"io"

	"github.com/ospreyrpc/osprey/internal/bufpool"
	"github.com/ospreyrpc/osprey/internal/iobuf"
	"github.com/ospreyrpc/osprey/protocol/thrift"
	"github.com/ospreyrpc/osprey/protocol/ttheader"
)

// Reader reads messages of one encoding and framing from a connection.
type Reader struct {
	Buf     iobuf.Reader
	enc     thrift.Encoding
	framing thrift.Framing
	max     int
	sk      *thrift.Skimmer // allocated for the first unframed message
	// skimming is set while sk is part way through a message.
	skimming bool
	// ReadAhead, if set, is the room Next makes before it reads, so that
	// one read takes in as many messages as have arrived (multiplexed
	// connections); 0 reads into what room the buffer has.
	ReadAhead int
}

// Init sets the connection, encoding, framing and size limit. Bytes
// already in Buf (read while detecting the protocol) are kept.
func (r *Reader) Init(enc thrift.Encoding, framing thrift.Framing, max int) {
	r.enc, r.framing, r.max = enc, framing, max
}

// Next reads the next message. It returns the message (without its frame
// header) and the number of bytes it takes in the buffer, to give to Done
// once the message is no longer needed; msg is valid until then. At a clean
// end of input Next returns io.EOF.
func (r *Reader) Next() (msg []byte, n int, err error) {
	for {
		msg, n, need, err := r.TryNext()
		if err != nil || msg != nil {
			return msg, n, err
		}
		if r.ReadAhead > need {
			// Only the start of one message is buffered here, so making
			// the room moves little.
			r.Buf.Reserve(r.ReadAhead)
		}
		if _, err := r.Buf.Ensure(need); err != nil {
			if len(r.Buf.Buffered()) > 0 {
				err = unexpected(err)
			}
			return nil, 0, err
		}
	}
}

// TryNext returns the next message if the buffer already holds all of it,
// as Next does. Otherwise it returns need, the number of bytes the buffer
// must hold before trying again, with room for them reserved. It reads
// nothing, so it never blocks.
func (r *Reader) TryNext() (msg []byte, n, need int, err error) {
	b := r.Buf.Buffered()
	if r.framing == thrift.Framed {
		if len(b) < 4 {
			return nil, 0, 4, nil
		}
		size := int64(int32(binary.BigEndian.Uint32(b)))
		if size < 0 {
			return nil, 0, 0, fmt.Errorf("%w: negative frame length %d", thrift.ErrInvalidData, size)
		}
		if size > int64(r.max) {
			return nil, 0, 0, fmt.Errorf("%w: frame of %d bytes, limit %d", thrift.ErrTooLarge, size, r.max)
		}
		if len(b) >= 4+int(size) {
			return b[4 : 4+size], 4 + int(size), 0, nil
		}
		need = 4 + int(size)
	} else {
		if !r.skimming {
			if r.sk == nil {
				r.sk = new(thrift.Skimmer)
			}
			r.sk.Reset(r.enc, r.max)
			r.skimming = true
		}
		size, more, err := r.sk.Skim(b)
		if err != nil {
			r.skimming = false
			return nil, 0, 0, err
		}
		if size > 0 {
			r.skimming = false
			return b[:size], size, 0, nil
		}
		need = more
	}
	r.Buf.Reserve(need)
	return nil, 0, need, nil
}

func unexpected(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// Done releases the n bytes of the message Next returned.
func (r *Reader) Done(n int) { r.Buf.Discard(n) }

// Encode builds a whole message, with its frame header when framed, in one
// buffer from bufpool sized exactly. The caller writes *p and then gives p
// back to bufpool.Put. A body that cannot be encoded, one whose Validate
// method (generated structs have one) returns an error, such as a nil
// required struct field, returns that error and no buffer.
func Encode(c *thrift.Codec, framing thrift.Framing, name string, typ thrift.MessageType, seq int32, body thrift.Struct) (*[]byte, error) {
	if err := validate(body); err != nil {
		return nil, err
	}
	size := c.MessageSize(name, seq, body)
	if framing != thrift.Framed {
		p := bufpool.Get(size)
		*p = c.AppendMessage(*p, name, typ, seq, body)
		return p, nil
	}
	p := bufpool.Get(4 + size)
	b := binary.BigEndian.AppendUint32(*p, uint32(size))
	*p = c.AppendMessage(b, name, typ, seq, body)
	return p, nil
}

// EncodeTTHeader builds a whole TTHeader message: h (whose SeqID and
// Protocol the caller set), then, when innerFramed, a framed length, then
// the Thrift message; in one buffer from bufpool sized exactly
// (docs/spec/ttheader.md §2, §6). The caller writes *p and then gives p back
// to bufpool.Put.
func EncodeTTHeader(c *thrift.Codec, h *ttheader.Header, innerFramed bool, name string, typ thrift.MessageType, seq int32, body thrift.Struct) (*[]byte, error) {
	if err := validate(body); err != nil {
		return nil, err
	}
	size := c.MessageSize(name, seq, body)
	payload := size
	if innerFramed {
		payload += 4
	}
	p := bufpool.Get(4 + h.Size() + payload)
	b, err := ttheader.AppendHeader(*p, h, payload)
	if err != nil {
		bufpool.Put(p)
		return nil, err
	}
	if innerFramed {
		b = binary.BigEndian.AppendUint32(b, uint32(size))
	}
	*p = c.AppendMessage(b, name, typ, seq, body)
	return p, nil
}

// validator is implemented by generated structs: Validate reports a value
// that cannot be encoded.
type validator interface{ Validate() error }

// validate returns the error of body's Validate method, if it has one.
func validate(body thrift.Struct) error {
	if v, ok := body.(validator); ok {
		return v.Validate()
	}
	return nil
}
