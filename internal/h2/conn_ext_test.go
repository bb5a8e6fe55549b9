package h2_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"testing"
	"time"

	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"

	"github.com/ospreyrpc/osprey/internal/h2"
	"github.com/ospreyrpc/osprey/internal/leakcheck"
)

// TestUnary: HEADERS, DATA with END_STREAM → HEADERS, DATA, trailers; and
// the response goes out in one socket write.
func TestUnary(t *testing.T) {
	leakcheck.Check(t)
	snc, cnc := tcpPair(t)
	cc := &countConn{Conn: snc}
	serve(t, cc, h2.DefaultConfig(), echo)
	c := newClient(t, cnc)
	c.handshake()
	c.readUntil(func(f http2.Frame) bool { sf, ok := f.(*http2.SettingsFrame); return ok && sf.IsAck() })
	reads, writes := cc.reads.Load(), cc.writes.Load()

	// The request in one write, as a client's coalescing writer sends it.
	c.hbufReq(1, []byte("hello"))
	r := c.readResponses(1)[1]
	if field(r.header, ":status") != "200" || string(r.body) != "hello" || field(r.trailer, "grpc-status") != "0" {
		t.Fatalf("response %+v", r)
	}
	reads, writes = cc.reads.Load()-reads, cc.writes.Load()-writes
	// Reads are counted on entry: the read that returns the request began
	// before the count; those counted are the client's WINDOW_UPDATE and
	// the next, blocking read. Measured: 1 write (HEADERS, DATA and
	// trailers together); 2 allowed, as the flusher's single yield may
	// race a handler running on another processor.
	t.Logf("server syscalls for one unary exchange: %d read call(s) after the request's, %d write(s)", reads, writes)
	if writes > 2 {
		t.Errorf("server made %d writes for one response (HEADERS, DATA, trailers), want 1 (at most 2)", writes)
	}
}

// TestConcurrentStreams: many streams at once, each answered.
func TestConcurrentStreams(t *testing.T) {
	leakcheck.Check(t)
	snc, cnc := tcpPair(t)
	serve(t, snc, h2.DefaultConfig(), echo)
	c := newClient(t, cnc)
	c.handshake()
	const n = 100
	for i := range uint32(n) {
		id := 2*i + 1
		c.headers(id, false)
		c.must(c.fr.WriteData(id, true, fmt.Appendf(nil, "msg %d", id)))
	}
	rs := c.readResponses(n)
	for i := range uint32(n) {
		id := 2*i + 1
		if r := rs[id]; r == nil || string(r.body) != fmt.Sprintf("msg %d", id) || field(r.trailer, "grpc-status") != "0" {
			t.Fatalf("stream %d: %+v", id, r)
		}
	}
}

// TestMaxConcurrentStreams: a stream beyond the limit gets
// RST_STREAM(REFUSED_STREAM); the others are served.
func TestMaxConcurrentStreams(t *testing.T) {
	leakcheck.Check(t)
	snc, cnc := tcpPair(t)
	cfg := h2.DefaultConfig()
	cfg.MaxConcurrentStreams = 2
	release := make(chan struct{})
	started := make(chan struct{}, 2)
	serve(t, snc, cfg, h2.HandlerFunc(func(st *h2.Stream) {
		started <- struct{}{}
		<-release
		echo(st)
	}))
	c := newClient(t, cnc)
	c.handshake()
	c.headers(1, true)
	c.headers(3, true)
	<-started
	<-started
	c.headers(5, true)
	f := c.readUntil(func(f http2.Frame) bool { _, ok := f.(*http2.RSTStreamFrame); return ok }).(*http2.RSTStreamFrame)
	if f.StreamID != 5 || f.ErrCode != http2.ErrCodeRefusedStream {
		t.Fatalf("got RST_STREAM %d %v, want 5 REFUSED_STREAM", f.StreamID, f.ErrCode)
	}
	close(release)
	rs := c.readResponses(2)
	if rs[1] == nil || rs[3] == nil {
		t.Fatalf("responses %v", rs)
	}
}

