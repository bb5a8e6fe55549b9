package server

import (
	"errors"

	"golang.org/x/net/http2/hpack"

	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/internal/bufpool"
	"github.com/ospreyrpc/osprey/metainfo"
	"github.com/ospreyrpc/osprey/protocol/grpc"
	"github.com/ospreyrpc/osprey/status"
)

// The grpcServerStream of a call is also its grpc.ServerTransport: the
// per-call state that grpc.SetHeader and the rest find through the call's
// rpcinfo.Info.Transport (docs/spec/grpc.md §7.4), so custom metadata and
// compression cost no allocation beyond the stream the call has anyway.
var _ grpc.ServerTransport = (*grpcServerStream)(nil)

var (
	errHeaderSent = status.New(codes.Internal, "grpc: the response headers have been sent")
	errCallDone   = status.New(codes.Internal, "grpc: the call has ended")
)

// Incoming returns the request's custom metadata.
func (s *grpcServerStream) Incoming() grpc.MD {
	return incomingMD(s.st.Header())
}

// SetHeader adds md to the response headers, before they are sent.
func (s *grpcServerStream) SetHeader(md grpc.MD) error { return s.addHeader(md, false) }

// SendHeader adds md to the response headers and sends them.
func (s *grpcServerStream) SendHeader(md grpc.MD) error { return s.addHeader(md, true) }

// addHeader adds md to the response headers, which must not have been
// sent, and sends them if send is set.
func (s *grpcServerStream) addHeader(md grpc.MD, send bool) error {
	if err := grpc.CheckMD(md); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.headerSent {
		return errHeaderSent
	}
	s.header = merge(s.header, md)
	if send {
		return s.writeHeaderLocked()
	}
	return nil
}

// SetTrailer adds md to the trailers, until the call ends.
func (s *grpcServerStream) SetTrailer(md grpc.MD) error {
	if err := grpc.CheckMD(md); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done {
		return errCallDone
	}
	s.trailer = merge(s.trailer, md)
	return nil
}

// SetSendCompressor picks the response messages' encoding, before the
// headers are sent: one of the server's that the client accepts.
func (s *grpcServerStream) SetSendCompressor(name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.headerSent {
		return errHeaderSent
	}
	if name == "identity" {
		s.sendComp = nil
		return nil
	}
	c := s.o.compressors[name]
	if c == nil {
		return status.Errorf(codes.Internal, "grpc: the server has no compressor %q (it has %s)", name, s.o.accept)
	}
	if !grpc.AcceptsEncoding(s.req.accept, name) {
		return status.Errorf(codes.Internal, "grpc: the client does not accept encoding %q", name)
	}
	s.sendComp = c
	return nil
}

// SetMessageCompression turns compression of the following response
// messages off or back on (grpc.MessageFlags).
func (s *grpcServerStream) SetMessageCompression(on bool) {
	s.mu.Lock()
	s.plain = !on
	s.mu.Unlock()
}

// RecvCompressed reports whether the last request message was compressed
// (grpc.MessageFlags).
func (s *grpcServerStream) RecvCompressed() bool { return s.lastComp }

// merge adds the values of src to dst, allocating dst if nil.
func merge(dst, src grpc.MD) grpc.MD {
	if len(src) == 0 {
		return dst
	}
	if dst == nil {
		dst = make(grpc.MD, len(src))
	}
	for k, vs := range src {
		dst[k] = append(dst[k], vs...)
	}
	return dst
}

// headerFieldsLocked appends the response headers: the fixed ones, the
// message encoding (not in a trailers-only response) and the custom
// metadata (docs/spec/grpc.md §3.2).
func (s *grpcServerStream) headerFieldsLocked(dst []hpack.HeaderField, messages bool) []hpack.HeaderField {
	dst = appendResponseHeader(dst, s.o.accept)
	if messages && s.sendComp != nil {
		dst = append(dst, hpack.HeaderField{Name: "grpc-encoding", Value: s.sendComp.Name()})
	}
	return appendMD(dst, s.header)
}

// writeHeaderLocked sends the response headers.
func (s *grpcServerStream) writeHeaderLocked() error {
	s.headerSent = true
	var fields [8]hpack.HeaderField // on the stack: h2 keeps no field
	if err := s.st.WriteHeader(s.headerFieldsLocked(fields[:0], true)); err != nil {
		return status.Wrap(codes.Unavailable, err)
	}
	return nil
}

