package server

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/ospreyrpc/osprey/internal/bufpool"
	"github.com/ospreyrpc/osprey/internal/thriftio"
	"github.com/ospreyrpc/osprey/internal/ttmeta"
	"github.com/ospreyrpc/osprey/protocol/thrift"
	"github.com/ospreyrpc/osprey/protocol/ttheader"
	"github.com/ospreyrpc/osprey/rpcinfo"
	"github.com/ospreyrpc/osprey/status"
)

// worker is the scratch one goroutine needs to serve Thrift requests: a
// codec per encoding and the TTHeader of the request and of the reply. A
// connection has one for requests it serves inline; requests served
// concurrently take one from workerPool.
type worker struct {
	binary, compact thrift.Codec
	req, reply      ttheader.Header
	scratch         ttmeta.Scratch
	names           ttmeta.Names
}

// codec returns the worker's codec for enc.
func (w *worker) codec(enc thrift.Encoding) *thrift.Codec {
	c := &w.binary
	if enc == thrift.Compact {
		c = &w.compact
	}
	if c.Encoding() != enc {
		c.Init(enc)
	}
	return c
}

// wire says how a request came, so that its reply goes the same way.
type wire struct {
	enc         thrift.Encoding
	framing     thrift.Framing // of the connection: Framed or Buffered
	ttheader    bool           // the message had a TTHeader
	innerFramed bool           // its payload had a framed length of its own
}

// Protocol names for rpcinfo, by form: binary, then compact.
var protoNames = [2][4]string{
	{"thrift/binary/framed", "thrift/binary/buffered", "thrift/binary/ttheader", "thrift/binary/ttheader-framed"},
	{"thrift/compact/framed", "thrift/compact/buffered", "thrift/compact/ttheader", "thrift/compact/ttheader-framed"},
}

func (w *wire) name() string {
	i := 0
	switch {
	case w.ttheader && w.innerFramed:
		i = 3
	case w.ttheader:
		i = 2
	case w.framing == thrift.Buffered:
		i = 1
	}
	if w.enc == thrift.Compact {
		return protoNames[1][i]
	}
	return protoNames[0][i]
}

// outcome is what serving one request produced: a reply to write (nil for
// none), and whether the connection may go on.
type outcome struct {
	reply *[]byte
	keep  bool
	// toMux says the request was left unserved because the client
	// multiplexes the connection: serve it concurrently from now on.
	toMux bool
	// adm holds the call's places with the limiters until its reply is
	// written: release it then.
	adm admission
}

// unwrap takes a framed message apart: the TTHeader, if the message has
// one (docs/spec/ttheader.md §6: TTHeader and plain framed messages may be
// mixed on one connection), and the Thrift payload.
func (c *conn) unwrap(w *worker, msg []byte, wr *wire) ([]byte, error) {
	wr.enc, wr.framing = c.enc, c.framing
	if c.framing != thrift.Framed || !ttheader.HasMagic(msg) {
		return msg, nil
	}
	w.req.Reset()
	payload, err := ttheader.Decode(&w.req, msg, c.s.opts.ttheaderLimits)
	if err != nil {
		return nil, err
	}
	wr.ttheader = true
	switch w.req.Protocol {
	case ttheader.ProtocolBinary:
		wr.enc = thrift.Binary
	case ttheader.ProtocolCompact:
		wr.enc = thrift.Compact
	default:
		return nil, fmt.Errorf("%w: TTHeader protocol id %d is not Thrift binary or compact", thrift.ErrInvalidData, w.req.Protocol)
	}
	// Kitex's TTHeader-framed: a framed length after the header.
	payload, wr.innerFramed = ttheader.Unframe(payload)
	return payload, nil
}

