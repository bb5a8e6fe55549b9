package thrift

// The typed container headers read a header and check it against the
// element types the schema expects. On a mismatch, which happens when a
// field changed type between versions of an IDL, they skip the container
// and report false, so the field is ignored as an unknown one would be.
// An empty container matches any types.

// ReadListOf reads a list header whose elements should be of type elem.
func (r *BinaryReader) ReadListOf(elem Type) (n int, ok bool) {
	t, n := r.ReadListBegin()
	return n, r.matches(t == elem, n, func() { r.skipN(t, n) })
}

// ReadSetOf reads a set header whose elements should be of type elem.
func (r *BinaryReader) ReadSetOf(elem Type) (n int, ok bool) { return r.ReadListOf(elem) }

// ReadMapOf reads a map header whose keys and values should be of types
// key and val.
func (r *BinaryReader) ReadMapOf(key, val Type) (n int, ok bool) {
	k, v, n := r.ReadMapBegin()
	return n, r.matches(k == key && v == val, n, func() { r.skipPairs(k, v, n) })
}

// ReadListOf reads a list header whose elements should be of type elem.
func (r *CompactReader) ReadListOf(elem Type) (n int, ok bool) {
	t, n := r.ReadListBegin()
	return n, r.matches(t == elem, n, func() { r.skipN(t, n) })
}

// ReadSetOf reads a set header whose elements should be of type elem.
func (r *CompactReader) ReadSetOf(elem Type) (n int, ok bool) { return r.ReadListOf(elem) }

// ReadMapOf reads a map header whose keys and values should be of types
// key and val.
func (r *CompactReader) ReadMapOf(key, val Type) (n int, ok bool) {
	k, v, n := r.ReadMapBegin()
	return n, r.matches(k == key && v == val, n, func() { r.skipPairs(k, v, n) })
}

// matches decides whether a container header read as expected, skipping
// the container's contents when its types do not match.
func (r *reader) matches(same bool, n int, skip func()) bool {
	if r.err != nil {
		return false
	}
	if same || n == 0 {
		return true
	}
	skip()
	return false
}

func (r *BinaryReader) skipPairs(k, v Type, n int) {
	if !r.enter() {
		return
	}
	for i := 0; i < n && r.err == nil; i++ {
		r.Skip(k)
		r.Skip(v)
	}
	r.depth--
}

func (r *CompactReader) skipPairs(k, v Type, n int) {
	if !r.enter() {
		return
	}
	for i := 0; i < n && r.err == nil; i++ {
		r.Skip(k)
		r.Skip(v)
	}
	r.depth--
}
