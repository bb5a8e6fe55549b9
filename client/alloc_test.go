//go:build !race

package client_test

import (
	"context"
	"encoding/binary"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/ospreyrpc/osprey/circuitbreak"
	"github.com/ospreyrpc/osprey/client"
	"github.com/ospreyrpc/osprey/internal/gen/echo"
	"github.com/ospreyrpc/osprey/loadbalance"
	"github.com/ospreyrpc/osprey/protocol/thrift"
	"github.com/ospreyrpc/osprey/protocol/ttheader"
	"github.com/ospreyrpc/osprey/retry"
)

// cannedServer answers every call to echo with the same reply, with the
// caller's sequence id patched in, allocating nothing: framed binary, or,
// with withHeader, a TTHeader (empty) around the framed reply.
func cannedServer(t testing.TB, reply *echo.Response, withHeader bool) string {
	t.Helper()
	var c thrift.Codec
	c.Init(thrift.Binary)
	res := &echo.EchoEchoResult{Success: reply}
	body := c.AppendMessage(nil, "echo", thrift.MessageReply, 0, res)
	out := append(binary.BigEndian.AppendUint32(nil, uint32(len(body))), body...)
	seqAt := 4 + 4 + 4 + len("echo") // frame length, version, name length, name
	hdrSeqAt := -1
	if withHeader {
		h := ttheader.Header{}
		framed := out
		var err error
		out, err = ttheader.AppendHeader(nil, &h, len(framed))
		if err != nil {
			t.Fatal(err)
		}
		seqAt += len(out)
		out = append(out, framed...)
		hdrSeqAt = 8 // length, magic, flags
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		in := make([]byte, 64<<10)
		for {
			if _, err := io.ReadFull(conn, in[:4]); err != nil {
				return
			}
			n := int(binary.BigEndian.Uint32(in))
			if _, err := io.ReadFull(conn, in[4:4+n]); err != nil {
				return
			}
			if hdrSeqAt >= 0 {
				seq := in[hdrSeqAt : hdrSeqAt+4] // the header's and the message's are equal
				copy(out[hdrSeqAt:hdrSeqAt+4], seq)
				copy(out[seqAt:seqAt+4], seq)
			} else {
				copy(out[seqAt:seqAt+4], in[seqAt:seqAt+4])
			}
			if _, err := conn.Write(out); err != nil {
				return
			}
		}
	}()
	return ln.Addr().String()
}

// TestTypedCallAllocations pins what one typed call costs the client: one
// allocation for the call (its rpcinfo, arguments, result and the decoded
// response) and one for the strings of the reply, with every kind of
// context real callers pass.
func TestTypedCallAllocations(t *testing.T) {
	for _, tr := range []struct {
		name       string
		withHeader bool
		opts       []client.Option
	}{
		{"framed", false, nil},
		{"ttheader", true, []client.Option{client.WithTTHeader()}},
		{"multiplexed", true, []client.Option{client.WithMultiplex(1)}},
		// Retries and a backup request armed, none needed.
		{"governed", false, []client.Option{client.WithBalancer(loadbalance.P2C()), client.WithPolicy(client.Policy{
			Retry:   retry.Policy{MaxAttempts: 3, Idempotent: true, BackupDelay: time.Second},
			Breaker: &circuitbreak.Policy{}})}},
		{"governed-multiplexed", true, []client.Option{client.WithMultiplex(1), client.WithPolicy(client.Policy{Retry: retry.Policy{
			MaxAttempts: 3, Idempotent: true, BackupDelay: time.Second, BackupPercentile: 99}})}},
	} {
		t.Run(tr.name, func(t *testing.T) {
			testCallAllocations(t, tr.withHeader, tr.opts...)
		})
	}
}

func testCallAllocations(t *testing.T, withHeader bool, opts ...client.Option) {
	msg := strings.Repeat("x", 1024)
	addr := cannedServer(t, &echo.Response{Action: "echo", Msg: msg}, withHeader)
	cli, err := echo.NewEchoClient(addr, opts...)
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	req := &echo.Request{Action: "echo", Msg: msg}
	cancelCtx, cancel := context.WithCancel(context.Background())
	defer cancel()
	timeoutCtx, cancel2 := context.WithTimeout(context.Background(), time.Hour)
	defer cancel2()
	for _, c := range []struct {
		name string
		ctx  context.Context
	}{
		{"Background", context.Background()},
		{"WithCancel", cancelCtx},
		{"WithTimeout", timeoutCtx},
	} {
		t.Run(c.name, func(t *testing.T) {
			allocs := testing.AllocsPerRun(1000, func() {
				resp, err := cli.Echo(c.ctx, req)
				if err != nil || resp.Msg != msg {
					t.Fatalf("call: %v", err)
				}
			})
			t.Logf("%v allocations per call", allocs)
			if allocs > 2 {
				t.Errorf("a typed echo call allocates %v times on the client, want at most 2", allocs)
			}
		})
	}
}