// TestFlowControl: a 1 MiB body each way through 64 KiB windows; the
// client sends only as the server's WINDOW_UPDATEs allow, and the server
// writes only as the client's allow.
func TestFlowControl(t *testing.T) {
	leakcheck.Check(t)
	snc, cnc := tcpPair(t)
	cfg := h2.DefaultConfig()
	cfg.InitialWindowSize = 65535
	cfg.InitialConnWindowSize = 65535
	serve(t, snc, cfg, echo)
	c := newClient(t, cnc)
	c.handshake() // client's windows stay at 65535
	body := bytes.Repeat([]byte("0123456789abcdef"), 1<<16)
	c.headers(1, false)
	connWin, streamWin := int64(65535), int64(65535)
	var got []byte
	sent := 0
	ended := false
	for !ended {
		for sent < len(body) && connWin > 0 && streamWin > 0 {
			n := min(int64(len(body)-sent), connWin, streamWin, 16384)
			last := sent+int(n) == len(body)
			c.must(c.fr.WriteData(1, last, body[sent:sent+int(n)]))
			sent += int(n)
			connWin -= n
			streamWin -= n
		}
		switch f := c.read().(type) {
		case *http2.WindowUpdateFrame:
			if f.StreamID == 0 {
				connWin += int64(f.Increment)
			} else {
				streamWin += int64(f.Increment)
			}
		case *http2.DataFrame:
			got = append(got, f.Data()...)
			if f.Length > 0 {
				c.must(c.fr.WriteWindowUpdate(0, f.Length))
				c.must(c.fr.WriteWindowUpdate(1, f.Length))
			}
		case *http2.MetaHeadersFrame:
			ended = f.StreamEnded()
		case *http2.GoAwayFrame, *http2.RSTStreamFrame:
			t.Fatalf("got %v", f)
		}
	}
	if !bytes.Equal(got, body) {
		t.Fatalf("echoed %d bytes, want %d", len(got), len(body))
	}
}

// TestSlowReader: a handler that does not read holds at most its window;
// DATA beyond the window is a FLOW_CONTROL_ERROR, not more memory.
func TestSlowReader(t *testing.T) {
	leakcheck.Check(t)
	snc, cnc := tcpPair(t)
	cfg := h2.DefaultConfig()
	cfg.InitialWindowSize = 65535
	cfg.InitialConnWindowSize = 65535
	s := serve(t, snc, cfg, h2.HandlerFunc(func(st *h2.Stream) { <-st.Context().Done() }))
	c := newClient(t, cnc)
	c.handshake()
	c.headers(1, false)
	chunk := make([]byte, 16384)
	for sent := 0; sent < 65535; sent += len(chunk) {
		c.must(c.fr.WriteData(1, false, chunk[:min(len(chunk), 65535-sent)]))
	}
	c.must(c.fr.WriteData(1, false, []byte{1}))
	g := c.goAway()
	if g.ErrCode != http2.ErrCodeFlowControl {
		t.Fatalf("GOAWAY %v, want FLOW_CONTROL_ERROR", g.ErrCode)
	}
	if err := s.wait(t); err == nil {
		t.Fatal("Serve returned nil after a connection error")
	}
}

// TestClientReset: RST_STREAM from the client cancels the stream's context
// and Read reports the reset.
func TestClientReset(t *testing.T) {
	leakcheck.Check(t)
	snc, cnc := tcpPair(t)
	readErr := make(chan error, 1)
	canceled := make(chan struct{})
	serve(t, snc, h2.DefaultConfig(), h2.HandlerFunc(func(st *h2.Stream) {
		_, err := st.Read(make([]byte, 10))
		readErr <- err
		<-st.Context().Done()
		close(canceled)
	}))
	c := newClient(t, cnc)
	c.handshake()
	c.headers(1, false)
	c.must(c.fr.WriteRSTStream(1, http2.ErrCodeCancel))
	err := <-readErr
	if re, ok := err.(*h2.ResetError); !ok || re.Code != http2.ErrCodeCancel || !re.Remote {
		t.Fatalf("Read error %v, want a remote CANCEL reset", err)
	}
	<-canceled
}

// TestPing: a PING is answered with an ACK of the same data.
func TestPing(t *testing.T) {
	leakcheck.Check(t)
	snc, cnc := tcpPair(t)
	serve(t, snc, h2.DefaultConfig(), echo)
	c := newClient(t, cnc)
	c.handshake()
	data := [8]byte{1, 2, 3, 4, 5, 6, 7, 8}
	c.must(c.fr.WritePing(false, data))
	f := c.readUntil(func(f http2.Frame) bool { _, ok := f.(*http2.PingFrame); return ok }).(*http2.PingFrame)
	if !f.IsAck() || f.Data != data {
		t.Fatalf("got PING ack=%v %v", f.IsAck(), f.Data)
	}
}

