//go:build !race

package client_test

import (
	"bufio"
	"context"
	"encoding/binary"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/ospreyrpc/osprey/service"
)

// cannedH2Server answers every gRPC request with the same response,
// allocating nothing: HEADERS, one DATA message (reply), and trailers
// with grpc-status 0. Its first response adds content-type and
// grpc-status to the HPACK dynamic table, as Osprey's and grpc-go's
// servers do; later ones refer to them.
func cannedH2Server(t testing.TB, reply []byte) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	frame := func(dst []byte, typ, flags byte, payload []byte) []byte {
		dst = append(dst, byte(len(payload)>>16), byte(len(payload)>>8), byte(len(payload)), typ, flags, 0, 0, 0, 0)
		return append(dst, payload...)
	}
	msg := append([]byte{0}, binary.BigEndian.AppendUint32(nil, uint32(len(reply)))...)
	msg = append(msg, reply...)
	build := func(hdr, trl []byte) ([]byte, []int) {
		var out []byte
		var ids []int
		for _, f := range []struct {
			typ, flags byte
			p          []byte
		}{{1, 4, hdr}, {0, 0, msg}, {1, 5, trl}} {
			ids = append(ids, len(out)+5)
			out = frame(out, f.typ, f.flags, f.p)
		}
		return out, ids
	}
	first, firstIDs := build(
		append([]byte{0x88, 0x5f, 16}, "application/grpc"...),
		append(append([]byte{0x40, 11}, "grpc-status"...), 1, '0'))
	later, laterIDs := build([]byte{0x88, 0xbf}, []byte{0xbe})
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		var start []byte
		start = frame(start, 4, 0, nil)                                       // SETTINGS
		start = frame(start, 8, 0, binary.BigEndian.AppendUint32(nil, 1<<30)) // connection window
		conn.Write(start)
		br := bufio.NewReaderSize(conn, 64<<10)
		if _, err := br.Discard(24); err != nil { // preface
			return
		}
		var hdr [9]byte
		sent := false
		for {
			if _, err := io.ReadFull(br, hdr[:]); err != nil {
				return
			}
			n := int(hdr[0])<<16 | int(hdr[1])<<8 | int(hdr[2])
			if _, err := br.Discard(n); err != nil {
				return
			}
			if hdr[3] != 0 || hdr[4]&1 == 0 { // only DATA with END_STREAM ends a request
				continue
			}
			out, ids := later, laterIDs
			if !sent {
				out, ids, sent = first, firstIDs, true
			}
			for _, at := range ids {
				copy(out[at:at+4], hdr[5:9])
			}
			if _, err := conn.Write(out); err != nil {
				return
			}
		}
	}()
	return ln.Addr().String()
}

// TestGRPCUnaryAllocations pins what one unary gRPC call with a 1 KB
// message costs the client, with every kind of context real callers pass:
// one allocation for the call (its rpcinfo) and one for the string of the
// response message.
func TestGRPCUnaryAllocations(t *testing.T) {
	msg := strings.Repeat("x", 1024)
	reply, _ := proto.Marshal(wrapperspb.String(msg))
	c := dialGreeter(t, cannedH2Server(t, reply))
	m := method(c, "Echo")
	req := wrapperspb.String(msg)
	cancelCtx, cancel := context.WithCancel(context.Background())
	defer cancel()
	timeoutCtx, cancel2 := context.WithTimeout(context.Background(), time.Hour)
	defer cancel2()
	for _, tc := range []struct {
		name string
		ctx  context.Context
	}{
		{"Background", context.Background()},
		{"WithCancel", cancelCtx},
		{"WithTimeout", timeoutCtx},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var res wrapperspb.StringValue
			allocs := testing.AllocsPerRun(1000, func() {
				if err := c.Call(tc.ctx, m, service.Call{Args: req, Result: &res}); err != nil || res.Value != msg {
					t.Fatalf("call: %v", err)
				}
			})
			t.Logf("%v allocations per call (the response's string included)", allocs)
			if allocs > 2 {
				t.Errorf("a unary gRPC call allocates %v times on the client, want at most 2 (the call, the response's string)", allocs)
			}
		})
	}
}

// BenchmarkGRPCUnaryClient measures the client alone: unary calls with a
// 1 KB message against the canned server.
func BenchmarkGRPCUnaryClient(b *testing.B) {
	msg := strings.Repeat("x", 1024)
	reply, _ := proto.Marshal(wrapperspb.String(msg))
	c := dialGreeterB(b, cannedH2Server(b, reply))
	m := method(c, "Echo")
	req := wrapperspb.String(msg)
	var res wrapperspb.StringValue
	b.ReportAllocs()
	for b.Loop() {
		if err := c.Call(context.Background(), m, service.Call{Args: req, Result: &res}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGRPCUnaryClientParallel is BenchmarkGRPCUnaryClient with 100
// calls in flight per CPU over one connection.
func BenchmarkGRPCUnaryClientParallel(b *testing.B) {
	msg := strings.Repeat("x", 1024)
	reply, _ := proto.Marshal(wrapperspb.String(msg))
	c := dialGreeterB(b, cannedH2Server(b, reply))
	m := method(c, "Echo")
	if err := c.Call(context.Background(), m, service.Call{Args: wrapperspb.String("w"), Result: new(wrapperspb.StringValue)}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetParallelism(50)
	b.RunParallel(func(pb *testing.PB) {
		req := wrapperspb.String(msg)
		var res wrapperspb.StringValue
		for pb.Next() {
			if err := c.Call(context.Background(), m, service.Call{Args: req, Result: &res}); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
