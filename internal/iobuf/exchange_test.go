//go:build unix

package iobuf

import (
	"bytes"
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"syscall"
	"testing"
	"time"
)

// pair returns a connected TCP pair and the client side's RawConn.
func pair(t *testing.T) (client, server net.Conn, rc syscall.RawConn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	done := make(chan net.Conn, 1)
	go func() {
		c, _ := ln.Accept()
		done <- c
	}()
	client, err = net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	server = <-done
	t.Cleanup(func() { client.Close(); server.Close() })
	rc, err = client.(syscall.Conn).SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	return client, server, rc
}

// waitingConn is a RawConn that closes waiting when a Read callback first
// returns false, that is when the caller goes to wait for readability.
type waitingConn struct {
	syscall.RawConn
	waiting chan struct{}
	once    sync.Once
}

func (c *waitingConn) Read(f func(fd uintptr) bool) error {
	return c.RawConn.Read(func(fd uintptr) bool {
		done := f(fd)
		if !done {
			c.once.Do(func() { close(c.waiting) })
		}
		return done
	})
}

func TestExchangeWritesThenReadsTheAnswer(t *testing.T) {
	client, server, rc := pair(t)
	wc := &waitingConn{RawConn: rc, waiting: make(chan struct{})}
	go func() {
		buf := make([]byte, 5)
		io.ReadFull(server, buf)
		<-wc.waiting // the answer comes after Exchange waits
		server.Write([]byte("world"))
	}()
	var b Reader
	b.Reset(client)
	n, err := b.Exchange(wc, []byte("hello"))
	if err != nil || n != 5 {
		t.Fatalf("Exchange = %d, %v", n, err)
	}
	got, err := b.Ensure(5)
	if err != nil || string(got) != "world" {
		t.Fatalf("answer %q, %v", got, err)
	}
}

func TestExchangeStopsAtAFullSocket(t *testing.T) {
	client, server, rc := pair(t)
	client.(*net.TCPConn).SetWriteBuffer(4096)
	big := bytes.Repeat([]byte("x"), 4<<20) // far more than the socket takes at once
	var b Reader
	b.Reset(client)
	n, err := b.Exchange(rc, big)
	if err != nil || n == 0 || n >= len(big) {
		t.Fatalf("Exchange wrote %d of %d, err %v; want a partial write", n, len(big), err)
	}
	// The caller finishes the write the ordinary way.
	go io.Copy(io.Discard, server)
	if _, err := client.Write(big[n:]); err != nil {
		t.Fatal(err)
	}
}

func TestExchangeReportsPeerCloseAndDeadline(t *testing.T) {
	client, server, rc := pair(t)
	go func() {
		buf := make([]byte, 1)
		io.ReadFull(server, buf)
		server.Close()
	}()
	var b Reader
	b.Reset(client)
	if _, err := b.Exchange(rc, []byte("q")); err != io.EOF {
		t.Errorf("peer closed: err = %v, want EOF", err)
	}

	client2, _, rc2 := pair(t)
	client2.SetReadDeadline(time.Now().Add(30 * time.Millisecond))
	b.Reset(client2)
	if _, err := b.Exchange(rc2, []byte("q")); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("no answer: err = %v, want deadline exceeded", err)
	}
}
