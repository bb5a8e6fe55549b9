package thrift

import "fmt"

// Codec encodes and decodes whole messages, header and body, in one
// encoding. It holds a writer and a reader of that encoding so that
// encoding and decoding allocate nothing of their own; keep one per
// connection. The zero value is not usable: call Init.
type Codec struct {
	enc Encoding
	bw  *BinaryWriter
	br  *BinaryReader
	cw  *CompactWriter
	cr  *CompactReader
}

// Init sets the codec's encoding, Binary or Compact, and allocates the
// writer and reader for it.
func (c *Codec) Init(enc Encoding) {
	*c = Codec{enc: enc}
	switch enc {
	case Binary:
		c.bw, c.br = new(BinaryWriter), new(BinaryReader)
	case Compact:
		c.cw, c.cr = new(CompactWriter), new(CompactReader)
	default:
		panic(fmt.Sprintf("thrift: Codec.Init with invalid encoding %d", enc))
	}
}

// Encoding returns the codec's encoding.
func (c *Codec) Encoding() Encoding { return c.enc }

// SetNoCopy sets whether decoded strings and binaries share memory with the
// message instead of being copied; see BinaryReader.SetNoCopy.
func (c *Codec) SetNoCopy(on bool) {
	if c.enc == Compact {
		c.cr.SetNoCopy(on)
	} else {
		c.br.SetNoCopy(on)
	}
}

// MessageSize returns the exact size of a message with this header and
// body.
func (c *Codec) MessageSize(name string, seq int32, body Struct) int {
	if c.enc == Compact {
		return CompactMessageBeginSize(name, seq) + body.CompactSize()
	}
	return BinaryMessageBeginSize(name) + body.BinarySize()
}

// AppendMessage appends a message to buf and returns the extended buffer.
// Size buf with MessageSize to keep it to one allocation.
func (c *Codec) AppendMessage(buf []byte, name string, typ MessageType, seq int32, body Struct) []byte {
	if c.enc == Compact {
		c.cw.Reset(buf)
		c.cw.WriteMessageBegin(name, typ, seq)
		body.EncodeCompact(c.cw)
		buf = c.cw.Bytes()
		c.cw.Reset(nil)
		return buf
	}
	c.bw.Reset(buf)
	c.bw.WriteMessageBegin(name, typ, seq)
	body.EncodeBinary(c.bw)
	buf = c.bw.Bytes()
	c.bw.Reset(nil)
	return buf
}

// ReadMessageBegin starts reading the message msg and returns its header.
// name shares memory with msg. Read the body with ReadBody.
func (c *Codec) ReadMessageBegin(msg []byte) (name []byte, typ MessageType, seq int32, err error) {
	if c.enc == Compact {
		c.cr.Reset(msg)
		name, typ, seq = c.cr.ReadMessageBegin()
		err = c.cr.Err()
	} else {
		c.br.Reset(msg)
		name, typ, seq = c.br.ReadMessageBegin()
		err = c.br.Err()
	}
	if err == nil && (typ < MessageCall || typ > MessageOneway) {
		err = invalidf("unknown message type %d", typ)
	}
	return name, typ, seq, err
}

// ReadBody decodes the body of the message ReadMessageBegin started into
// body. Bytes after the body are ignored, as Apache Thrift does.
func (c *Codec) ReadBody(body Struct) error {
	var err error
	if c.enc == Compact {
		err = body.DecodeCompact(c.cr)
		c.cr.Reset(nil)
	} else {
		err = body.DecodeBinary(c.br)
		c.br.Reset(nil)
	}
	return err
}