// TestPingFlood: pings more often than the policy allows get
// GOAWAY(ENHANCE_YOUR_CALM) and the connection closes.
func TestPingFlood(t *testing.T) {
	leakcheck.Check(t)
	snc, cnc := tcpPair(t)
	cfg := h2.DefaultConfig()
	cfg.PingPolicy = h2.PingPolicy{MinTime: time.Hour, PermitWithoutStream: true}
	s := serve(t, snc, cfg, echo)
	c := newClient(t, cnc)
	c.handshake()
	for i := range 4 {
		c.must(c.fr.WritePing(false, [8]byte{byte(i)}))
	}
	g := c.goAway()
	if g.ErrCode != http2.ErrCodeEnhanceYourCalm || string(g.DebugData()) != "too_many_pings" {
		t.Fatalf("GOAWAY %v %q", g.ErrCode, g.DebugData())
	}
	if _, err := c.readErr(); err == nil {
		// more frames may follow; the connection must end
		for err == nil {
			_, err = c.readErr()
		}
	}
	s.wait(t)
}

// TestKeepaliveTimeout: a client that does not answer the server's
// keepalive PING is disconnected.
func TestKeepaliveTimeout(t *testing.T) {
	leakcheck.Check(t)
	snc, cnc := tcpPair(t)
	cfg := h2.DefaultConfig()
	cfg.KeepaliveTime = 20 * time.Millisecond
	cfg.KeepaliveTimeout = 20 * time.Millisecond
	s := serve(t, snc, cfg, echo)
	c := newClient(t, cnc)
	c.handshake()
	f := c.readUntil(func(f http2.Frame) bool { p, ok := f.(*http2.PingFrame); return ok && !p.IsAck() })
	_ = f // not answered
	for {
		if _, err := c.readErr(); err != nil {
			break
		}
	}
	err := s.wait(t)
	if ce, ok := err.(*h2.ConnError); !ok || ce.Reason != "keepalive timeout" {
		t.Fatalf("Serve: %v, want keepalive timeout", err)
	}
}

// TestKeepaliveAnswered: a client that answers keepalive PINGs stays.
func TestKeepaliveAnswered(t *testing.T) {
	leakcheck.Check(t)
	snc, cnc := tcpPair(t)
	cfg := h2.DefaultConfig()
	cfg.KeepaliveTime = 10 * time.Millisecond
	cfg.KeepaliveTimeout = 200 * time.Millisecond
	serve(t, snc, cfg, echo)
	c := newClient(t, cnc)
	c.handshake()
	for range 2 {
		p := c.readUntil(func(f http2.Frame) bool { p, ok := f.(*http2.PingFrame); return ok && !p.IsAck() }).(*http2.PingFrame)
		c.must(c.fr.WritePing(true, p.Data))
	}
	c.headers(1, true)
	if r := c.readResponses(1)[1]; field(r.header, ":status") != "200" {
		t.Fatalf("response %+v", r)
	}
}

// TestGracefulClose: GOAWAY names the last stream; the stream in flight
// finishes, a new one is refused, and then the connection closes.
func TestGracefulClose(t *testing.T) {
	leakcheck.Check(t)
	snc, cnc := tcpPair(t)
	started := make(chan struct{})
	release := make(chan struct{})
	s := serve(t, snc, h2.DefaultConfig(), h2.HandlerFunc(func(st *h2.Stream) {
		close(started)
		<-release
		echo(st)
	}))
	c := newClient(t, cnc)
	c.handshake()
	c.headers(1, false)
	<-started
	closed := make(chan error, 1)
	go func() { closed <- s.c.GracefulClose(context.Background()) }()
	g := c.goAway()
	if g.ErrCode != http2.ErrCodeNo || g.LastStreamID != 1 {
		t.Fatalf("GOAWAY %v last %d", g.ErrCode, g.LastStreamID)
	}
	c.headers(3, true)
	f := c.readUntil(func(f http2.Frame) bool { _, ok := f.(*http2.RSTStreamFrame); return ok }).(*http2.RSTStreamFrame)
	if f.StreamID != 3 || f.ErrCode != http2.ErrCodeRefusedStream {
		t.Fatalf("RST_STREAM %d %v", f.StreamID, f.ErrCode)
	}
	if err := c.fr.WriteData(1, true, []byte("late")); err != nil {
		t.Fatalf("%v; Serve: %v", err, s.wait(t))
	}
	close(release)
	if r := c.readResponses(1)[1]; string(r.body) != "late" {
		t.Fatalf("response %+v", r)
	}
	if err := <-closed; err != nil {
		t.Fatal(err)
	}
	if err := s.wait(t); err != nil {
		t.Fatalf("Serve: %v", err)
	}
}

