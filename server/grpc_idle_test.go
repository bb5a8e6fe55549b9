//go:build !race

package server_test

import (
	"bufio"
	"runtime"
	"strings"
	"testing"
	"time"

	greetv1 "github.com/ospreyrpc/osprey/internal/gen/pb/greet/v1"
)

// inUse returns the heap and goroutine stack bytes in use after a GC.
func inUse() uint64 {
	heap, stack := inUseParts()
	return heap + stack
}

// inUseParts returns the heap and goroutine stack bytes in use after a GC.
func inUseParts() (heap, stack uint64) {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse, m.StackInuse
}

// settle waits until at most want goroutines run (the connections'
// flushers return once they have had nothing to write for a moment), or
// 5 s pass.
func settle(want int) {
	deadline := time.Now().Add(5 * time.Second)
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for runtime.NumGoroutine() > want && time.Now().Before(deadline) {
		<-tick.C
	}
}

// TestGRPCIdleConnMemory pins what an idle gRPC connection holds on the
// server (heap and goroutine stacks, both ends in this process, the
// client's end being a socket and a few hundred bytes): after the HTTP/2
// handshake, and after one unary call with 1 KB messages; the numbers are
// in the log (-v). Measured 7.0 and 8.0 KiB, 2.7 KiB of it stacks (the
// reader waits on a fresh goroutine's 2 KiB stack, docs/spec/grpc.md
// §10.9); the bounds leave about a fifth for noise.
func TestGRPCIdleConnMemory(t *testing.T) {
	const n = 500
	addr := serveFixedGreeter(t)
	req := &greetv1.HelloRequest{Name: strings.Repeat("x", 1024)}
	body := make([]byte, 64<<10) // the clients take turns
	conns := make([]*rawGRPC, n)
	baseG := runtime.NumGoroutine()
	baseHeap, baseStack := inUseParts()
	base := baseHeap + baseStack
	for i := range conns {
		c := dialRaw(t, addr, "/greet.v1.Greeter/SayHello", req)
		c.br, c.body = bufio.NewReaderSize(c.nc, 16), body // read no more than a frame
		if _, _, _, err := c.next(); err != nil {          // the server's SETTINGS
			t.Fatal(err)
		}
		conns[i] = c
	}
	var clientBufs int // the requests the clients hold until their call
	for _, c := range conns {
		clientBufs += cap(c.first) + cap(c.unary) + cap(c.open) + cap(c.msg)
	}
	settle(baseG + n) // a reader per connection
	handshake := (float64(inUse()-base) - float64(clientBufs)) / n
	for _, c := range conns {
		if err := c.call(); err != nil {
			t.Fatal(err)
		}
		c.idle()
	}
	settle(baseG + n)
	heap, stack := inUseParts()
	afterCall := float64(heap+stack-base) / n
	t.Logf("per idle connection: %.1f KiB after the handshake, %.1f KiB after one call (%.1f KiB of it goroutine stacks)",
		handshake/1024, afterCall/1024, float64(stack-baseStack)/n/1024)
	if handshake > 8.5*1024 {
		t.Errorf("an idle connection holds %.1f KiB after the handshake, want at most 8.5", handshake/1024)
	}
	if afterCall > 9.5*1024 {
		t.Errorf("an idle connection holds %.1f KiB after one call, want at most 9.5", afterCall/1024)
	}
	if perConn := float64(stack-baseStack) / n; perConn > 3.5*1024 {
		t.Errorf("an idle connection holds %.1f KiB of goroutine stacks, want at most 3.5 (one goroutine on a 2 KiB stack)", perConn/1024)
	}
}