// handle serves one Thrift message of n bytes on the wire with w's
// scratch, and returns the encoded reply.
func (c *conn) handle(w *worker, msg []byte, n int) outcome {
	start := time.Now()
	var wr wire
	payload, err := c.unwrap(w, msg, &wr)
	if err != nil {
		c.s.opts.logger.Warn("osprey: closing connection after malformed TTHeader", "remote", c.remote, "err", err)
		return outcome{}
	}
	if wr.ttheader && c.mux == nil && c.s.opts.maxConcurrentPerConn > 1 && ttmeta.Multiplexed(&w.req) {
		return outcome{keep: true, toMux: true}
	}
	codec := w.codec(wr.enc)
	name, typ, seq, err := codec.ReadMessageBegin(payload)
	if err != nil {
		c.s.opts.logger.Warn("osprey: closing connection after malformed message header", "remote", c.remote, "err", err)
		return outcome{}
	}
	if typ != thrift.MessageCall && typ != thrift.MessageOneway {
		return c.exception(w, &wr, string(name), seq, &thrift.ApplicationException{
			Type: thrift.ExceptionInvalidMessageType, Message: "expected CALL or ONEWAY, got " + typ.String()}, false)
	}
	svcName := ""
	if wr.ttheader {
		svcName, _ = w.req.Str(ttheader.KeyIDLServiceName)
	}
	m, lookupErr := c.s.methods.lookupBytes(svcName, name)
	if lookupErr == nil && m.ep == nil {
		lookupErr = fmt.Errorf("%s method %s cannot be called over Thrift", m.desc.Kind, m.name)
	}
	if lookupErr != nil {
		if typ == thrift.MessageOneway {
			return outcome{keep: true}
		}
		// A multiplexed client ("Service:method") expects the reply to
		// name the method alone.
		_, method, ok := strings.Cut(string(name), ":")
		if !ok || method == "" {
			method = string(name)
		}
		return c.exception(w, &wr, method, seq, &thrift.ApplicationException{
			Type: thrift.ExceptionUnknownMethod, Message: lookupErr.Error()}, true)
	}
	// A oneway method gets no reply, whatever message type the client used
	// (old clients send CALL), and neither does a ONEWAY message.
	oneway := typ == thrift.MessageOneway || m.desc.Oneway
	adm, refused := c.s.admit(m, c.remote)
	if refused != "" {
		if oneway {
			return outcome{keep: true}
		}
		return c.exception(w, &wr, m.name, seq, &thrift.ApplicationException{
			Type: thrift.ExceptionInternalError, Message: refused}, true)
	}
	out := c.serveCall(w, &wr, codec, m, seq, oneway, start, n)
	out.adm = adm
	return out
}

// serveCall decodes the arguments of an admitted call of m, whose message
// header codec has read, runs the handler and encodes the reply.
func (c *conn) serveCall(w *worker, wr *wire, codec *thrift.Codec, m *method, seq int32, oneway bool, start time.Time, n int) outcome {
	call := m.desc.NewCall()
	args, ok := call.Args.(thrift.Struct)
	result, _ := call.Result.(thrift.Result)
	if !ok || (result == nil && !oneway) {
		return c.exception(w, wr, m.name, seq, &thrift.ApplicationException{
			Type: thrift.ExceptionInternalError, Message: "method " + m.name + " has no Thrift form"}, true)
	}
	if err := codec.ReadBody(args); err != nil {
		c.s.opts.logger.Debug("osprey: cannot decode arguments", "method", m.name, "remote", c.remote, "err", err)
		if oneway {
			return outcome{keep: true}
		}
		return c.exception(w, wr, m.name, seq, &thrift.ApplicationException{
			Type: thrift.ExceptionProtocolError, Message: "cannot decode arguments of " + m.name + ": " + err.Error()}, true)
	}

	h := call.Info
	if h == nil {
		h = new(rpcinfo.Holder)
	}
	var ctx context.Context
	var ri *rpcinfo.Info
	if wr.ttheader {
		var deadline time.Time
		if timeout := ttmeta.Timeout(&w.req); timeout > 0 {
			deadline = start.Add(timeout)
		}
		ctx, ri = h.InitDeadline(c.s.baseCtx, deadline)
		ttmeta.ReadRequest(&w.req, ri, &w.names)
		ri.Deadline = deadline
		defer h.Close()
	} else {
		ctx, ri = h.Init(c.s.baseCtx)
	}
	// Plain Thrift drops backward values: a handler serving every
	// protocol need not care which one its call came by.
	ri.EnableBackward()
	ri.Role, ri.Service, ri.Method, ri.Oneway = rpcinfo.Server, m.service, m.name, oneway
	ri.Protocol, ri.SeqID, ri.LocalAddr, ri.RemoteAddr = wr.name(), seq, c.local, c.remote
	ri.Start, ri.BytesIn, ri.Attempt = start, n, 1
	err := c.invoke(m, ctx, args, call.Result)
	if oneway {
		if err != nil {
			c.s.opts.logger.Warn("osprey: oneway call failed", "method", m.name, "remote", c.remote, "err", err)
		}
		ri.End = time.Now()
		return outcome{keep: true}
	}
	var exc *thrift.ApplicationException
	var biz *status.Error
	if err != nil && !result.SetThriftException(err) {
		if se, ok := status.FromError(err); ok && wr.ttheader && se.Business() {
			biz = se // docs/spec/ttheader.md §7.3: an empty reply with biz-status
		} else {
			exc = thrift.ExceptionFor(err)
		}
	}
	p := c.encodeReply(w, wr, ri, biz, m.name, seq, result, exc)
	ri.End = time.Now()
	ri.BytesOut = len(*p)
	return outcome{reply: p, keep: true}
}

