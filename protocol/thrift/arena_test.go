package thrift

import (
	"bytes"
	"strings"
	"testing"
)

func TestSmallStringsShareOneAllocation(t *testing.T) {
	var w BinaryWriter
	w.WriteString("alpha")
	w.WriteBinary([]byte("beta"))
	w.WriteString("gamma")
	big := strings.Repeat("z", arenaMax+1)
	w.WriteString(big)
	msg := w.Bytes()
	var r BinaryReader
	allocs := testing.AllocsPerRun(50, func() {
		r.Reset(msg)
		r.ReadString()
		r.ReadBinary()
		r.ReadString()
	})
	if allocs != 1 {
		t.Errorf("three small strings took %v allocations, want 1", allocs)
	}

	r.Reset(msg)
	a, b, g, z := r.ReadString(), r.ReadBinary(), r.ReadString(), r.ReadString()
	if a != "alpha" || string(b) != "beta" || g != "gamma" || z != big || r.Err() != nil {
		t.Fatalf("decoded %q %q %q (%d bytes) %v", a, b, g, len(z), r.Err())
	}
	// Appending to a decoded binary must not overwrite the next value.
	b = append(b, "XXXXX"...)
	if g != "gamma" || cap(b) == len("beta") && !bytes.Equal(b, []byte("betaXXXXX")) {
		t.Errorf("append to a binary clobbered a string: %q", g)
	}
	// Decoded values do not alias the input.
	for i := range msg {
		msg[i] = 0
	}
	if a != "alpha" || g != "gamma" || z != big {
		t.Error("decoded strings alias the input")
	}
}
