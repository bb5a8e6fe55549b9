package h2

import (
	"errors"
	"fmt"

	"golang.org/x/net/http2"
)

// ErrClosed is returned by stream operations on a closed connection, and
// by Serve after Close or GracefulClose.
var ErrClosed = errors.New("h2: connection closed")

// ConnError is why Serve ended: a connection error (RFC 9113 §5.4.1) for
// which the server sent GOAWAY with Code, the peer's GOAWAY (Remote), or a
// keepalive timeout (Reason "keepalive timeout", no GOAWAY: the peer is
// silent).
type ConnError struct {
	Code   http2.ErrCode
	Reason string
	Remote bool
}

func (e *ConnError) Error() string {
	side := "local"
	if e.Remote {
		side = "remote"
	}
	return fmt.Sprintf("h2: connection error (%s) %v: %s", side, e.Code, e.Reason)
}

// ResetError is what a stream's Read and Write return after RST_STREAM:
// sent by the peer (Remote) or by the server.
type ResetError struct {
	Code   http2.ErrCode
	Remote bool
}

func (e *ResetError) Error() string {
	if e.Remote {
		return fmt.Sprintf("h2: stream reset by peer: %v", e.Code)
	}
	return fmt.Sprintf("h2: stream reset: %v", e.Code)
}

// connErr makes a connection error the server sends.
func connErr(code http2.ErrCode, reason string) *ConnError {
	return &ConnError{Code: code, Reason: reason}
}

var (
	errHeaderListTooLarge = errors.New("h2: header list larger than the peer's SETTINGS_MAX_HEADER_LIST_SIZE")
	errStreamDone         = errors.New("h2: stream already ended")
	errNoHeaders          = errors.New("h2: DATA before response headers")
	errWindowTimeout      = errors.New("h2: peer did not open its flow-control window within WriteTimeout")
)
