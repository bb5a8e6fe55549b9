package system

import (
	"bufio"
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
	Name:      "rawclient-osprey",
	Doc:       "diagnostic: framework-free framed-binary Thrift client, Osprey server",
	Serve:     serveOsprey,
	NewClient: func(addr string, _ int) (Client, error) { return &rawThriftClient{rawClient{addr: addr}}, nil },
}

// OspreyRawServer is Osprey's client against a framework-free Thrift
// server that turns each request frame into its reply in place.
var OspreyRawServer = System{
	Name:      "osprey-rawserver",
	Doc:       "diagnostic: Osprey client, framework-free framed-binary Thrift server",
	Serve:     func(ln net.Listener) (func(), error) { return serveRawWith(ln, rawThriftEcho) },
	NewClient: Osprey.NewClient,
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
	var out, in []byte
	var last string
	return func(msg string) error {
		if out == nil || msg != last {
			out, last = EchoCallFrame(msg), msg
		}
		if _, err := conn.Write(out); err != nil {
			return err
		}
		var err error
		if in, err = readFrame(r, in); err != nil {
			return err
		}
		// The reply is the call with type 2 and field 0: same length.
		if len(in) != len(out) || in[rawTypeByte] != 2 {
			return fmt.Errorf("rawclient: %d-byte reply of type %d, want %d bytes of type 2", len(in), in[rawTypeByte], len(out))
		}
		return nil
	}, nil
}

// rawThriftEcho answers Echo calls on c until it closes: Request and
// Response have the same fields, so the reply is the request frame with
// the message type set to reply and the argument's field id 1 set to the
// result's field id 0.
func rawThriftEcho(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	var buf []byte
	for {
		var err error
		if buf, err = readFrame(r, buf); err != nil || len(buf) < rawNameLen+4 {
			return
		}
		field := rawNameLen + 4 + int(binary.BigEndian.Uint32(buf[rawNameLen:])) + 4 + 1
		if field+2 > len(buf) {
			return
		}
		buf[rawTypeByte] = 2
		buf[field], buf[field+1] = 0, 0
		if _, err := c.Write(buf); err != nil {
			return
		}
	}
}
