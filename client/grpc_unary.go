package client

import (
	"context"
	"encoding/binary"
	"errors"
	"time"

	"golang.org/x/net/http2/hpack"

	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/internal/bufpool"
	"github.com/ospreyrpc/osprey/internal/h2"
	"github.com/ospreyrpc/osprey/protocol/grpc"
	"github.com/ospreyrpc/osprey/rpcinfo"
	"github.com/ospreyrpc/osprey/status"
)

// call makes a unary gRPC call: HEADERS and the request message with
// END_STREAM, normally in one write, then the response read as it comes
// by the connection's reader (docs/spec/grpc.md §15).
func (p *grpcPool) call(ctx context.Context, t *target, a attempt) error {
	for try := 0; ; try++ {
		err := p.callOnce(ctx, a)
		if err == nil || try == maxRefusedRetries || !refused(err) {
			return err
		}
		// The server did not process it: safe to send again, after a
		// moment for the server to finish the streams it counts.
		if wait := time.Duration(try) * time.Millisecond; time.Now().Add(wait).Before(a.ri.Deadline) {
			time.Sleep(wait)
			continue
		}
		return err
	}
}

// refused reports whether err is a stream the server refused unprocessed.
func refused(err error) bool {
	var r *h2.RefusedError
	return errors.As(err, &r)
}

// maxRefusedRetries is how many times a unary call is sent again after
// the server refused its stream unprocessed (RST_STREAM(REFUSED_STREAM),
// or above a GOAWAY's last stream id), as grpc-go's transparent retry;
// the n-th retry waits n ms.
const maxRefusedRetries = 8

func (p *grpcPool) callOnce(ctx context.Context, a attempt) error {
	ri := a.ri
	comp, err := p.sendCompressor(ctx)
	if err != nil {
		return err
	}
	buf := bufpool.Get(4 << 10)
	msg, err := encodeMessage((*buf)[:0], a.args, comp)
	if err != nil {
		bufpool.Put(buf)
		return status.Convert(err).WithNotSent()
	}
	var fa [16]hpack.HeaderField
	fields, err := p.requestFields(fa[:0], ctx, ri, compName(comp))
	if err != nil {
		bufpool.Put(buf)
		return err
	}
	var rawArr [48]byte
	fields, raw, rawSize := p.appendTimeout(fields, rawArr[:0], time.Until(ri.Deadline))
	req := h2.Request{Fields: fields, Raw: raw, RawSize: rawSize, Data: msg, End: true, Stop: ctx.Done()}
	s, cc, err := p.open(ctx, &req, ri.Deadline)
	ri.BytesOut = len(msg)
	*buf = msg[:0]
	bufpool.Put(buf)
	if err != nil {
		return err
	}
	ri.LocalAddr, ri.RemoteAddr = cc.LocalAddr(), cc.RemoteAddr()
	err = p.readUnary(ctx, s, ri, a.result, a.abort)
	s.Release() // resets the stream if it is still open (an error, a cancel)
	p.streamEnded()
	ri.End = time.Now()
	return err
}

// sendCompressor is the compressor of a call's request messages: the
// call's grpc.WithSendCompressor, else WithSendCompression, else none.
func (p *grpcPool) sendCompressor(ctx context.Context) (grpc.Compressor, error) {
	name := p.t.opts.sendCompression
	if n, ok := grpc.SendCompressorFromContext(ctx); ok {
		name = n
	}
	if name == "" || name == "identity" {
		return nil, nil
	}
	for _, c := range p.t.opts.compressors {
		if c.Name() == name {
			return c, nil
		}
	}
	return nil, status.Errorf(codes.Internal, "client: no compressor %q (see WithCompressors)", name).WithNotSent()
}

func compName(c grpc.Compressor) string {
	if c == nil {
		return ""
	}
	return c.Name()
}