// exception returns the reply carrying exc, and whether the connection
// stays open after it.
func (c *conn) exception(w *worker, wr *wire, name string, seq int32, exc *thrift.ApplicationException, keep bool) outcome {
	return outcome{reply: c.encodeReply(w, wr, nil, nil, name, seq, nil, exc), keep: keep}
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

// encodeReply encodes a REPLY carrying result, or an EXCEPTION carrying exc
// when it is not nil, framed the way the request was. A reply whose encoder
// fails or panics becomes an INTERNAL_ERROR exception.
func (c *conn) encodeReply(w *worker, wr *wire, ri *rpcinfo.Info, biz *status.Error, name string, seq int32, result thrift.Struct, exc *thrift.ApplicationException) *[]byte {
	typ, body := thrift.MessageReply, result
	if exc != nil {
		typ, body = thrift.MessageException, exc
	}
	p, err := c.encode(w, wr, ri, biz, name, typ, seq, body)
	if err != nil {
		c.s.opts.logger.Error("osprey: encoding reply failed", "method", name, "remote", c.remote, "err", err)
		p, _ = c.encode(w, wr, nil, nil, name, thrift.MessageException, seq, &thrift.ApplicationException{
			Type: thrift.ExceptionInternalError, Message: "internal error: cannot encode reply"})
	}
	return p
}

// encode builds a message, turning a panic in a hand-written body's
// encoder into an error: the reply is encoded outside the handler's
// recovery.
func (c *conn) encode(w *worker, wr *wire, ri *rpcinfo.Info, biz *status.Error, name string, typ thrift.MessageType, seq int32, body thrift.Struct) (p *[]byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic encoding %T: %v", body, r)
		}
	}()
	codec := w.codec(wr.enc)
	if !wr.ttheader {
		return thriftio.Encode(codec, wr.framing, name, typ, seq, body)
	}
	h := &w.reply
	h.Reset()
	h.SeqID, h.Protocol = seq, w.req.Protocol
	if ri != nil {
		ttmeta.Reply(h, &w.scratch, ri, biz)
	}
	if c.s.draining.Load() {
		// docs/spec/ttheader.md §7.4: the connection closes after this
		// reply; the client must not send on it again.
		h.AddStr(ttheader.KeyConnReset, "1")
	}
	return thriftio.EncodeTTHeader(codec, h, wr.innerFramed, name, typ, seq, body)
}

// writeOut writes a reply inline: straight to the socket inside a session,
// or through the net.Conn. It reports whether the connection may go on.
func (c *conn) writeOut(p *[]byte) bool {
	c.since.Store(c.s.clock.Load())
	c.state.CompareAndSwap(stateBusy, stateWriting)
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
