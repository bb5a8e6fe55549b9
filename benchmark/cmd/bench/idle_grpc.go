package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"
)

// grpcEchoPath is the :path of echo.Echo/Echo (gen/pb/echo.proto).
const grpcEchoPath = "/echo.Echo/Echo"

// h2Handshake opens HTTP/2 on c with prior knowledge, as a gRPC client
// over cleartext does: it sends the client preface and its (empty)
// SETTINGS, and returns once it has the server's SETTINGS, has
// acknowledged them, and has the server's acknowledgement of its own.
func h2Handshake(c net.Conn) error {
	c.SetDeadline(time.Now().Add(10 * time.Second))
	defer c.SetDeadline(time.Time{})
	if _, err := io.WriteString(c, http2.ClientPreface); err != nil {
		return err
	}
	fr := http2.NewFramer(c, c)
	if err := fr.WriteSettings(); err != nil {
		return err
	}
	var settings, acked bool
	for !settings || !acked {
		f, err := fr.ReadFrame()
		if err != nil {
			return fmt.Errorf("HTTP/2 handshake: %w", err)
		}
		switch f := f.(type) {
		case *http2.SettingsFrame:
			if f.IsAck() {
				acked = true
				continue
			}
			settings = true
			if err := fr.WriteSettingsAck(); err != nil {
				return err
			}
		case *http2.PingFrame:
			if err := answerPing(fr, f); err != nil {
				return err
			}
		case *http2.GoAwayFrame:
			return fmt.Errorf("HTTP/2 handshake: GOAWAY %v", f.ErrCode)
		}
	}
	return nil
}

// answerPing acknowledges a PING that is not itself an acknowledgement.
func answerPing(fr *http2.Framer, f *http2.PingFrame) error {
	if f.IsAck() {
		return nil
	}
	return fr.WritePing(true, f.Data)
}

// grpcRoundTrip makes one unary gRPC call on stream 1 of c, an HTTP/2
// connection h2Handshake opened: HEADERS and one DATA with END_STREAM
// carrying msg, a length-prefixed message. It wants a 200 response whose
// DATA is msg again (echo.Echo's Request and Response have the same
// fields) and trailers with grpc-status 0.
func grpcRoundTrip(c net.Conn, authority string, msg []byte) error {
	c.SetDeadline(time.Now().Add(10 * time.Second))
	defer c.SetDeadline(time.Time{})
	fr := http2.NewFramer(c, c)
	fr.ReadMetaHeaders = hpack.NewDecoder(4096, nil)
	var block bytes.Buffer
	enc := hpack.NewEncoder(&block)
	for _, f := range [][2]string{
		{":method", "POST"}, {":scheme", "http"}, {":path", grpcEchoPath}, {":authority", authority},
		{"content-type", "application/grpc"}, {"te", "trailers"},
	} {
		if err := enc.WriteField(hpack.HeaderField{Name: f[0], Value: f[1]}); err != nil {
			return err
		}
	}
	if err := fr.WriteHeaders(http2.HeadersFrameParam{StreamID: 1, BlockFragment: block.Bytes(), EndHeaders: true}); err != nil {
		return err
	}
	if err := fr.WriteData(1, true, msg); err != nil {
		return err
	}
	var reply []byte
	for {
		f, err := fr.ReadFrame()
		if err != nil {
			return err
		}
		switch f := f.(type) {
		case *http2.MetaHeadersFrame:
			if f.StreamID != 1 {
				return fmt.Errorf("HEADERS on stream %d", f.StreamID)
			}
			if s := f.PseudoValue("status"); s != "" && s != "200" {
				return fmt.Errorf(":status %s", s)
			}
			if !f.StreamEnded() {
				continue
			}
			if s := f.PseudoValue("status"); s == "" && len(reply) == 0 {
				// Trailers with no response: a lost message.
				return errors.New("trailers without a reply")
			}
			if st := header(f, "grpc-status"); st != "0" {
				return fmt.Errorf("grpc-status %q: %s", st, header(f, "grpc-message"))
			}
			if !bytes.Equal(reply, msg) {
				return fmt.Errorf("reply of %d bytes does not echo the %d-byte request", len(reply), len(msg))
			}
			return nil
		case *http2.DataFrame:
			reply = append(reply, f.Data()...)
		case *http2.PingFrame:
			if err := answerPing(fr, f); err != nil {
				return err
			}
		case *http2.RSTStreamFrame:
			return fmt.Errorf("RST_STREAM %v", f.ErrCode)
		case *http2.GoAwayFrame:
			return fmt.Errorf("GOAWAY %v", f.ErrCode)
		}
	}
}

// header returns the value of a regular header field.
func header(f *http2.MetaHeadersFrame, name string) string {
	for _, hf := range f.RegularFields() {
		if hf.Name == name {
			return hf.Value
		}
	}
	return ""
}