// encodeMessage appends m as a length-prefixed message (spec §2) to dst,
// compressed with comp if not nil.
func encodeMessage(dst []byte, m any, comp grpc.Compressor) ([]byte, error) {
	start := len(dst)
	dst = append(dst, 0, 0, 0, 0, 0)
	dst, err := grpc.AppendBody(dst, m)
	if err != nil {
		return dst[:start], err
	}
	if comp != nil {
		zb := bufpool.Get(len(dst) - start)
		z, err := comp.Compress((*zb)[:0], dst[start+grpc.MessageHeaderLen:])
		if err != nil {
			bufpool.Put(zb)
			return dst[:start], err
		}
		dst = append(dst[:start+grpc.MessageHeaderLen], z...)
		*zb = z[:0]
		bufpool.Put(zb)
		dst[start] = 1
	}
	binary.BigEndian.PutUint32(dst[start+1:], uint32(len(dst)-start-grpc.MessageHeaderLen))
	return dst, nil
}

// decodeMessage decodes one response message into m.
func decodeMessage(rs *respState, msg []byte, compressed bool, m any, max int) error {
	if compressed {
		if rs.comp == nil {
			return status.New(codes.Internal, "client: compressed response message without a grpc-encoding")
		}
		zb := bufpool.Get(4 * len(msg))
		out, err := rs.comp.Decompress((*zb)[:0], msg, max)
		if err != nil {
			bufpool.Put(zb)
			return err
		}
		err = grpc.UnmarshalBody(out, m)
		*zb = out[:0]
		bufpool.Put(zb)
		if err != nil {
			return status.Errorf(codes.Internal, "client: cannot decode the response: %v", err)
		}
		return nil
	}
	if err := grpc.UnmarshalBody(msg, m); err != nil {
		return status.Errorf(codes.Internal, "client: cannot decode the response: %v", err)
	}
	return nil
}

// readUnary reads a unary call's response into result: headers, exactly
// one message, trailers; it gives up at the call's deadline or when ctx
// ends. It waits first (the stream is new: whatever arrives signals
// Ready), then takes what has arrived with one Snapshot, usually all of
// it.
func (p *grpcPool) readUnary(ctx context.Context, s *h2.ClientStream, ri *rpcinfo.Info, result any, abort chan struct{}) error {
	md := grpc.ResponseMDFromContext(ctx)
	var rs respState
	var mr grpc.MessageReader
	mr.MaxSize = p.t.opts.grpcMaxMessageSize()
	got, consumed := 0, 0
	timer := timerPool.Get().(*time.Timer)
	timer.Reset(time.Until(ri.Deadline))
	defer func() {
		timer.Stop()
		timerPool.Put(timer)
	}()
	for {
		select {
		case <-s.Ready():
		case <-ctx.Done():
			return contextError(ctx, ctx.Err())
		case <-abort: // nil unless a backup request may win
			return errAborted
		case <-timer.C:
			return deadlineError(ctx)
		}
		for {
			snap := s.Snapshot(consumed)
			consumed = 0
			if snap.Err != nil && !snap.Ended {
				return p.streamError(ctx, snap.Err, "receive from")
			}
			if !rs.gotHeader {
				if snap.Header == nil {
					break
				}
				if err := p.header(&rs, snap.Header, snap.TrailersOnly, md); err != nil {
					return err
				}
			}
			if len(snap.Data) > 0 {
				ri.BytesIn += len(snap.Data)
				mr.Feed(snap.Data)
				for {
					msg, compressed, ok, err := mr.Next()
					if err != nil {
						return err
					}
					if !ok {
						break
					}
					if got++; got > 1 {
						return status.New(codes.Internal, "client: more than one response message to a unary call")
					}
					if md != nil {
						md.RecvCompressed = compressed
					}
					if err := decodeMessage(&rs, msg, compressed, result, mr.MaxSize); err != nil {
						return err
					}
				}
				if !snap.Ended {
					consumed = len(snap.Data)
					continue
				}
			}
			if !snap.Ended {
				break
			}
			if err := mr.Close(); err != nil {
				return err
			}
			if err := p.trailer(snap.Trailer, snap.TrailersOnly, ri, md); err != nil {
				return err
			}
			if got != 1 {
				return status.New(codes.Internal, "client: no response message to a unary call")
			}
			return nil
		}
	}
}

// deadlineError is the error of a call whose deadline passed: the
// context's, or the client's call timeout.
func deadlineError(ctx context.Context) error {
	if d, ok := ctx.Deadline(); ok && !time.Now().Before(d) {
		return contextError(ctx, context.DeadlineExceeded)
	}
	return status.New(codes.DeadlineExceeded, "client: call timed out waiting for the reply")
}
