package server_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"

	"golang.org/x/net/http2/hpack"
	"google.golang.org/protobuf/proto"

	greetv1 "github.com/ospreyrpc/osprey/internal/gen/pb/greet/v1"
	"github.com/ospreyrpc/osprey/server"
)

// fixedGreeter answers SayHello with the same reply and echoes BidiHello
// with it, allocating nothing itself, so a measurement of the server
// counts the framework's allocations (and the request's decoding).
type fixedGreeter struct {
	greetv1.UnimplementedGreeter
	reply *greetv1.HelloReply
}

func (g fixedGreeter) SayHello(context.Context, *greetv1.HelloRequest) (*greetv1.HelloReply, error) {
	return g.reply, nil
}

func (g fixedGreeter) BidiHello(ctx context.Context, st greetv1.Greeter_BidiHelloServer) error {
	for {
		if _, err := st.Recv(); err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
		if err := st.Send(g.reply); err != nil {
			return err
		}
	}
}

// serveFixedGreeter starts a server with fixedGreeter answering 1 KB
// messages, configured by opts, and returns its address.
func serveFixedGreeter(tb testing.TB, opts ...server.Option) string {
	tb.Helper()
	s, err := server.New(opts...)
	if err != nil {
		tb.Fatal(err)
	}
	reply := &greetv1.HelloReply{Message: strings.Repeat("y", 1024)}
	if err := greetv1.RegisterGreeter(s, fixedGreeter{reply: reply}); err != nil {
		tb.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	go s.Serve(ln)
	tb.Cleanup(func() { s.Stop(context.Background()) })
	return ln.Addr().String()
}

// rawGRPC is an HTTP/2 gRPC client speaking pre-encoded frames, which
// allocates nothing per call: what a measurement counts is the server's.
// It opens a stream per unary call, or one stream for ping-pong messages.
type rawGRPC struct {
	tb      testing.TB
	nc      net.Conn
	br      *bufio.Reader
	id      uint32
	first   []byte // HEADERS and DATA of the first unary call
	unary   []byte // HEADERS and DATA of the later ones; stream ids patched
	open    []byte // HEADERS opening a stream
	msg     []byte // DATA frame of one request message
	wu      []byte // WINDOW_UPDATE frames for the connection and the stream
	unacked int
	got     int // DATA bytes of the last call's response
	hdr     [9]byte
	body    []byte
}

const rawWindow = 1 << 30

// appendFrame appends an HTTP/2 frame (RFC 9113 §4.1).
func appendFrame(dst []byte, typ, flags byte, id uint32, payload []byte) []byte {
	n := len(payload)
	dst = append(dst, byte(n>>16), byte(n>>8), byte(n), typ, flags)
	dst = binary.BigEndian.AppendUint32(dst, id)
	return append(dst, payload...)
}

// dialRaw connects to addr and sends the preface, SETTINGS with a large
// window, and a connection WINDOW_UPDATE; requests call path with msg.
func dialRaw(tb testing.TB, addr, path string, msg proto.Message) *rawGRPC {
	tb.Helper()
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { nc.Close() })
	var hb bytes.Buffer
	enc := hpack.NewEncoder(&hb)
	block := func() []byte {
		hb.Reset()
		for _, f := range [][2]string{
			{":method", "POST"}, {":scheme", "http"}, {":path", path}, {":authority", addr},
			{"content-type", "application/grpc"}, {"te", "trailers"},
			{"user-agent", "grpc-go/1.85.0"}, {"grpc-accept-encoding", "gzip"},
		} {
			enc.WriteField(hpack.HeaderField{Name: f[0], Value: f[1]})
		}
		return bytes.Clone(hb.Bytes())
	}
	// As grpc-go's client: the first request adds its fields to the HPACK
	// dynamic table, and the later ones refer to them.
	first, later := block(), block()
	body, err := proto.Marshal(msg)
	if err != nil {
		tb.Fatal(err)
	}
	data := append([]byte{0}, binary.BigEndian.AppendUint32(nil, uint32(len(body)))...)
	data = append(data, body...)
	c := &rawGRPC{tb: tb, nc: nc, br: bufio.NewReaderSize(nc, 64<<10), body: make([]byte, 64<<10)}
	c.first = appendFrame(nil, 1, 4, 0, first)
	c.first = appendFrame(c.first, 0, 1, 0, data)
	c.unary = appendFrame(nil, 1, 4, 0, later)
	c.unary = appendFrame(c.unary, 0, 1, 0, data)
	c.open = appendFrame(nil, 1, 4, 0, first)
	c.msg = appendFrame(nil, 0, 0, 0, data)
	c.wu = appendFrame(nil, 8, 0, 0, []byte{0, 0, 0, 0})
	c.wu = appendFrame(c.wu, 8, 0, 0, []byte{0, 0, 0, 0})
	start := []byte("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")
	start = appendFrame(start, 4, 0, 0, []byte{0, 4, byte(rawWindow >> 24), 0, 0, 0}) // INITIAL_WINDOW_SIZE
	start = appendFrame(start, 8, 0, 0, binary.BigEndian.AppendUint32(nil, rawWindow-65535))
	if _, err := nc.Write(start); err != nil {
		tb.Fatal(err)
	}
	return c
}

