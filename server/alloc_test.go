//go:build !race

package server_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"io"
	"net"
	"strings"
	"testing"

	"github.com/ospreyrpc/osprey/internal/gen/echo"
	"github.com/ospreyrpc/osprey/limit"
	"github.com/ospreyrpc/osprey/protocol/thrift"
	"github.com/ospreyrpc/osprey/protocol/ttheader"
	"github.com/ospreyrpc/osprey/server"
)

// fixedEcho answers every call with the same response, allocating nothing,
// so a measurement counts only the framework's allocations.
type fixedEcho struct{ resp *echo.Response }

func (h fixedEcho) Echo(context.Context, *echo.Request) (*echo.Response, error) { return h.resp, nil }
func (fixedEcho) Notify(context.Context, string) error                          { return nil }

// TestServerCallAllocations pins what serving one typed call costs the
// server: one allocation for the call (its rpcinfo, arguments with the
// decoded request, and result) and one for the strings of the request,
// over plain framed Thrift and over TTHeader with the caller's deadline,
// names and method as Osprey's client sends them. The handler's own
// allocations are its business; this one makes none.
//
// Limits that do not trip (server-wide and per method, QPS, in flight and
// adaptive) add nothing.
func TestServerCallAllocations(t *testing.T) {
	t.Run("no limits", func(t *testing.T) { measureThriftCall(t) })
	t.Run("limits", func(t *testing.T) { measureThriftCall(t, limitsNotTripping("Echo", "echo")...) })
}

// limitsNotTripping are limits of every kind, on the server and on one
// method, that a test's calls never reach.
func limitsNotTripping(service, method string) []server.Option {
	p := limit.Policy{QPS: 1e9, Burst: 1 << 20, MaxInFlight: 1000, Adaptive: &limit.AdaptivePolicy{}}
	return []server.Option{
		server.WithLimits(p),
		server.WithMethodLimits(service, method, limit.Policy{QPS: 1e9, MaxInFlight: 100}),
	}
}

func measureThriftCall(t *testing.T, opts ...server.Option) {
	msg := strings.Repeat("x", 1024)
	s, err := server.New(opts...)
	if err != nil {
		t.Fatal(err)
	}
	if err := echo.RegisterEcho(s, fixedEcho{&echo.Response{Action: "echo", Msg: msg}}); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go s.Serve(ln)
	defer s.Stop(context.Background())

	var c thrift.Codec
	c.Init(thrift.Binary)
	body := c.AppendMessage(nil, "echo", thrift.MessageCall, 1, &echo.EchoEchoArgs{Req: &echo.Request{Action: "echo", Msg: msg}})
	framed := append(binary.BigEndian.AppendUint32(nil, uint32(len(body))), body...)
	h := ttheader.Header{SeqID: 1}
	h.AddInt(ttheader.KeyFromService, "caller")
	h.AddInt(ttheader.KeyToMethod, "echo")
	h.AddInt(ttheader.KeyRPCTimeout, "60000")
	h.AddStr(ttheader.KeyIDLServiceName, "Echo")
	withHeader, err := ttheader.AppendHeader(nil, &h, len(framed))
	if err != nil {
		t.Fatal(err)
	}
	withHeader = append(withHeader, framed...)

	for _, tc := range []struct {
		name string
		req  []byte
	}{{"framed", framed}, {"ttheader with deadline", withHeader}} {
		t.Run(tc.name, func(t *testing.T) {
			conn, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			in := make([]byte, 64<<10)
			want := []byte(msg)
			allocs := testing.AllocsPerRun(1000, func() {
				if _, err := conn.Write(tc.req); err != nil {
					t.Fatal(err)
				}
				if _, err := io.ReadFull(conn, in[:4]); err != nil {
					t.Fatal(err)
				}
				n := int(binary.BigEndian.Uint32(in))
				if _, err := io.ReadFull(conn, in[4:4+n]); err != nil {
					t.Fatal(err)
				}
				if !bytes.Contains(in[4:4+n], want) {
					t.Fatalf("reply does not carry the message")
				}
			})
			t.Logf("%v allocations per call", allocs)
			if allocs > 2 {
				t.Errorf("serving a typed echo call allocates %v times, want at most 2", allocs)
			}
		})
	}
}
