package server

import (
	"github.com/ospreyrpc/osprey/protocol/thrift"
	"github.com/ospreyrpc/osprey/protocol/ttheader"
)

// protocol is one protocol a server speaks on its shared port. Detection
// shows a new connection's first bytes to each protocol in turn; the first
// that recognises them serves the connection: HTTP/2 (for gRPC) and Thrift,
// TTHeader included; HTTP/1.1 (JSON) is the next (docs/design/seams.md).
type protocol interface {
	// match looks at a connection's first bytes. It returns the function
	// that serves the connection when they are this protocol's; need >
	// len(prefix) when it must see more bytes to tell; neither when they
	// are not this protocol's.
	match(prefix []byte) (serve func(*conn), need int)
}

// protocols are the protocols every server speaks, in detection order.
var protocols = []protocol{h2Protocol{}, thriftProtocol{}}

// thriftProtocol is Apache Thrift in its four forms, and TTHeader around
// Thrift messages (docs/spec/thrift.md §5.3, docs/spec/ttheader.md §6).
type thriftProtocol struct{}

func (thriftProtocol) match(prefix []byte) (func(*conn), int) {
	if ttheader.IsTTHeader(prefix) {
		// TTHeader messages carry a framed length; the header says the
		// payload's encoding, message by message.
		return serveThrift(thrift.Binary, thrift.Framed), 0
	}
	enc, framing, need := thrift.Detect(prefix)
	if enc == 0 {
		return nil, need
	}
	return serveThrift(enc, framing), 0
}

// serveThrift returns the function that serves a Thrift connection of one
// encoding and framing: inline, one request after another, until it shows
// it is multiplexed, then concurrently.
func serveThrift(enc thrift.Encoding, framing thrift.Framing) func(*conn) {
	return func(c *conn) {
		c.enc, c.framing = enc, framing
		c.rd.Init(enc, framing, c.s.opts.maxMessageSize)
		if c.rc != nil {
			c.serveSession()
		} else {
			c.serveBlocking()
		}
		if c.mux != nil {
			c.serveMux()
		}
	}
}
