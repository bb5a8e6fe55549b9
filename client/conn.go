package client

import (
	"net"
	"syscall"
	"time"

	"github.com/ospreyrpc/osprey/internal/thriftio"
	"github.com/ospreyrpc/osprey/protocol/thrift"
)

// conn is one pooled connection. Only the call holding it touches it.
type conn struct {
	nc       net.Conn
	rd       thriftio.Reader
	codec    thrift.Codec
	seq      int32
	lastUsed time.Time
	local    net.Addr
	remote   net.Addr
	rc       syscall.RawConn // for Exchange; nil where not available
}

func newConn(nc net.Conn, o *options) *conn {
	c := &conn{nc: nc, local: nc.LocalAddr(), remote: nc.RemoteAddr()}
	if sc, ok := nc.(syscall.Conn); ok {
		c.rc, _ = sc.SyscallConn()
	}
	c.rd.Buf.Reset(nc)
	c.rd.Init(o.encoding, o.framing, o.maxMessageSize)
	c.codec.Init(o.encoding)
	return c
}

// nextSeq returns the sequence id for the next call.
func (c *conn) nextSeq() int32 {
	c.seq++
	return c.seq
}

func (c *conn) close() {
	c.nc.Close()
	c.rd.Buf.Release(true)
}