// TestHeaderListTooLarge: a request whose header list is over the limit
// gets a 431 response; the connection stays usable.
func TestHeaderListTooLarge(t *testing.T) {
	leakcheck.Check(t)
	snc, cnc := tcpPair(t)
	cfg := h2.DefaultConfig()
	cfg.MaxHeaderListSize = 1024
	serve(t, snc, cfg, echo)
	c := newClient(t, cnc)
	c.handshake()
	big := string(bytes.Repeat([]byte("a"), 400))
	c.headers(1, true, hpack.HeaderField{Name: "x-a", Value: big}, hpack.HeaderField{Name: "x-b", Value: big}, hpack.HeaderField{Name: "x-c", Value: big})
	r := c.readResponses(1)[1]
	if field(r.header, ":status") != "431" {
		t.Fatalf("response %+v", r)
	}
	c.headers(3, true)
	if r := c.readResponses(1)[3]; field(r.header, ":status") != "200" {
		t.Fatalf("response %+v", r)
	}
}

// TestProtocolErrors: connection errors end with GOAWAY and their code.
func TestProtocolErrors(t *testing.T) {
	tests := []struct {
		name string
		send func(c *client)
		code http2.ErrCode
	}{
		{"even stream id", func(c *client) { c.headers(2, true) }, http2.ErrCodeProtocol},
		{"data on idle stream", func(c *client) { c.must(c.fr.WriteData(5, true, []byte("x"))) }, http2.ErrCodeProtocol},
		{"decreasing stream id", func(c *client) { c.headers(5, true); c.headers(3, true) }, http2.ErrCodeProtocol},
		{"hpack garbage", func(c *client) {
			c.must(c.fr.WriteHeaders(http2.HeadersFrameParam{StreamID: 1, BlockFragment: []byte{0xff, 0xff, 0xff, 0xff}, EndHeaders: true}))
		}, http2.ErrCodeCompression},
		{"connection window overflow", func(c *client) { c.must(c.fr.WriteWindowUpdate(0, 1<<31-1)) }, http2.ErrCodeFlowControl},
		{"window update on idle stream", func(c *client) { c.must(c.fr.WriteWindowUpdate(7, 1)) }, http2.ErrCodeProtocol},
		{"continuation without headers", func(c *client) { c.must(c.fr.WriteContinuation(1, true, nil)) }, http2.ErrCodeProtocol},
		{"frame too large", func(c *client) { c.must(c.fr.WriteData(1, false, make([]byte, 20000))) }, http2.ErrCodeFrameSize},
		{"settings ack with payload", raw(http2.FrameSettings, http2.FlagSettingsAck, 0, make([]byte, 6)), http2.ErrCodeFrameSize},
		{"settings on a stream", raw(http2.FrameSettings, 0, 1, nil), http2.ErrCodeProtocol},
		{"settings length", raw(http2.FrameSettings, 0, 0, make([]byte, 5)), http2.ErrCodeFrameSize},
		{"settings enable push 2", raw(http2.FrameSettings, 0, 0, []byte{0, 2, 0, 0, 0, 2}), http2.ErrCodeProtocol},
		{"settings window 2^31", raw(http2.FrameSettings, 0, 0, []byte{0, 4, 0x80, 0, 0, 0}), http2.ErrCodeFlowControl},
		{"ping length", raw(http2.FramePing, 0, 0, make([]byte, 7)), http2.ErrCodeFrameSize},
		{"ping on a stream", raw(http2.FramePing, 0, 1, make([]byte, 8)), http2.ErrCodeProtocol},
		{"window update length", raw(http2.FrameWindowUpdate, 0, 0, make([]byte, 3)), http2.ErrCodeFrameSize},
		{"window update of 0", raw(http2.FrameWindowUpdate, 0, 0, make([]byte, 4)), http2.ErrCodeProtocol},
		{"window update of 0 on an even stream", raw(http2.FrameWindowUpdate, 0, 2, make([]byte, 4)), http2.ErrCodeProtocol},
		{"rst_stream length", raw(http2.FrameRSTStream, 0, 1, make([]byte, 3)), http2.ErrCodeFrameSize},
		{"rst_stream on stream 0", raw(http2.FrameRSTStream, 0, 0, make([]byte, 4)), http2.ErrCodeProtocol},
		{"goaway on a stream", raw(http2.FrameGoAway, 0, 1, make([]byte, 8)), http2.ErrCodeProtocol},
		{"goaway length", raw(http2.FrameGoAway, 0, 0, make([]byte, 7)), http2.ErrCodeFrameSize},
		{"priority on stream 0", raw(http2.FramePriority, 0, 0, make([]byte, 5)), http2.ErrCodeProtocol},
		{"priority length", raw(http2.FramePriority, 0, 1, make([]byte, 4)), http2.ErrCodeFrameSize},
		{"push_promise", raw(http2.FramePushPromise, 0, 1, make([]byte, 4)), http2.ErrCodeProtocol},
		{"ping inside a header block", func(c *client) {
			c.must(c.fr.WriteHeaders(http2.HeadersFrameParam{StreamID: 1, BlockFragment: []byte{0x83}}))
			c.must(c.fr.WritePing(false, [8]byte{}))
		}, http2.ErrCodeProtocol},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			leakcheck.Check(t)
			snc, cnc := tcpPair(t)
			s := serve(t, snc, h2.DefaultConfig(), echo)
			c := newClient(t, cnc)
			c.handshake()
			tt.send(c)
			if g := c.goAway(); g.ErrCode != tt.code {
				t.Fatalf("GOAWAY %v %q, want %v", g.ErrCode, g.DebugData(), tt.code)
			}
			if err := s.wait(t); err == nil {
				t.Fatal("Serve returned nil")
			}
		})
	}
}