// finish ends the call with se (nil: OK), the trailer metadata and the
// backward values: in trailers, or in a trailers-only response with the
// header metadata when no header was sent (docs/spec/grpc.md §3.3, §3.4).
func (s *grpcServerStream) finish(se *status.Error, backward []metainfo.Pair) {
	if se == nil {
		se = status.New(codes.OK, "")
	}
	if s.rbuf != nil {
		s.mr.Reset() // it may hold a view of the buffer
		s.releaseReadBuf()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var fields [8]hpack.HeaderField // on the stack: h2 keeps no field
	f := fields[:0]
	if !s.headerSent {
		f = s.headerFieldsLocked(f, false)
	}
	s.headerSent, s.done = true, true
	f = appendStatusFields(f, se, backward)
	s.st.WriteTrailer(appendMD(f, s.trailer))
}

// appendMD appends md as header fields, "-bin" values in base64.
func appendMD(dst []hpack.HeaderField, md grpc.MD) []hpack.HeaderField {
	for k, vs := range md {
		for _, v := range vs {
			if grpc.IsBinaryKey(k) {
				v = grpc.EncodeBinaryHeader([]byte(v))
			}
			dst = append(dst, hpack.HeaderField{Name: k, Value: v})
		}
	}
	return dst
}

// checkEncoding finds the compressor of the request's grpc-encoding: an
// encoding the server lacks is Unimplemented (docs/spec/grpc.md §10.8),
// the response listing the ones it has in grpc-accept-encoding.
func (s *grpcServerStream) checkEncoding() error {
	switch e := s.req.encoding; e {
	case "", "identity":
	default:
		s.recvComp = s.o.compressors[e]
		if s.recvComp == nil {
			return status.Errorf(codes.Unimplemented, "grpc: message encoding %q is not supported (supported: %s)", e, s.o.accept)
		}
	}
	return nil
}

// decompress decodes a compressed request message into the stream's
// reused buffer, bounded by the receive limit.
func (s *grpcServerStream) decompress(msg []byte) ([]byte, error) {
	if s.recvComp == nil {
		return nil, status.New(codes.Internal, "grpc: compressed message without a grpc-encoding")
	}
	out, err := s.recvComp.Decompress(s.dbuf[:0], msg, s.o.maxRecv)
	if err != nil {
		var se *status.Error
		if !errors.As(err, &se) {
			err = status.Errorf(codes.Internal, "grpc: bad %s message: %v", s.recvComp.Name(), err)
		}
		return nil, err
	}
	if len(out) > s.o.maxRecv {
		return nil, status.Errorf(codes.ResourceExhausted, "grpc: decompressed message larger than the limit of %d bytes", s.o.maxRecv)
	}
	s.dbuf = out
	return out, nil
}

// sendMsg encodes m (grpc.AppendBody) and sends it as one response
// message, compressed if the call compresses, sending the headers first if
// they have not been; it returns the bytes written. The message is encoded
// into a pooled buffer after room for its 5-byte prefix, and the buffer is
// back in the pool when sendMsg returns: the HTTP/2 layer has copied it.
func (s *grpcServerStream) sendMsg(m any) (int, error) {
	bp := bufpool.Get(grpc.MessageHeaderLen + bodySizeHint(m))
	defer bufpool.Put(bp)
	b, err := appendBody(append(*bp, make([]byte, grpc.MessageHeaderLen)...), m)
	*bp = b[:0]
	if err != nil {
		return 0, err
	}
	payload := b[grpc.MessageHeaderLen:]
	if len(payload) > s.o.maxSend {
		return 0, status.Errorf(codes.ResourceExhausted, "grpc: trying to send message larger than max (%d vs. %d)", len(payload), s.o.maxSend)
	}
	s.mu.Lock()
	if s.done {
		s.mu.Unlock()
		return 0, errCallDone
	}
	if !s.headerSent {
		if err := s.writeHeaderLocked(); err != nil {
			s.mu.Unlock()
			return 0, err
		}
	}
	comp := s.sendComp
	if s.plain {
		comp = nil
	}
	s.mu.Unlock()
	out := grpc.AppendMessageHeader(b[:0], false, len(payload))[:len(b)]
	if comp != nil {
		zp := bufpool.Get(grpc.MessageHeaderLen + len(payload)/2 + 64)
		defer bufpool.Put(zp)
		z, err := comp.Compress(append(*zp, make([]byte, grpc.MessageHeaderLen)...), payload)
		*zp = z[:0]
		if err != nil {
			return 0, status.Wrap(codes.Internal, err)
		}
		out = grpc.AppendMessageHeader(z[:0], true, len(z)-grpc.MessageHeaderLen)[:len(z)]
	}
	n, err := s.st.Write(out)
	if err != nil {
		return n, status.Wrap(codes.Unavailable, err)
	}
	return n, nil
}

// sizer is a message with Osprey's generated fast paths, which knows its
// encoded size.
type sizer interface{ SizeGRPC() int }

// bodySizeHint guesses the size of m's encoding, exactly for messages with
// generated fast paths.
func bodySizeHint(m any) int {
	if r, ok := m.(*grpc.Reply); ok {
		m = r.Msg
	}
	if sz, ok := m.(sizer); ok {
		return sz.SizeGRPC()
	}
	return 4 << 10
}

// appendBody appends m's encoding (grpc.AppendBody), turning a panic in
// its encoder into an Internal error.
func appendBody(dst []byte, m any) (b []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			b, err = dst, status.Errorf(codes.Internal, "grpc: panic encoding the reply: %v", r)
		}
	}()
	b, err = grpc.AppendBody(dst, m)
	if err != nil {
		var se *status.Error
		if !errors.As(err, &se) {
			err = status.Wrap(codes.Internal, err)
		}
	}
	return b, err
}
