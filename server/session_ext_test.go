package server_test

import (
	"encoding/binary"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/ospreyrpc/osprey/internal/echotest"
	"github.com/ospreyrpc/osprey/internal/gen/echo"
	"github.com/ospreyrpc/osprey/internal/leakcheck"
	"github.com/ospreyrpc/osprey/protocol/thrift"
	"github.com/ospreyrpc/osprey/server"
)

// frame encodes a framed binary call of echo.
func frame(seq int32, action, msg string) []byte {
	var c thrift.Codec
	c.Init(thrift.Binary)
	body := c.AppendMessage(nil, "echo", thrift.MessageCall, seq, &echo.EchoEchoArgs{Req: &echo.Request{Action: action, Msg: msg}})
	return append(binary.BigEndian.AppendUint32(nil, uint32(len(body))), body...)
}

// readReply reads one framed reply and returns its sequence id and the
// echoed message.
func readReply(t *testing.T, c net.Conn, logs ...func() string) (int32, string) {
	t.Helper()
	defer func() {
		if t.Failed() && len(logs) > 0 {
			t.Log(logs[0]())
		}
	}()
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	hdr := make([]byte, 4)
	if _, err := io.ReadFull(c, hdr); err != nil {
		t.Fatal(err)
	}
	body := make([]byte, binary.BigEndian.Uint32(hdr))
	if _, err := io.ReadFull(c, body); err != nil {
		t.Fatal(err)
	}
	var codec thrift.Codec
	codec.Init(thrift.Binary)
	_, _, seq, err := codec.ReadMessageBegin(body)
	if err != nil {
		t.Fatal(err)
	}
	var res echo.EchoEchoResult
	if err := codec.ReadBody(&res); err != nil {
		t.Fatal(err)
	}
	return seq, res.Success.GetMsg()
}

// TestPipelinedRequests sends requests without waiting for replies: all
// in one write, and one arriving while the previous is being handled,
// which is when a wait armed too late would miss it.
func TestPipelinedRequests(t *testing.T) {
	leakcheck.Check(t)
	srv := echotest.Serve(t, "tcp")
	c, err := net.Dial("tcp", srv.Target)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	c.Write(append(append(frame(1, "echo", "a"), frame(2, "echo", "b")...), frame(3, "echo", "c")...))
	for i, want := range []string{"a", "b", "c"} {
		if seq, msg := readReply(t, c); seq != int32(i+1) || msg != want {
			t.Fatalf("reply %d: seq %d msg %q", i+1, seq, msg)
		}
	}

	start := time.Now()
	c.Write(frame(4, "hold", "slow"))
	<-srv.Handler.Held // the server is inside the handler now
	if n := server.BusyConns(srv.Server); n != 1 {
		t.Fatalf("%d busy connections while the handler holds, want 1", n)
	}
	c.Write(frame(5, "echo", "next")) // on loopback, in the server's socket when Write returns
	srv.Handler.Release <- struct{}{}
	if seq, msg := readReply(t, c); seq != 4 || msg != "slow" {
		t.Fatalf("reply 4: seq %d msg %q", seq, msg)
	}
	if seq, msg := readReply(t, c); seq != 5 || msg != "next" {
		t.Fatalf("reply 5: seq %d msg %q", seq, msg)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("pipelined request answered after %v", d)
	}
}

// TestReplyLargerThanTheSocketBuffer makes the server finish a reply
// through the poller, the client reading it only after a pause.
func TestReplyLargerThanTheSocketBuffer(t *testing.T) {
	leakcheck.Check(t)
	srv := echotest.Serve(t, "tcp")
	c, err := net.Dial("tcp", srv.Target)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	// Far more than the socket buffers take while the client pauses.
	const size = 32 << 20
	c.Write(frame(1, "big:33554432", ""))
	waitFor(t, func() bool { return server.PendingReplies(srv.Server) > 0 }) // the reply waits for the socket
	if seq, msg := readReply(t, c); seq != 1 || len(msg) != size || strings.Trim(msg, "x") != "" {
		t.Fatalf("big reply: seq %d, %d bytes", seq, len(msg))
	}
	if server.PendingReplies(srv.Server) == 0 {
		t.Error("the reply never had to wait for the socket")
	}
	c.Write(frame(2, "echo", "after"))
	if seq, msg := readReply(t, c, srv.Logs); seq != 2 || msg != "after" {
		t.Fatalf("reply after the big one: seq %d msg %q\n%s", seq, msg, srv.Logs())
	}
}
