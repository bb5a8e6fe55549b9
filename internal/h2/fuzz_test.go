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

// seedFrames returns frames written by a Framer: a valid exchange and
// some of every frame type, to seed FuzzServerConn.
func seedFrames(write func(fr *http2.Framer, enc func(...hpack.HeaderField) []byte)) []byte {
	var buf, hb bytes.Buffer
	fr := http2.NewFramer(&buf, nil)
	henc := hpack.NewEncoder(&hb)
	enc := func(fs ...hpack.HeaderField) []byte {
		hb.Reset()
		for _, f := range fs {
			henc.WriteField(f)
		}
		return append([]byte(nil), hb.Bytes()...)
	}
	fr.WriteSettings(http2.Setting{ID: http2.SettingInitialWindowSize, Val: 1 << 20})
	write(fr, enc)
	return buf.Bytes()
}

var request = []hpack.HeaderField{
	{Name: ":method", Value: "POST"}, {Name: ":scheme", Value: "http"},
	{Name: ":path", Value: "/a.B/C"}, {Name: ":authority", Value: "x"},
	{Name: "content-type", Value: "application/grpc"},
}

// FuzzServerConn feeds the client preface and then random bytes to a
// server connection: it must end (with GOAWAY, RST_STREAM or the peer's
// close) without panicking, within a short deadline.
func FuzzServerConn(f *testing.F) {
	f.Add(seedFrames(func(fr *http2.Framer, enc func(...hpack.HeaderField) []byte) {
		fr.WriteHeaders(http2.HeadersFrameParam{StreamID: 1, BlockFragment: enc(request...), EndHeaders: true})
		fr.WriteData(1, true, []byte("\x00\x00\x00\x00\x02hi"))
	}))
	f.Add(seedFrames(func(fr *http2.Framer, enc func(...hpack.HeaderField) []byte) {
		block := enc(request...)
		fr.WriteHeaders(http2.HeadersFrameParam{StreamID: 1, BlockFragment: block[:3], EndStream: true})
		fr.WriteContinuation(1, true, block[3:])
		fr.WritePing(false, [8]byte{1})
		fr.WriteWindowUpdate(0, 1000)
		fr.WriteWindowUpdate(1, 1000)
		fr.WriteRSTStream(1, http2.ErrCodeCancel)
		fr.WritePriority(3, http2.PriorityParam{Weight: 1})
		fr.WriteGoAway(0, http2.ErrCodeNo, nil)
	}))
	f.Add(seedFrames(func(fr *http2.Framer, enc func(...hpack.HeaderField) []byte) {
		for id := uint32(1); id < 20; id += 2 {
			fr.WriteHeaders(http2.HeadersFrameParam{StreamID: id, BlockFragment: enc(request...), EndHeaders: true})
			fr.WriteData(id, false, bytes.Repeat([]byte{7}, 100))
			fr.WriteHeaders(http2.HeadersFrameParam{StreamID: id, BlockFragment: enc(hpack.HeaderField{Name: "x-t", Value: "1"}), EndStream: true, EndHeaders: true})
		}
		fr.WriteSettings(http2.Setting{ID: http2.SettingMaxFrameSize, Val: 1 << 20}, http2.Setting{ID: http2.SettingHeaderTableSize, Val: 0})
	}))
	f.Add([]byte{0, 0, 0, 4, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 9, 4, 0, 0, 0, 1})
	f.Fuzz(func(t *testing.T, in []byte) {
		snc, cnc := net.Pipe()
		cfg := h2.DefaultConfig()
		cfg.MaxConcurrentStreams = 8
		cfg.WriteTimeout = time.Second
		cfg.HandshakeTimeout = time.Second
		c, err := h2.NewConn(snc, nil, cfg, echo)
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- c.Serve() }()
		drained := make(chan struct{})
		go func() {
			io.Copy(io.Discard, cnc)
			close(drained)
		}()
		cnc.SetWriteDeadline(time.Now().Add(2 * time.Second))
		cnc.Write([]byte(http2.ClientPreface))
		cnc.Write(in)
		cnc.Close()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatal("server connection did not end")
		}
		<-drained
	})
}
