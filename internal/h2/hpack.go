package h2

import (
	"strings"

	"golang.org/x/net/http2/hpack"
)

// encoder is a server connection's HPACK encoder (RFC 7541,
// docs/spec/grpc.md §10.9). It keeps a small dynamic table of its own,
// at most encTableSize bytes and encEntries entries, in a ring searched
// linearly: big enough for the fields a gRPC server repeats on every
// response (content-type, grpc-accept-encoding, grpc-status 0), and far
// cheaper to hold on an idle connection than x/net's encoder, whose
// table keeps two maps. The first header block announces the table's
// size to the peer with a dynamic table size update, so the peer's
// decoder holds no more than the encoder does.
type encoder struct {
	tab    *[encEntries]tabEntry // the ring, oldest at head; nil until an entry is added
	head   int
	n      int    // entries
	size   uint32 // RFC 7541 §4.1: the entries' lengths, 32 more each
	max    uint32 // the table's maximum size: encTableSize, or less if the peer allows less
	lowest uint32 // the smallest max since the last size update (§4.2)
	update bool   // a dynamic table size update is due at the start of the next block
}

// tabEntry is a dynamic table entry.
type tabEntry struct{ name, value string }

const (
	encTableSize = 256 // bytes
	encEntries   = 8
	// encIndexMax is the largest entry indexed: a bigger one would evict
	// most of the table.
	encIndexMax = encTableSize / 2
	// defaultTableSize is SETTINGS_HEADER_TABLE_SIZE until the peer says.
	defaultTableSize = 4096
)

// newEncoder returns an encoder whose first block sets the table size.
func newEncoder() encoder {
	return encoder{max: encTableSize, lowest: encTableSize, update: true}
}

// setLimit applies the peer's SETTINGS_HEADER_TABLE_SIZE.
func (e *encoder) setLimit(limit uint32) {
	m := min(limit, encTableSize)
	if m == e.max {
		return
	}
	e.max, e.lowest, e.update = m, min(e.lowest, m), true
	e.evict(0)
}

// begin starts a header block in dst with a dynamic table size update,
// if one is due (§6.3). If the maximum went below its value since the
// last update, the smallest must be signalled first (§4.2): that is
// done with 0, which empties both tables, because x/net's decoder (the
// one of Osprey's and grpc-go's clients) takes a second update only
// after one that left its table empty.
func (e *encoder) begin(dst []byte) []byte {
	if !e.update {
		return dst
	}
	if e.lowest < e.max {
		dst = appendPrefixed(dst, 5, 0x20, 0)
		e.evict(e.max + 1)
	}
	e.lowest, e.update = e.max, false
	return appendPrefixed(dst, 5, 0x20, uint64(e.max))
}

// appendField appends the encoding of f to dst: indexed if a table holds
// it (§6.1); else a literal, with incremental indexing if it is small
// enough (§6.2.1), never indexed if sensitive (§6.2.3), the name indexed
// if a table holds it.
func (e *encoder) appendField(dst []byte, f hpack.HeaderField) []byte {
	// The dynamic table first: it holds what a server repeats.
	dyn, name := e.search(f)
	if dyn != 0 && !f.Sensitive {
		return appendPrefixed(dst, 7, 0x80, uint64(dyn))
	}
	if i := int(staticNames[f.Name]); i != 0 {
		name = i
		for ; !f.Sensitive && i <= len(staticTable) && staticTable[i-1][0] == f.Name; i++ {
			if staticTable[i-1][1] == f.Value {
				return appendPrefixed(dst, 7, 0x80, uint64(i))
			}
		}
	}
	size := uint32(len(f.Name) + len(f.Value) + 32)
	switch {
	case f.Sensitive:
		dst = appendPrefixed(dst, 4, 0x10, uint64(name))
	case size <= encIndexMax && size <= e.max:
		dst = appendPrefixed(dst, 6, 0x40, uint64(name))
		e.add(f.Name, f.Value, size)
	default:
		dst = appendPrefixed(dst, 4, 0, uint64(name))
	}
	if name == 0 {
		dst = appendString(dst, f.Name)
	}
	return appendString(dst, f.Value)
}

// search returns the index of the newest dynamic entry equal to f and of
// the newest with f's name, 0 if none. Indices start after the static
// table's, the newest entry first (§2.3.3).
func (e *encoder) search(f hpack.HeaderField) (field, name int) {
	for k := e.n - 1; k >= 0; k-- {
		t := &e.tab[(e.head+k)%encEntries]
		if t.name != f.Name {
			continue
		}
		i := len(staticTable) + e.n - k
		if name == 0 {
			name = i
		}
		if t.value == f.Value {
			return i, name
		}
	}
	return 0, name
}

// add adds an entry of the given size, evicting the oldest as needed.
func (e *encoder) add(name, value string, size uint32) {
	if e.tab == nil {
		e.tab = new([encEntries]tabEntry)
	}
	e.evict(size)
	if e.n == encEntries {
		// The table has room in bytes; the peer's keeps the entry this
		// ring drops, at a larger index, and nothing refers to it again.
		e.drop()
	}
	// Copies: the fields' storage is the caller's (their strings may be
	// too), and the table's must not keep it from the stack.
	e.tab[(e.head+e.n)%encEntries] = tabEntry{strings.Clone(name), strings.Clone(value)}
	e.n++
	e.size += size
}

// evict drops the oldest entries until room more bytes fit in max.
func (e *encoder) evict(room uint32) {
	for e.n > 0 && e.size+room > e.max {
		e.drop()
	}
}

// drop drops the oldest entry.
func (e *encoder) drop() {
	t := &e.tab[e.head]
	e.size -= uint32(len(t.name) + len(t.value) + 32)
	*t = tabEntry{}
	e.head = (e.head + 1) % encEntries
	e.n--
}

// appendPrefixed appends v as an HPACK integer with an n-bit prefix in a
// byte whose other bits are flags (RFC 7541 §5.1).
func appendPrefixed(dst []byte, n uint, flags byte, v uint64) []byte {
	i := len(dst)
	dst = appendHpackInt(dst, n, v)
	dst[i] |= flags
	return dst
}

// appendString appends s as an HPACK string literal, Huffman-coded if
// that is shorter (§5.2).
func appendString(dst []byte, s string) []byte {
	if n := hpack.HuffmanEncodeLength(s); n < uint64(len(s)) {
		dst = appendPrefixed(dst, 7, 0x80, n)
		return hpack.AppendHuffmanString(dst, s)
	}
	dst = appendHpackInt(dst, 7, uint64(len(s)))
	return append(dst, s...)
}
