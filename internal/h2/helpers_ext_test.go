package h2_test

import (
	"bytes"
	"io"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"

	"github.com/ospreyrpc/osprey/internal/h2"
)

// tcpPair returns the two ends of a loopback TCP connection.
func tcpPair(t *testing.T) (server, client net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	client, err = net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	server, err = ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	return server, client
}

// served is a server connection running on its own goroutine.
type served struct {
	c    *h2.Conn
	done chan error // Serve's result
}

// serve starts a server connection over nc.
func serve(t *testing.T, nc net.Conn, cfg h2.Config, h h2.Handler) *served {
	t.Helper()
	c, err := h2.NewConn(nc, nil, cfg, h)
	if err != nil {
		t.Fatal(err)
	}
	s := &served{c: c, done: make(chan error, 1)}
	go func() { s.done <- c.Serve() }()
	t.Cleanup(func() {
		c.Close()
		<-s.done
	})
	return s
}

// wait returns Serve's result.
func (s *served) wait(t *testing.T) error {
	t.Helper()
	select {
	case err := <-s.done:
		s.done <- err
		return err
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return")
		return nil
	}
}

// client is a test HTTP/2 client speaking frames directly.
type client struct {
	t    *testing.T
	nc   net.Conn
	fr   *http2.Framer
	hbuf bytes.Buffer
	henc *hpack.Encoder
}

func newClient(t *testing.T, nc net.Conn) *client {
	c := &client{t: t, nc: nc, fr: http2.NewFramer(nc, nc)}
	c.fr.ReadMetaHeaders = hpack.NewDecoder(4096, nil)
	c.fr.MaxHeaderListSize = 1 << 20
	c.henc = hpack.NewEncoder(&c.hbuf)
	t.Cleanup(func() { nc.Close() })
	return c
}

// handshake writes the preface and SETTINGS, reads the server's SETTINGS
// (and connection WINDOW_UPDATE) and acknowledges them.
func (c *client) handshake(settings ...http2.Setting) {
	c.t.Helper()
	if _, err := io.WriteString(c.nc, http2.ClientPreface); err != nil {
		c.t.Fatal(err)
	}
	c.must(c.fr.WriteSettings(settings...))
	sf, ok := c.read().(*http2.SettingsFrame)
	if !ok || sf.IsAck() {
		c.t.Fatalf("first server frame %v, want SETTINGS", sf)
	}
	c.must(c.fr.WriteSettingsAck())
	// The rest (WINDOW_UPDATE, SETTINGS ACK) is read by the tests' loops.
}

func (c *client) must(err error) {
	c.t.Helper()
	if err != nil {
		c.t.Fatal(err)
	}
}

// read reads one frame within 5 s.
func (c *client) read() http2.Frame {
	c.t.Helper()
	f, err := c.readErr()
	if err != nil {
		c.t.Fatalf("read frame: %v", err)
	}
	return f
}

func (c *client) readErr() (http2.Frame, error) {
	c.nc.SetReadDeadline(time.Now().Add(5 * time.Second))
	return c.fr.ReadFrame()
}

// readUntil reads frames, skipping SETTINGS ACK, WINDOW_UPDATE on the
// connection and PING ACK, until one satisfying ok.
func (c *client) readUntil(ok func(http2.Frame) bool) http2.Frame {
	c.t.Helper()
	for {
		f := c.read()
		if ok(f) {
			return f
		}
	}
}

// goAway reads until GOAWAY and returns it.
func (c *client) goAway() *http2.GoAwayFrame {
	c.t.Helper()
	for {
		f, err := c.readErr()
		if err != nil {
			c.t.Fatalf("connection ended without GOAWAY: %v", err)
		}
		if g, ok := f.(*http2.GoAwayFrame); ok {
			return g
		}
	}
}

