package h2

import (
	"strings"
	"sync"

	"golang.org/x/net/http/httpguts"
	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"
)

// headerBlock decodes a request's header block, a HEADERS frame and its
// CONTINUATION frames (docs/spec/grpc.md §10.3), with the checks of x/net's
// MetaHeadersFrame: valid names and values, pseudo-header fields first and
// known, the header list bounded by MaxHeaderListSize. Unlike
// MetaHeadersFrame it allocates nothing per block: fields go into a slice
// from a pool, held only while a block is decoded (an idle connection
// holds none), and a field the HPACK dynamic table holds costs no string.
// The read loop owns it.
type headerBlock struct {
	dec        *hpack.Decoder
	max        uint32               // MaxHeaderListSize
	fields     []hpack.HeaderField  // in *fieldsP while a block is decoded
	fieldsP    *[]hpack.HeaderField // from fieldsPool; nil between blocks
	id         uint32
	endStream  bool
	remain     uint32 // header list budget left
	trlRemain  uint32 // budget of "trailer" fields, counted apart as x/net does
	truncated  bool   // a field went past the budget: the rest is dropped
	sawRegular bool
	invalid    bool // a bad field: the stream is reset
}

// maxKeptFields bounds the capacity of a fields slice put back in the pool.
const maxKeptFields = 64

// fieldsPool holds the fields slices of header blocks being decoded.
var fieldsPool = sync.Pool{New: func() any { return new([]hpack.HeaderField) }}

func newHeaderBlock(max uint32) *headerBlock {
	b := &headerBlock{max: max}
	b.dec = hpack.NewDecoder(defaultTableSize, b.emit)
	b.dec.SetMaxStringLength(int(min(uint64(max), 1<<31-1)))
	return b
}

// start begins the block of a HEADERS frame.
func (b *headerBlock) start(id uint32, endStream bool) {
	if b.fieldsP == nil {
		b.fieldsP = fieldsPool.Get().(*[]hpack.HeaderField)
	}
	b.fields = (*b.fieldsP)[:0]
	b.id, b.endStream = id, endStream
	b.remain, b.trlRemain = b.max, b.max
	b.truncated, b.sawRegular, b.invalid = false, false, false
	b.dec.SetEmitEnabled(true)
}

// release gives the fields slice back to the pool once the block has
// been taken: what it refers to (the block's strings) is not kept.
func (b *headerBlock) release() {
	if b.fieldsP == nil {
		return
	}
	clear(b.fields)
	if cap(b.fields) > maxKeptFields {
		b.fields = nil
	}
	*b.fieldsP = b.fields[:0]
	fieldsPool.Put(b.fieldsP)
	b.fields, b.fieldsP = nil, nil
}

// write decodes a fragment of the block; an error is a connection error.
func (b *headerBlock) write(frag []byte, last bool) error {
	// As x/net: a fragment far beyond the budget, or more of a block
	// after a bad field, is not decoded but ends the connection.
	if int64(len(frag)) > 2*int64(b.remain+b.trlRemain) {
		return connErr(http2.ErrCodeProtocol, "header list too large")
	}
	if b.invalid {
		return connErr(http2.ErrCodeProtocol, "CONTINUATION after an invalid header field")
	}
	if _, err := b.dec.Write(frag); err != nil {
		return connErr(http2.ErrCodeCompression, "HPACK: "+err.Error())
	}
	if last {
		if err := b.dec.Close(); err != nil {
			return connErr(http2.ErrCodeCompression, "HPACK: "+err.Error())
		}
	}
	return nil
}

// emit takes one decoded field.
func (b *headerBlock) emit(f hpack.HeaderField) {
	if !httpguts.ValidHeaderFieldValue(f.Value) {
		b.stop(true)
		return
	}
	if strings.HasPrefix(f.Name, ":") {
		if b.sawRegular {
			b.stop(true)
			return
		}
	} else {
		b.sawRegular = true
		if !validFieldName(f.Name) {
			b.stop(true)
			return
		}
	}
	remain, size := &b.remain, f.Size()
	if f.Name == "trailer" {
		remain = &b.trlRemain
		n := uint32(strings.Count(f.Value, ",") + 1)
		size = uint32(len(f.Value)) - n + 1 + n*hpack.HeaderField{}.Size()
	}
	if size > *remain {
		b.truncated = true
		b.remain, b.trlRemain = 0, 0
		b.dec.SetEmitEnabled(false)
		return
	}
	*remain -= size
	b.fields = append(b.fields, f)
}

// stop disables decoding the rest of the block.
func (b *headerBlock) stop(invalid bool) {
	b.invalid = b.invalid || invalid
	b.dec.SetEmitEnabled(false)
}

// valid reports whether a complete block may open or end a stream: no bad
// field, pseudo-header fields known, not repeated, not mixing request and
// response ones.
func (b *headerBlock) valid() bool {
	if b.invalid {
		return false
	}
	var request, response bool
	for i, f := range b.fields {
		if !strings.HasPrefix(f.Name, ":") {
			break
		}
		switch f.Name {
		case ":method", ":path", ":scheme", ":authority", ":protocol":
			request = true
		case ":status":
			response = true
		default:
			return false
		}
		for _, g := range b.fields[:i] {
			if g.Name == f.Name {
				return false
			}
		}
	}
	return !(request && response)
}

// pseudo returns the value of the pseudo-header field name (":path").
func pseudo(fields []hpack.HeaderField, name string) string {
	for _, f := range fields {
		if !strings.HasPrefix(f.Name, ":") {
			break
		}
		if f.Name == name {
			return f.Value
		}
	}
	return ""
}

// validFieldName reports whether v is a lower-case token (RFC 9113 §8.2.1).
func validFieldName(v string) bool {
	if v == "" {
		return false
	}
	for _, r := range v {
		if !httpguts.IsTokenRune(r) || 'A' <= r && r <= 'Z' {
			return false
		}
	}
	return true
}
