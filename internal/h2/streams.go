package h2

// streamSet is a connection's open streams by id: the first few in an
// array, searched linearly, the rest in a map made only when that many
// are open at once. A connection that serves one call at a time holds no
// map (docs/spec/grpc.md §10.9); one that has served more at once keeps
// its map, so that crossing the bound again allocates nothing.
type streamSet struct {
	few  [4]*Stream
	more map[uint32]*Stream
	n    int
}

// get returns the stream with id, nil if none.
func (m *streamSet) get(id uint32) *Stream {
	for _, s := range m.few {
		if s != nil && s.id == id {
			return s
		}
	}
	return m.more[id]
}

// put adds s, whose id is not in the set.
func (m *streamSet) put(s *Stream) {
	m.n++
	for i, t := range m.few {
		if t == nil {
			m.few[i] = s
			return
		}
	}
	if m.more == nil {
		m.more = map[uint32]*Stream{}
	}
	m.more[s.id] = s
}

// del removes the stream with id, if there is one.
func (m *streamSet) del(id uint32) {
	for i, s := range m.few {
		if s != nil && s.id == id {
			m.few[i] = nil
			m.n--
			return
		}
	}
	if _, ok := m.more[id]; ok {
		delete(m.more, id)
		m.n--
	}
}

// len returns the number of streams.
func (m *streamSet) len() int { return m.n }

// all calls f for each stream, in no particular order, until f returns
// false.
func (m *streamSet) all(f func(*Stream) bool) {
	for _, s := range m.few {
		if s != nil && !f(s) {
			return
		}
	}
	for _, s := range m.more {
		if !f(s) {
			return
		}
	}
}
