package h2_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"

	"github.com/ospreyrpc/osprey/internal/h2"
)

// echoBody answers every stream with its request body and a trailer.
var echoBody = h2.HandlerFunc(func(st *h2.Stream) {
	body, err := io.ReadAll(st)
	if err != nil {
		return
	}
	st.WriteHeader([]hpack.HeaderField{{Name: ":status", Value: "200"}, {Name: "x-path", Value: st.Path()}})
	st.Write(body)
	st.WriteTrailer([]hpack.HeaderField{{Name: "x-len", Value: string(rune('0' + len(body)%10))}})
})

// dialClient returns a client connection to a server connection running h.
func dialClient(t *testing.T, cfg h2.Config, h h2.Handler) (*h2.ClientConn, *served) {
	t.Helper()
	snc, cnc := tcpPair(t)
	s := serve(t, snc, cfg, h)
	c, err := h2.NewClientConn(cnc, h2.DefaultClientConfig())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, s
}

func newRequest(path string, body []byte, end bool) *h2.Request {
	return &h2.Request{Fields: []hpack.HeaderField{
		{Name: ":method", Value: "POST"}, {Name: ":scheme", Value: "http"},
		{Name: ":path", Value: path}, {Name: ":authority", Value: "test"},
	}, Data: body, End: end}
}

// readAll reads a stream's response body, waiting up to 5 s.
func readAll(t *testing.T, s *h2.ClientStream) ([]byte, error) {
	t.Helper()
	var out []byte
	timeout := time.After(5 * time.Second)
	for {
		p, err := s.Data()
		if len(p) > 0 {
			out = append(out, p...)
			s.Consume(len(p))
			continue
		}
		if err != nil {
			return out, err
		}
		select {
		case <-s.Ready():
		case <-timeout:
			t.Fatal("no response within 5 s")
		}
	}
}

func TestClientUnary(t *testing.T) {
	c, _ := dialClient(t, h2.DefaultConfig(), echoBody)
	s, err := c.Open(newRequest("/a/b", []byte("hello"), true))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Release()
	body, err := readAll(t, s)
	if !errors.Is(err, io.EOF) || string(body) != "hello" {
		t.Fatalf("got %q, %v; want hello, EOF", body, err)
	}
	hdr, ok, _ := s.Header()
	if !ok || len(hdr) != 2 || hdr[0].Value != "200" || hdr[1].Value != "/a/b" {
		t.Fatalf("header %v", hdr)
	}
	if tr := s.Trailer(); len(tr) != 1 || tr[0].Name != "x-len" || tr[0].Value != "5" {
		t.Fatalf("trailer %v", tr)
	}
}

func TestClientLargeBodyFlowControl(t *testing.T) {
	c, _ := dialClient(t, h2.DefaultConfig(), echoBody)
	big := bytes.Repeat([]byte("0123456789abcdef"), 300<<10/16) // past the stream windows both ways
	s, err := c.Open(newRequest("/big", big, true))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Release()
	body, err := readAll(t, s)
	if !errors.Is(err, io.EOF) || !bytes.Equal(body, big) {
		t.Fatalf("got %d bytes, %v; want %d, EOF", len(body), err, len(big))
	}
}

