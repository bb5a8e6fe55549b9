package iobuf

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/iotest"
)

func TestEnsureAcrossPiecesAndGrowth(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789"), 2000) // 20000 bytes, beyond DefaultSize
	var b Reader
	b.Reset(iotest.HalfReader(bytes.NewReader(data)))
	got, err := b.Ensure(3)
	if err != nil || !bytes.Equal(got[:3], data[:3]) {
		t.Fatalf("Ensure(3) = %q, %v", got, err)
	}
	b.Discard(3)
	got, err = b.Ensure(15000)
	if err != nil || len(got) < 15000 || !bytes.Equal(got[:15000], data[3:15003]) {
		t.Fatalf("Ensure(15000): len %d err %v", len(got), err)
	}
	b.Discard(15000)
	rest := len(data) - 15003
	got, err = b.Ensure(rest)
	if err != nil || !bytes.Equal(got, data[15003:]) {
		t.Fatalf("Ensure(rest): len %d err %v", len(got), err)
	}
	b.Discard(rest)
	if _, err := b.Ensure(1); err != io.EOF {
		t.Fatalf("at end: err = %v, want EOF", err)
	}
	if !b.Release(false) || b.Buffered() != nil {
		t.Error("Release of an empty reader failed")
	}
}

func TestUnexpectedEOFAndKeepBuffered(t *testing.T) {
	var b Reader
	b.Reset(bytes.NewReader([]byte("abc")))
	if _, err := b.Ensure(5); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("err = %v, want ErrUnexpectedEOF", err)
	}
	if string(b.Buffered()) != "abc" {
		t.Errorf("Buffered = %q", b.Buffered())
	}
	if b.Release(false) {
		t.Error("Release without force dropped buffered bytes")
	}
	if !b.Release(true) {
		t.Error("forced Release failed")
	}
}

func TestCompactsInsteadOfGrowing(t *testing.T) {
	var b Reader
	b.Reset(bytes.NewReader(bytes.Repeat([]byte{1}, 3*DefaultSize)))
	if _, err := b.Ensure(DefaultSize); err != nil {
		t.Fatal(err)
	}
	b.Discard(DefaultSize - 10)
	if _, err := b.Ensure(DefaultSize); err != nil {
		t.Fatal(err)
	}
	if cap(*b.p) != DefaultSize {
		t.Errorf("buffer grew to %d; it should have compacted", cap(*b.p))
	}
}
