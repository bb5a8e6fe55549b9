package server

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/ospreyrpc/osprey/internal/bufpool"
	"github.com/ospreyrpc/osprey/internal/thriftio"
	"github.com/ospreyrpc/osprey/protocol/thrift"
	"github.com/ospreyrpc/osprey/rpcinfo"
)

// handle serves one Thrift message of n bytes on the wire. It returns false
// if the connection must close.
func (c *conn) handle(msg []byte, n int) bool {
	start := time.Now()
	name, typ, seq, err := c.codec.ReadMessageBegin(msg)
	if err != nil {
		c.s.opts.logger.Warn("osprey: closing connection after malformed message header", "remote", c.remote, "err", err)
		return false
	}
	if typ != thrift.MessageCall && typ != thrift.MessageOneway {
		c.reply(string(name), seq, nil, &thrift.ApplicationException{
			Type: thrift.ExceptionInvalidMessageType, Message: "expected CALL or ONEWAY, got " + typ.String()})
		return false
	}
	m := c.s.methods[string(name)]
	if m == nil {
		if typ == thrift.MessageCall {
			// A multiplexed client ("Service:method") expects the reply to
			// name the method alone.
			_, method, _ := strings.Cut(string(name), ":")
			if method == "" {
				method = string(name)
			}
			return c.reply(method, seq, nil, &thrift.ApplicationException{
				Type: thrift.ExceptionUnknownMethod, Message: "unknown method " + string(name)})
		}
		return true
	}
	// A oneway method gets no reply, whatever message type the client used
	// (old clients send CALL), and neither does a ONEWAY message.
	oneway := typ == thrift.MessageOneway || m.desc.Oneway
	call := m.desc.NewCall()
	args := call.Args.(thrift.Struct)
	if err := c.codec.ReadBody(args); err != nil {
		c.s.opts.logger.Debug("osprey: cannot decode arguments", "method", m.name, "remote", c.remote, "err", err)
		if oneway {
			return true
		}
		return c.reply(m.name, seq, nil, &thrift.ApplicationException{
			Type: thrift.ExceptionProtocolError, Message: "cannot decode arguments of " + m.name + ": " + err.Error()})
	}

	h := call.Info
	if h == nil {
		h = new(rpcinfo.Holder)
	}
	ctx, ri := h.Init(c.s.baseCtx)
	ri.Role, ri.Service, ri.Method, ri.Oneway = rpcinfo.Server, m.service, m.name, oneway
	ri.Protocol, ri.SeqID, ri.LocalAddr, ri.RemoteAddr = c.proto, seq, c.local, c.remote
	ri.Start, ri.BytesIn = start, n
	result, _ := call.Result.(thrift.Result)
	err = c.invoke(m, ctx, args, call.Result)
	if oneway {
		if err != nil {
			c.s.opts.logger.Warn("osprey: oneway call failed", "method", m.name, "remote", c.remote, "err", err)
		}
		ri.End = time.Now()
		return true
	}
	var exc *thrift.ApplicationException
	if err != nil && !result.SetThriftException(err) {
		exc = thrift.ExceptionFor(err)
	}
	keep := c.reply(m.name, seq, result, exc)
	ri.End = time.Now()
	ri.BytesOut = c.lastWrite
	return keep
}

// invoke runs a method's endpoint chain, turning a panic in middleware into
// an error (the handler's own panics are caught inside the chain).
func (c *conn) invoke(m *method, ctx context.Context, args, result any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = c.s.panicked(ctx, r)
		}
	}()
	return m.ep(ctx, args, result)
}

// reply writes a REPLY carrying result, or an EXCEPTION carrying exc when
// it is not nil. It returns false if the write failed.
func (c *conn) reply(name string, seq int32, result thrift.Struct, exc *thrift.ApplicationException) bool {
	typ, body := thrift.MessageReply, result
	if exc != nil {
		typ, body = thrift.MessageException, exc
	}
	p, err := c.encode(name, typ, seq, body)
	if err != nil {
		c.s.opts.logger.Error("osprey: encoding reply failed", "method", name, "remote", c.remote, "err", err)
		p, _ = c.encode(name, thrift.MessageException, seq, &thrift.ApplicationException{
			Type: thrift.ExceptionInternalError, Message: "internal error: cannot encode reply"})
	}
	c.since.Store(c.s.clock.Load())
	c.state.CompareAndSwap(stateBusy, stateWriting)
	c.lastWrite = len(*p)
	wrote, pending, err := c.writeReply(p)
	if pending {
		return true // serveSession writes the rest
	}
	if err == nil && !wrote {
		_, err = c.nc.Write(*p)
	}
	bufpool.Put(p)
	if err != nil {
		c.s.opts.logger.Debug("osprey: writing reply failed", "remote", c.remote, "err", err)
		return false
	}
	return true
}

// encode builds a message, turning a panic in a hand-written body's
// encoder into an error: the reply is encoded outside the handler's
// recovery.
func (c *conn) encode(name string, typ thrift.MessageType, seq int32, body thrift.Struct) (p *[]byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic encoding %T: %v", body, r)
		}
	}()
	return thriftio.Encode(&c.codec, c.framing, name, typ, seq, body)
}