// raw sends a frame as given.
func raw(typ http2.FrameType, flags http2.Flags, id uint32, p []byte) func(c *client) {
	return func(c *client) { c.must(c.fr.WriteRawFrame(typ, flags, id, p)) }
}

// TestControlFrames: a WINDOW_UPDATE of 0 on an open stream resets the
// stream alone, and PRIORITY and frames of unknown types are ignored.
func TestControlFrames(t *testing.T) {
	leakcheck.Check(t)
	snc, cnc := tcpPair(t)
	s := serve(t, snc, h2.DefaultConfig(), echo)
	c := newClient(t, cnc)
	c.handshake()
	c.headers(1, false)
	c.must(c.fr.WriteRawFrame(http2.FramePriority, 0, 1, []byte{0, 0, 0, 0, 16}))
	c.must(c.fr.WriteRawFrame(0xfa, 0x3, 1, []byte("unknown")))
	c.must(c.fr.WriteRawFrame(http2.FrameWindowUpdate, 0, 1, make([]byte, 4)))
	f := c.readUntil(func(f http2.Frame) bool { _, ok := f.(*http2.RSTStreamFrame); return ok }).(*http2.RSTStreamFrame)
	if f.StreamID != 1 || f.ErrCode != http2.ErrCodeProtocol {
		t.Fatalf("RST_STREAM %d %v, want 1 PROTOCOL_ERROR", f.StreamID, f.ErrCode)
	}
	c.headers(3, true)
	c.readUntil(func(f http2.Frame) bool {
		return f.Header().StreamID == 3 && f.Header().Flags.Has(http2.FlagHeadersEndStream)
	})
	c.nc.Close()
	s.wait(t)
}

// TestBadPreface: a connection that does not start with the client
// preface gets GOAWAY(PROTOCOL_ERROR) after the server's SETTINGS.
func TestBadPreface(t *testing.T) {
	leakcheck.Check(t)
	snc, cnc := tcpPair(t)
	s := serve(t, snc, h2.DefaultConfig(), echo)
	c := newClient(t, cnc)
	io.WriteString(cnc, "PRI * HTTP/1.1\r\n\r\nSM\r\n\r\n")
	if g := c.goAway(); g.ErrCode != http2.ErrCodeProtocol {
		t.Fatalf("GOAWAY %v", g.ErrCode)
	}
	s.wait(t)
}