// headers sends a request's HEADERS.
func (c *client) headers(id uint32, end bool, extra ...hpack.HeaderField) {
	c.t.Helper()
	c.hbuf.Reset()
	fields := append([]hpack.HeaderField{
		{Name: ":method", Value: "POST"},
		{Name: ":scheme", Value: "http"},
		{Name: ":path", Value: "/echo.Echo/Echo"},
		{Name: ":authority", Value: "test"},
		{Name: "content-type", Value: "application/grpc"},
	}, extra...)
	for _, f := range fields {
		c.henc.WriteField(f)
	}
	c.must(c.fr.WriteHeaders(http2.HeadersFrameParam{StreamID: id, BlockFragment: c.hbuf.Bytes(), EndStream: end, EndHeaders: true}))
}

// field returns the value of name in fs.
func field(fs []hpack.HeaderField, name string) string {
	for _, f := range fs {
		if f.Name == name {
			return f.Value
		}
	}
	return ""
}

// echo is a handler that reads the whole body and answers with it,
// between headers and a trailer.
var echo = h2.HandlerFunc(func(st *h2.Stream) {
	body, err := io.ReadAll(st)
	if err != nil {
		return
	}
	if st.WriteHeader([]hpack.HeaderField{{Name: ":status", Value: "200"}, {Name: "content-type", Value: "application/grpc"}}) != nil {
		return
	}
	if _, err := st.Write(body); err != nil {
		return
	}
	st.WriteTrailer([]hpack.HeaderField{{Name: "grpc-status", Value: "0"}})
})

// response is what a client read of one stream's response.
type response struct {
	header, trailer []hpack.HeaderField
	body            []byte
	reset           http2.ErrCode
	wasReset        bool
}

// readResponses reads until n streams have ended, returning them by id,
// and sends WINDOW_UPDATE for the data read.
func (c *client) readResponses(n int) map[uint32]*response {
	c.t.Helper()
	out := map[uint32]*response{}
	ended := 0
	get := func(id uint32) *response {
		r := out[id]
		if r == nil {
			r = &response{}
			out[id] = r
		}
		return r
	}
	for ended < n {
		switch f := c.read().(type) {
		case *http2.MetaHeadersFrame:
			r := get(f.StreamID)
			if r.header == nil {
				r.header = f.Fields
			} else {
				r.trailer = f.Fields
			}
			if f.StreamEnded() {
				ended++
			}
		case *http2.DataFrame:
			r := get(f.StreamID)
			r.body = append(r.body, f.Data()...)
			if l := f.Length; l > 0 {
				// Best effort: the server may have closed after the last stream.
				c.fr.WriteWindowUpdate(0, l)
				if !f.StreamEnded() {
					c.fr.WriteWindowUpdate(f.StreamID, l)
				}
			}
			if f.StreamEnded() {
				ended++
			}
		case *http2.RSTStreamFrame:
			r := get(f.StreamID)
			r.reset, r.wasReset = f.ErrCode, true
			ended++
		case *http2.GoAwayFrame:
			c.t.Fatalf("GOAWAY %v %q", f.ErrCode, f.DebugData())
		}
	}
	return out
}

// countConn counts a connection's Read and Write calls.
type countConn struct {
	net.Conn
	reads, writes atomic.Int64
}

func (c *countConn) Read(p []byte) (int, error) {
	c.reads.Add(1)
	return c.Conn.Read(p)
}

func (c *countConn) Write(p []byte) (int, error) {
	c.writes.Add(1)
	return c.Conn.Write(p)
}

// hbufReq sends a whole request (HEADERS, then DATA with END_STREAM) in
// one socket write.
func (c *client) hbufReq(id uint32, body []byte) {
	c.t.Helper()
	var buf bytes.Buffer
	fr := http2.NewFramer(&buf, nil)
	c.hbuf.Reset()
	for _, f := range []hpack.HeaderField{
		{Name: ":method", Value: "POST"}, {Name: ":scheme", Value: "http"},
		{Name: ":path", Value: "/echo.Echo/Echo"}, {Name: ":authority", Value: "test"},
	} {
		c.henc.WriteField(f)
	}
	fr.WriteHeaders(http2.HeadersFrameParam{StreamID: id, BlockFragment: c.hbuf.Bytes(), EndHeaders: true})
	fr.WriteData(id, true, body)
	if _, err := c.nc.Write(buf.Bytes()); err != nil {
		c.t.Fatal(err)
	}
}
