package h2

import (
	"slices"
	"testing"
)

// TestStreamSet adds streams past the array into the map, removes some
// from each, and checks lookups, the count and iteration against a map.
func TestStreamSet(t *testing.T) {
	var m streamSet
	want := map[uint32]*Stream{}
	check := func(step string) {
		t.Helper()
		if m.len() != len(want) {
			t.Fatalf("%s: len %d, want %d", step, m.len(), len(want))
		}
		for id := uint32(0); id < 40; id++ {
			if got := m.get(id); got != want[id] {
				t.Fatalf("%s: get(%d) = %p, want %p", step, id, got, want[id])
			}
		}
		var ids []uint32
		for s := range m.all {
			ids = append(ids, s.id)
		}
		slices.Sort(ids)
		var wantIDs []uint32
		for id := range want {
			wantIDs = append(wantIDs, id)
		}
		slices.Sort(wantIDs)
		if !slices.Equal(ids, wantIDs) {
			t.Fatalf("%s: all gives %v, want %v", step, ids, wantIDs)
		}
	}
	for id := uint32(1); id < 20; id += 2 {
		s := &Stream{id: id}
		m.put(s)
		want[id] = s
	}
	check("added 10")
	for _, id := range []uint32{3, 15, 1, 99} {
		m.del(id)
		delete(want, id)
	}
	check("removed 3")
	s := &Stream{id: 21}
	m.put(s) // into the array's free slot
	want[21] = s
	if m.few[0] != s && m.few[1] != s {
		t.Fatal("stream 21 not in a free array slot")
	}
	check("added 21")
	n := 0
	for range m.all {
		n++
		break
	}
	if n != 1 {
		t.Fatalf("all went on after break: %d", n)
	}
}
