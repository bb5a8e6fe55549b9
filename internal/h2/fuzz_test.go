package h2_test

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"strings"
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
// server connection, as the whole of what the client sends: the
// connection must end within a short deadline without panicking, and what
// it sent back must be well-formed HTTP/2 that starts with SETTINGS, uses
// no stream the client did not open (no even ids), and stays within a
// small multiple of the input (echoed data, acknowledgements, one
// response per stream), so no input makes it write without bound.
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
		// The server reads the input and then EOF, as from a client that
		// closed its side, and can still write to cnc.
		c, err := h2.NewConn(snc, io.MultiReader(strings.NewReader(http2.ClientPreface), bytes.NewReader(in)), cfg, echo)
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() {
			done <- c.Serve()
			snc.Close()
		}()
		checked := make(chan error, 1)
		go func() { checked <- checkServerFrames(cnc, 8*len(in)+4096) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatal("server connection did not end")
		}
		if err := <-checked; err != nil {
			t.Fatal(err)
		}
		cnc.Close()
	})
}

// checkServerFrames reads what a server connection wrote until it closes,
// and returns an error if it is not a sequence of well-formed frames
// starting with SETTINGS, if a frame is on an even stream id, or if it
// comes to more than max bytes. It reads on after an error, so the server
// never blocks writing.
func checkServerFrames(r io.Reader, max int) error {
	cr := &countingReader{r: r}
	fr := http2.NewFramer(nil, cr)
	fr.MaxHeaderListSize = 1 << 20
	fr.ReadMetaHeaders = hpack.NewDecoder(4096, nil)
	var bad error
	for i := 0; ; i++ {
		f, err := fr.ReadFrame()
		if err != nil {
			if err != io.EOF && err != io.ErrClosedPipe && bad == nil {
				bad = fmt.Errorf("frame %d does not parse: %v", i, err)
			}
			io.Copy(io.Discard, r)
			break
		}
		switch {
		case bad != nil:
		case i == 0 && (f.Header().Type != http2.FrameSettings || f.Header().Flags.Has(http2.FlagSettingsAck)):
			bad = fmt.Errorf("first frame %v, want SETTINGS", f.Header())
		case f.Header().StreamID%2 == 0 && f.Header().StreamID != 0:
			bad = fmt.Errorf("frame %v on a stream the client cannot have opened", f.Header())
		}
	}
	if bad == nil && cr.n > max {
		bad = fmt.Errorf("server wrote %d bytes, more than %d", cr.n, max)
	}
	return bad
}

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}
