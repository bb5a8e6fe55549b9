package system

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"net"

	"github.com/ospreyrpc/osprey/examples/echo/gen/echo"
	"github.com/ospreyrpc/osprey/protocol/thrift"
)

// The split systems put Osprey on one side of the connection and a
// framework-free peer on the other, to tell how much of a difference to
// raw comes from Osprey's server and how much from its client. Both speak
// framed strict-binary Thrift, so they talk to Osprey; neither allocates
// per call. They are diagnostics: the default matrix does not run them.

// RawClientOsprey is a framework-free Thrift client against Osprey's
// server: each caller owns a connection, writes a request encoded once by
// hand and reads the framed reply without decoding it.
var RawClientOsprey = System{
	Name:        "rawclient-osprey",
	Doc:         "diagnostic: framework-free framed-binary Thrift client, Osprey server",
	Serve:       serveOsprey,
	ServeOsprey: serveOspreyWith,
	NewClient:   func(addr string, _ int) (Client, error) { return &rawThriftClient{rawClient{addr: addr}}, nil },
}

// OspreyRawServer is Osprey's client against a framework-free Thrift
// server that turns each request frame into its reply in place.
var OspreyRawServer = System{
	Name:       "osprey-rawserver",
	Doc:        "diagnostic: Osprey client, framework-free framed-binary Thrift server",
	Serve:      func(ln net.Listener) (func(), error) { return serveRawWith(ln, rawThriftEcho) },
	NewClient:  Osprey.NewClient,
	DialOsprey: Osprey.DialOsprey,
}

// Offsets in a framed strict-binary message: frame length (4), version
// and type (4), name length (4), name, sequence id (4), then the arguments'
// or result's first field header (type 1, id 2).
const (
	rawTypeByte = 7 // low byte of the version word: the message type
	rawNameLen  = 8
)

// EchoCallFrame returns EchoServer.Echo(Request{action: "echo", msg}) as
// a framed strict-binary Thrift call with sequence id 1, the bytes any
// Thrift system here answers.
func EchoCallFrame(msg string) []byte {
	var c thrift.Codec
	c.Init(thrift.Binary)
	b := c.AppendMessage(make([]byte, 4, 64+len(msg)), "Echo", thrift.MessageCall, 1,
		&echo.EchoServerEchoArgs{Req: &echo.Request{Action: "echo", Msg: msg}})
	binary.BigEndian.PutUint32(b, uint32(len(b)-4))
	return b
}

type rawThriftClient struct{ rawClient }

func (c *rawThriftClient) Caller() (Caller, error) {
	conn, err := c.dial()
	if err != nil {
		return nil, err
	}
	r := bufio.NewReader(conn)
	var out, want, in []byte
	var last string
	return func(msg string) error {
		if out == nil || msg != last {
			out, last = EchoCallFrame(msg), msg
			want = append(want[:0], out...)
			if !callToReply(want) {
				return fmt.Errorf("rawclient: cannot make the reply to the %d-byte call", len(out))
			}
		}
		if _, err := conn.Write(out); err != nil {
			return err
		}
		var err error
		if in, err = readFrame(r, in); err != nil {
			return err
		}
		// The reply is the call with type 2 and field 0: same length.
		if len(in) != len(want) || in[rawTypeByte] != 2 {
			return fmt.Errorf("rawclient: bad reply: %d bytes of type %d, want %d bytes of type 2", len(in), in[rawTypeByte], len(want))
		}
		if !bytes.Equal(in, want) {
			return fmt.Errorf("rawclient: bad reply: differs from the echo of the call at byte %d", firstDiff(in, want))
		}
		return nil
	}, nil
}

// callToReply turns the framed Echo call in buf into its reply, in place:
// Request and Response have the same fields, so the reply is the call with
// the message type set to reply and the argument's field id 1 set to the
// result's field id 0. It reports false if buf is too short to be a call.
func callToReply(buf []byte) bool {
	if len(buf) < rawNameLen+4 {
		return false
	}
	field := rawNameLen + 4 + int(binary.BigEndian.Uint32(buf[rawNameLen:])) + 4 + 1
	if field < 0 || field+2 > len(buf) {
		return false
	}
	buf[rawTypeByte] = 2
	buf[field], buf[field+1] = 0, 0
	return true
}

// rawThriftEcho answers Echo calls on c until it closes, each with the
// reply callToReply makes of it.
func rawThriftEcho(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	var buf []byte
	for {
		var err error
		if buf, err = readFrame(r, buf); err != nil || len(buf) < rawNameLen+4 {
			return
		}
		if !callToReply(buf) {
			return
		}
		if _, err := c.Write(buf); err != nil {
			return
		}
	}
}