func TestClientConcurrent(t *testing.T) {
	c, _ := dialClient(t, h2.DefaultConfig(), echoBody)
	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			msg := bytes.Repeat([]byte{byte(i)}, 1000+i)
			s, err := c.Open(newRequest("/c", msg, true))
			if err != nil {
				errs <- err
				return
			}
			defer s.Release()
			body, err := readAll(t, s)
			if !errors.Is(err, io.EOF) || !bytes.Equal(body, msg) {
				errs <- fmt.Errorf("bad echo: %d bytes, %v", len(body), err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestClientStreamLimitAndReset(t *testing.T) {
	cfg := h2.DefaultConfig()
	cfg.MaxConcurrentStreams = 1
	release := make(chan struct{})
	served := make(chan struct{}, 1)
	c, _ := dialClient(t, cfg, h2.HandlerFunc(func(st *h2.Stream) {
		served <- struct{}{}
		select {
		case <-release:
		case <-st.Context().Done():
		}
	}))
	s1, err := c.Open(newRequest("/1", nil, false))
	if err != nil {
		t.Fatal(err)
	}
	<-served // the server's SETTINGS have been applied by now
	deadline := time.Now().Add(5 * time.Second)
	for {
		s2, err := c.Open(newRequest("/2", nil, false))
		if errors.Is(err, h2.ErrFull) {
			break
		}
		if err != nil || time.Now().After(deadline) {
			t.Fatalf("second stream: %v, want ErrFull", err)
		}
		s2.Release() // opened before SETTINGS arrived (the server refuses it); again
		time.Sleep(time.Millisecond)
	}
	s1.Reset(http2.ErrCodeCancel)
	if _, err := s1.Data(); !errors.As(err, new(*h2.ResetError)) {
		t.Fatalf("Data after Reset: %v", err)
	}
	s1.Release()
	s3, err := c.Open(newRequest("/3", nil, true))
	if err != nil {
		t.Fatalf("after reset: %v", err)
	}
	close(release)
	s3.Release()
}

func TestClientGoAway(t *testing.T) {
	hold := make(chan struct{})
	started := make(chan struct{})
	c, s := dialClient(t, h2.DefaultConfig(), h2.HandlerFunc(func(st *h2.Stream) {
		io.ReadAll(st)
		close(started)
		<-hold
		st.WriteHeader([]hpack.HeaderField{{Name: ":status", Value: "200"}})
	}))
	st, err := c.Open(newRequest("/1", []byte("x"), true))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Release()
	if _, ok, _ := st.Header(); ok {
		t.Fatal("header before the handler answered")
	}
	<-started // the server has the stream; stop it gracefully
	done := make(chan error, 1)
	go func() { done <- s.c.GracefulClose(t.Context()) }()
	deadline := time.Now().Add(5 * time.Second)
	for c.Available() {
		if time.Now().After(deadline) {
			t.Fatal("GOAWAY not seen")
		}
		time.Sleep(time.Millisecond) // polling a state, not synchronising
	}
	if _, err := c.Open(newRequest("/2", nil, true)); !errors.Is(err, h2.ErrGoingAway) {
		t.Fatalf("Open after GOAWAY: %v", err)
	}
	close(hold)
	if _, err := readAll(t, st); !errors.Is(err, io.EOF) {
		t.Fatalf("stream below GOAWAY: %v", err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	select {
	case <-c.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("client connection did not close after GOAWAY")
	}
}

func TestClientOneWrite(t *testing.T) {
	snc, cnc := tcpPair(t)
	serve(t, snc, h2.DefaultConfig(), echoBody)
	cc := &countConn{Conn: cnc}
	c, err := h2.NewClientConn(cc, h2.DefaultClientConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	warm, _ := c.Open(newRequest("/w", []byte("w"), true))
	readAll(t, warm)
	warm.Release()
	before := cc.writes.Load()
	s, _ := c.Open(newRequest("/x", []byte("hello"), true))
	readAll(t, s)
	s.Release()
	if n := cc.writes.Load() - before; n > 2 {
		t.Errorf("unary request took %d writes, want 1 (2 with a WINDOW_UPDATE or SETTINGS ack)", n)
	}
}

func TestClientKeepalive(t *testing.T) {
	// A server that answers PINGs keeps the connection.
	cfg := h2.DefaultConfig()
	cfg.PingPolicy = h2.PingPolicy{PermitWithoutStream: true}
	snc, cnc := tcpPair(t)
	serve(t, snc, cfg, echoBody)
	ccfg := h2.DefaultClientConfig()
	ccfg.KeepaliveTime, ccfg.KeepaliveTimeout = 10*time.Millisecond, time.Second
	c, err := h2.NewClientConn(cnc, ccfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	select {
	case <-c.Done():
		t.Fatalf("connection closed: %v", c.Err())
	case <-time.After(100 * time.Millisecond): // ten keepalive rounds
	}

	// The client answers the server's keepalive PINGs (the server
	// closes a connection whose PING goes unanswered for 20 ms).
	scfg := h2.DefaultConfig()
	scfg.KeepaliveTime, scfg.KeepaliveTimeout = 5*time.Millisecond, 20*time.Millisecond
	snc2, cnc2 := tcpPair(t)
	srv := serve(t, snc2, scfg, echoBody)
	c3, err := h2.NewClientConn(cnc2, h2.DefaultClientConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer c3.Close()
	select {
	case err := <-srv.done:
		t.Fatalf("server closed the connection: %v", err)
	case <-c3.Done():
		t.Fatalf("client connection closed: %v", c3.Err())
	case <-time.After(100 * time.Millisecond): // twenty keepalive rounds
	}

	// A silent peer is dropped after KeepaliveTime + KeepaliveTimeout.
	silent, peer := tcpPair(t)
	defer silent.Close()
	go io.Copy(io.Discard, silent)
	ccfg.KeepaliveTimeout = 20 * time.Millisecond
	c2, err := h2.NewClientConn(peer, ccfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	select {
	case <-c2.Done():
		if ce := new(h2.ConnError); !errors.As(c2.Err(), &ce) || ce.Reason != "keepalive timeout" {
			t.Fatalf("closed with %v, want keepalive timeout", c2.Err())
		}
	case <-time.After(5 * time.Second):
		t.Fatal("silent peer kept")
	}
}

// TestClientBodyPastPendingLimit sends a body larger than what a
// connection queues before writers wait for the flusher, within open
// windows: the writer must wake the flusher itself.
func TestClientBodyPastPendingLimit(t *testing.T) {
	cfg := h2.DefaultConfig()
	cfg.InitialWindowSize, cfg.InitialConnWindowSize = 8<<20, 8<<20
	c, _ := dialClient(t, cfg, echoBody)
	warm, err := c.Open(newRequest("/w", []byte("w"), true)) // the server's SETTINGS arrive
	if err != nil {
		t.Fatal(err)
	}
	readAll(t, warm)
	warm.Release()
	big := bytes.Repeat([]byte("z"), 3<<20)
	s, err := c.Open(newRequest("/big", big, true))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Release()
	body, err := readAll(t, s)
	if !errors.Is(err, io.EOF) || !bytes.Equal(body, big) {
		t.Fatalf("got %d bytes, %v", len(body), err)
	}
}

// TestClientReceiveWindow reads a response larger than the client's
// stream and connection windows: the client returns them as it reads.
func TestClientReceiveWindow(t *testing.T) {
	big := bytes.Repeat([]byte("0123456789"), 600<<10) // 6 MB
	c, _ := dialClient(t, h2.DefaultConfig(), h2.HandlerFunc(func(st *h2.Stream) {
		io.ReadAll(st)
		st.WriteHeader([]hpack.HeaderField{{Name: ":status", Value: "200"}})
		st.Write(big)
	}))
	s, err := c.Open(newRequest("/r", nil, true))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Release()
	body, err := readAll(t, s)
	if !errors.Is(err, io.EOF) || !bytes.Equal(body, big) {
		t.Fatalf("got %d bytes, %v; want %d", len(body), err, len(big))
	}
}
