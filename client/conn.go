package client

import (
	"context"
	"net"
	"sync"
	"syscall"
	"time"

	"github.com/ospreyrpc/osprey/internal/thriftio"
)

// aLongTimeAgo is a deadline that has passed, to interrupt blocked I/O.
var aLongTimeAgo = time.Unix(1, 0)

// conn is one ping-pong connection. Only the call holding it touches it,
// except the cancel watch, under watchMu.
type conn struct {
	nc       net.Conn
	rd       thriftio.Reader
	cs       *codecs
	seq      int32
	lastUsed time.Time
	local    net.Addr
	remote   net.Addr
	rc       syscall.RawConn // for Exchange; nil where not available
	cw       *cancelWatch

	watchMu   sync.Mutex
	watchCtx  context.Context // the call's, while it is watched
	watchStop chan struct{}   // the attempt's abort channel, if any
	cancelled bool            // the watch interrupted the call
}

func newConn(nc net.Conn, o *options, cw *cancelWatch) *conn {
	c := &conn{nc: nc, local: nc.LocalAddr(), remote: nc.RemoteAddr(), cw: cw, cs: newCodecs(o.encoding)}
	if sc, ok := nc.(syscall.Conn); ok {
		c.rc, _ = sc.SyscallConn()
	}
	c.rd.Buf.Reset(nc)
	c.rd.Init(o.encoding, o.readFraming(), o.maxMessageSize)
	cw.add(c)
	return c
}

// nextSeq returns the sequence id for the next call.
func (c *conn) nextSeq() int32 {
	c.seq++
	return c.seq
}

func (c *conn) close() {
	c.cw.remove(c)
	c.nc.Close()
	c.rd.Buf.Release(true)
}
