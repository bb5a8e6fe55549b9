package h2

import (
	"encoding/binary"
	"errors"

	"golang.org/x/net/http2"
)

// settingsConn is what applying the peer's SETTINGS needs of a connection
// (Conn or ClientConn) beyond its connFlow.
type settingsConn interface {
	// growSendWindowsLocked adds delta to the send window of every open
	// stream, unless one would pass 2^31-1: then it changes none and
	// returns false.
	growSendWindowsLocked(delta int64) bool
	// setHeaderTableLimit applies SETTINGS_HEADER_TABLE_SIZE to the
	// connection's HPACK encoder.
	setHeaderTableLimit(v uint32)
	// setPeerMaxStreams applies SETTINGS_MAX_CONCURRENT_STREAMS.
	setPeerMaxStreams(v uint32)
}

// applySettingsLocked applies the peer's settings, p holding 6 bytes each
// (docs/spec/grpc.md §10.2, §15; RFC 9113 §6.5.2), to f and to c, whose
// connFlow f is: an invalid value, or an initial window size that would
// take a stream's send window past 2^31-1, is a connection error.
func (f *connFlow) applySettingsLocked(p []byte, c settingsConn) error {
	for ; len(p) >= 6; p = p[6:] {
		s := http2.Setting{ID: http2.SettingID(binary.BigEndian.Uint16(p)), Val: binary.BigEndian.Uint32(p[2:])}
		if err := s.Valid(); err != nil {
			var ce http2.ConnectionError
			errors.As(err, &ce)
			return connErr(http2.ErrCode(ce), "invalid setting "+s.String())
		}
		switch s.ID {
		case http2.SettingMaxConcurrentStreams:
			c.setPeerMaxStreams(s.Val)
		case http2.SettingInitialWindowSize:
			if !c.growSendWindowsLocked(int64(s.Val) - f.peerWindow) {
				return connErr(http2.ErrCodeFlowControl, "stream window above 2^31-1")
			}
			f.peerWindow = int64(s.Val)
			f.sendGrewLocked()
		case http2.SettingMaxFrameSize:
			f.peerFrame = s.Val
		case http2.SettingHeaderTableSize:
			c.setHeaderTableLimit(s.Val)
		case http2.SettingMaxHeaderListSize:
			f.peerHdrList = s.Val
		}
	}
	return nil
}

func (c *Conn) growSendWindowsLocked(delta int64) bool {
	for st := range c.streams.all {
		if st.sendWindow+delta > maxWindow {
			return false
		}
	}
	for st := range c.streams.all {
		st.sendWindow += delta
	}
	return true
}

func (c *Conn) setHeaderTableLimit(v uint32) { c.henc.setLimit(v) }

func (c *Conn) setPeerMaxStreams(uint32) {} // the server opens no streams

func (c *ClientConn) growSendWindowsLocked(delta int64) bool {
	for _, st := range c.streams {
		if st.sendWindow+delta > maxWindow {
			return false
		}
	}
	for _, st := range c.streams {
		st.sendWindow += delta
	}
	return true
}

func (c *ClientConn) setHeaderTableLimit(v uint32) { c.henc.SetMaxDynamicTableSizeLimit(v) }

func (c *ClientConn) setPeerMaxStreams(v uint32) {
	c.peerMax = v
	c.maxHint.Store(v)
}