// TestPrefaceAlreadyRead: the bytes detection read come from the reader
// given to NewConn.
func TestPrefaceAlreadyRead(t *testing.T) {
	leakcheck.Check(t)
	snc, cnc := tcpPair(t)
	go io.WriteString(cnc, http2.ClientPreface)
	head := make([]byte, 4)
	if _, err := io.ReadFull(snc, head); err != nil {
		t.Fatal(err)
	}
	sc, err := h2.NewConn(snc, io.MultiReader(bytes.NewReader(head), snc), h2.DefaultConfig(), echo)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- sc.Serve() }()
	c := newClient(t, cnc)
	c.must(c.fr.WriteSettings())
	c.headers(1, true)
	if r := c.readResponses(1)[1]; field(r.header, ":status") != "200" {
		t.Fatalf("response %+v", r)
	}
	sc.Close()
	<-done
}

// TestWriteWindowTimeout: a writer whose peer never opens its window gives
// up after WriteTimeout instead of waiting forever.
func TestWriteWindowTimeout(t *testing.T) {
	leakcheck.Check(t)
	snc, cnc := tcpPair(t)
	cfg := h2.DefaultConfig()
	cfg.WriteTimeout = 50 * time.Millisecond
	writeErr := make(chan error, 1)
	serve(t, snc, cfg, h2.HandlerFunc(func(st *h2.Stream) {
		st.WriteHeader([]hpack.HeaderField{{Name: ":status", Value: "200"}})
		_, err := st.Write(make([]byte, 100000)) // more than the client's 65535
		writeErr <- err
	}))
	c := newClient(t, cnc)
	c.handshake()
	c.headers(1, true)
	if err := <-writeErr; err == nil {
		t.Fatal("Write returned nil with the window shut")
	}
	// The handler returned without trailers: the stream ends.
	c.readUntil(func(f http2.Frame) bool { d, ok := f.(*http2.DataFrame); return ok && d.StreamEnded() })
}

// TestStreamWindowOverflow: WINDOW_UPDATE past 2^31-1 on a stream resets
// that stream with FLOW_CONTROL_ERROR; the connection stays.
func TestStreamWindowOverflow(t *testing.T) {
	leakcheck.Check(t)
	snc, cnc := tcpPair(t)
	serve(t, snc, h2.DefaultConfig(), h2.HandlerFunc(func(st *h2.Stream) { <-st.Context().Done() }))
	c := newClient(t, cnc)
	c.handshake()
	c.headers(1, true)
	c.must(c.fr.WriteWindowUpdate(1, 1<<31-1))
	f := c.readUntil(func(f http2.Frame) bool { _, ok := f.(*http2.RSTStreamFrame); return ok }).(*http2.RSTStreamFrame)
	if f.StreamID != 1 || f.ErrCode != http2.ErrCodeFlowControl {
		t.Fatalf("RST_STREAM %d %v", f.StreamID, f.ErrCode)
	}
	c.must(c.fr.WritePing(false, [8]byte{}))
	c.readUntil(func(f http2.Frame) bool { p, ok := f.(*http2.PingFrame); return ok && p.IsAck() })
}

// TestPartialReader: a handler reading in small pieces while the body
// streams in gets all of it, in order.
func TestPartialReader(t *testing.T) {
	leakcheck.Check(t)
	snc, cnc := tcpPair(t)
	got := make(chan []byte, 1)
	serve(t, snc, h2.DefaultConfig(), h2.HandlerFunc(func(st *h2.Stream) {
		var all []byte
		p := make([]byte, 7)
		for {
			n, err := st.Read(p)
			all = append(all, p[:n]...)
			if err != nil {
				break
			}
		}
		got <- all
	}))
	c := newClient(t, cnc)
	c.handshake()
	c.headers(1, false)
	body := bytes.Repeat([]byte("abcdefghijklm"), 10000)
	for i := 0; i < len(body); i += 1000 {
		c.must(c.fr.WriteData(1, i+1000 >= len(body), body[i:min(i+1000, len(body))]))
	}
	if b := <-got; !bytes.Equal(b, body) {
		t.Fatalf("read %d bytes, want %d", len(b), len(body))
	}
}