// setIDs writes stream id into each frame of frames.
func setIDs(frames []byte, id uint32) {
	for len(frames) >= 9 {
		n := int(frames[0])<<16 | int(frames[1])<<8 | int(frames[2])
		binary.BigEndian.PutUint32(frames[5:9], id)
		frames = frames[9+n:]
	}
}

// call makes one unary call and reads its response up to the trailers.
func (c *rawGRPC) call() error {
	req := c.unary
	c.id += 2
	if c.id == 2 {
		req, c.id = c.first, 1
	}
	setIDs(req, c.id)
	if _, err := c.nc.Write(req); err != nil {
		return err
	}
	c.got = 0
	for {
		typ, flags, n, err := c.next()
		if err != nil {
			return err
		}
		switch {
		case typ == 1 && flags&1 != 0: // trailers
			return nil
		case typ == 0:
			c.got += n
		}
	}
}

// openStream opens the stream that ping-pong messages go over.
func (c *rawGRPC) openStream() error {
	c.id = 1
	setIDs(c.open, c.id)
	setIDs(c.msg, c.id)
	_, err := c.nc.Write(c.open)
	return err
}

// pingPong sends one message on the open stream and reads one message.
func (c *rawGRPC) pingPong() error {
	if _, err := c.nc.Write(c.msg); err != nil {
		return err
	}
	got, want := 0, -1
	for want < 0 || got < want {
		typ, flags, n, err := c.next()
		if err != nil {
			return err
		}
		switch {
		case typ == 1 && flags&1 != 0:
			return fmt.Errorf("stream ended: %q", c.body[:n])
		case typ != 0:
			continue
		}
		if want < 0 && n >= 5 {
			want = 5 + int(binary.BigEndian.Uint32(c.body[1:5]))
		}
		got += n
	}
	return nil
}

// next reads the next frame into c.body, answering what must be
// answered: SETTINGS, PING, and DATA with WINDOW_UPDATE.
func (c *rawGRPC) next() (typ, flags byte, n int, err error) {
	if _, err := io.ReadFull(c.br, c.hdr[:]); err != nil {
		return 0, 0, 0, err
	}
	n = int(c.hdr[0])<<16 | int(c.hdr[1])<<8 | int(c.hdr[2])
	typ, flags = c.hdr[3], c.hdr[4]
	if n > len(c.body) {
		return 0, 0, 0, fmt.Errorf("frame of %d bytes", n)
	}
	if _, err := io.ReadFull(c.br, c.body[:n]); err != nil {
		return 0, 0, 0, err
	}
	switch typ {
	case 0:
		c.unacked += n
		if c.unacked > 1<<20 {
			binary.BigEndian.PutUint32(c.wu[9:13], uint32(c.unacked))
			binary.BigEndian.PutUint32(c.wu[13+5:13+9], c.id)
			binary.BigEndian.PutUint32(c.wu[13+9:13+13], uint32(c.unacked))
			c.unacked = 0
			if _, err := c.nc.Write(c.wu); err != nil {
				return 0, 0, 0, err
			}
		}
	case 4:
		if flags&1 == 0 {
			if _, err := c.nc.Write([]byte{0, 0, 0, 4, 1, 0, 0, 0, 0}); err != nil {
				return 0, 0, 0, err
			}
		}
	}
	return typ, flags, n, nil
}

// idle drops the client's buffers, so that memory measurements count the
// server's; the client cannot be used after.
func (c *rawGRPC) idle() {
	c.br, c.body, c.first, c.unary, c.open, c.msg = nil, nil, nil, nil, nil, nil
}
