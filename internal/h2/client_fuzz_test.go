package h2_test

import (
	"bytes"
	"io"
	"net"
	"testing"
	"time"

	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"

	"github.com/ospreyrpc/osprey/internal/h2"
)

// FuzzClientConn feeds random bytes, as the server's, to a client
// connection with two streams open: it must neither panic nor hang, and a
// stream never yields more body bytes than the input holds; a well-formed
// response comes back whole.
func FuzzClientConn(f *testing.F) {
	response := func(fr *http2.Framer, enc func(...hpack.HeaderField) []byte) {
		fr.WriteHeaders(http2.HeadersFrameParam{StreamID: 1, BlockFragment: enc(hpack.HeaderField{Name: ":status", Value: "200"}), EndHeaders: true})
		fr.WriteData(1, false, []byte("hello"))
		fr.WriteHeaders(http2.HeadersFrameParam{StreamID: 1, BlockFragment: enc(hpack.HeaderField{Name: "grpc-status", Value: "0"}), EndHeaders: true, EndStream: true})
	}
	f.Add(seedFrames(response))
	f.Add(seedFrames(func(fr *http2.Framer, enc func(...hpack.HeaderField) []byte) {
		block := enc(hpack.HeaderField{Name: ":status", Value: "200"}, hpack.HeaderField{Name: "x-long", Value: "abcdefghijklmnop"})
		fr.WriteHeaders(http2.HeadersFrameParam{StreamID: 3, BlockFragment: block[:2], Priority: http2.PriorityParam{Weight: 3}})
		fr.WriteContinuation(3, true, block[2:])
		fr.WriteDataPadded(3, true, []byte("x"), []byte{0, 0})
		fr.WritePing(false, [8]byte{1})
		fr.WriteWindowUpdate(0, 1000)
		fr.WriteWindowUpdate(1, 1000)
		fr.WriteRSTStream(1, http2.ErrCodeRefusedStream)
		fr.WriteSettings(http2.Setting{ID: http2.SettingMaxConcurrentStreams, Val: 1})
		fr.WriteSettingsAck()
		fr.WriteGoAway(1, http2.ErrCodeNo, []byte("bye"))
	}))
	f.Add([]byte{0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 1, 1, 4, 0, 0, 0, 1, 0x88})
	f.Fuzz(func(t *testing.T, in []byte) {
		snc, cnc := net.Pipe()
		defer snc.Close()
		go io.Copy(io.Discard, snc)
		c, err := h2.NewClientConn(cnc, h2.DefaultClientConfig())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		var streams []*h2.ClientStream
		for range 2 {
			if s, err := c.Open(newRequest("/f", []byte("x"), true)); err == nil {
				streams = append(streams, s)
			}
		}
		// A client that stops reading (as it may on bad input) must not
		// hang the test; a busy machine must not cut a good response short.
		snc.SetWriteDeadline(time.Now().Add(5 * time.Second))
		_, werr := snc.Write(in)
		wellFormed := bytes.Equal(in, seedFrames(response))
		if wellFormed && werr != nil {
			t.Fatalf("writing a well-formed response: %v", werr)
		}
		if wellFormed && len(streams) > 0 {
			// Before the server goes away, which may fail the stream.
			for snap := streams[0].Snapshot(0); !snap.Ended && snap.Err == nil; snap = streams[0].Snapshot(0) {
				select {
				case <-streams[0].Ready():
				case <-time.After(5 * time.Second):
					t.Fatal("well-formed response did not end")
				}
			}
		}
		snc.Close() // the server goes away: every stream ends
		for _, s := range streams {
			var body []byte
			timeout := time.After(5 * time.Second)
			for {
				p, err := s.Data()
				if len(p) > 0 {
					body = append(body, p...)
					s.Consume(len(p))
					continue
				}
				if err != nil {
					break
				}
				select {
				case <-s.Ready():
				case <-timeout:
					t.Fatal("stream did not end after the server closed")
				}
			}
			if len(body) > len(in) {
				t.Fatalf("%d body bytes from %d input bytes", len(body), len(in))
			}
			if wellFormed && s.ID() == 1 && string(body) != "hello" {
				t.Fatalf("well-formed response: body %q", body)
			}
			s.Release()
		}
		select {
		case <-c.Done():
		case <-time.After(5 * time.Second):
			t.Fatal("connection did not end after the server closed")
		}
		if c.Err() == nil {
			t.Fatal("no error on a closed connection")
		}
	})
}
