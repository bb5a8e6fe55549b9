package client

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"

	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/internal/h2"
	"github.com/ospreyrpc/osprey/protocol/grpc"
	"github.com/ospreyrpc/osprey/rpcinfo"
	"github.com/ospreyrpc/osprey/status"
)

// userAgent is the user-agent of gRPC requests (docs/spec/grpc.md §3.1).
// There is no release version yet.
const userAgent = "osprey-go/0"

// paths caches "/" + service + "/" + method per target, copied on write so
// that calls read it without a lock.
type paths struct {
	mu sync.Mutex
	m  atomic.Pointer[map[[2]string]string]
}

func (ps *paths) get(svc, method string) string {
	if m := ps.m.Load(); m != nil {
		if p, ok := (*m)[[2]string{svc, method}]; ok {
			return p
		}
	}
	ps.mu.Lock()
	defer ps.mu.Unlock()
	next := map[[2]string]string{}
	if m := ps.m.Load(); m != nil {
		for k, v := range *m {
			next[k] = v
		}
	}
	p := "/" + svc + "/" + method
	next[[2]string{svc, method}] = p
	ps.m.Store(&next)
	return p
}

// requestFields appends a call's request header fields to fs (spec §3.1):
// the pseudo-headers, content-type, te, user-agent, the encodings, the
// metainfo values (spec §8) and the user's metadata (grpc.MD). It returns
// an Internal error, before anything is sent, for user metadata that may
// not be sent.
func (p *grpcPool) requestFields(fs []hpack.HeaderField, ctx context.Context, ri *rpcinfo.Info, sendEnc string) ([]hpack.HeaderField, error) {
	fs = append(fs,
		hpack.HeaderField{Name: ":method", Value: "POST"},
		hpack.HeaderField{Name: ":scheme", Value: p.scheme},
		hpack.HeaderField{Name: ":path", Value: p.t.paths.get(ri.Service, ri.Method)},
		hpack.HeaderField{Name: ":authority", Value: p.authority},
		hpack.HeaderField{Name: "content-type", Value: "application/grpc"},
		hpack.HeaderField{Name: "user-agent", Value: userAgent},
		hpack.HeaderField{Name: "te", Value: "trailers"},
	)
	if p.t.acceptEncoding != "" {
		fs = append(fs, hpack.HeaderField{Name: "grpc-accept-encoding", Value: p.t.acceptEncoding})
	}
	if sendEnc != "" {
		fs = append(fs, hpack.HeaderField{Name: "grpc-encoding", Value: sendEnc})
	}
	persistent, transient := ri.Metadata.Outgoing()
	for _, pr := range persistent {
		if k, ok := grpc.MetadataKey(grpc.Persistent, pr.Key); ok && grpc.ValidValue(pr.Value) {
			fs = append(fs, hpack.HeaderField{Name: k, Value: pr.Value})
		}
	}
	for _, pr := range transient {
		if k, ok := grpc.MetadataKey(grpc.Transient, pr.Key); ok && grpc.ValidValue(pr.Value) {
			fs = append(fs, hpack.HeaderField{Name: k, Value: pr.Value})
		}
	}
	var bad string
	grpc.RangeOutgoing(ctx, func(k, v string) {
		switch {
		case bad != "":
		case !grpc.ValidKey(k) || grpc.IsReservedHeader(k):
			bad = "metadata key " + k + " may not be sent"
		case grpc.IsBinaryKey(k):
			fs = append(fs, hpack.HeaderField{Name: k, Value: grpc.EncodeBinaryHeader([]byte(v))})
		case !grpc.ValidValue(v):
			bad = "metadata value of " + k + " is not printable ASCII"
		default:
			fs = append(fs, hpack.HeaderField{Name: k, Value: v})
		}
	})
	if bad != "" {
		return fs, status.New(codes.Internal, "client: "+bad).WithNotSent()
	}
	return fs, nil
}

// resetCode is the gRPC code of a stream the server reset (the gRPC spec's
// "Errors" table).
func resetCode(e *h2.ResetError) codes.Code {
	switch e.Code {
	case http2.ErrCodeRefusedStream:
		return codes.Unavailable
	case http2.ErrCodeCancel:
		return codes.Canceled
	case http2.ErrCodeEnhanceYourCalm:
		return codes.ResourceExhausted
	case http2.ErrCodeInadequateSecurity:
		return codes.PermissionDenied
	}
	return codes.Internal
}

// httpCode is the gRPC code of a response whose :status is not 200 (the
// gRPC spec's http-grpc-status-mapping).
func httpCode(st string) codes.Code {
	switch st {
	case "400":
		return codes.Internal
	case "401":
		return codes.Unauthenticated
	case "403":
		return codes.PermissionDenied
	case "404":
		return codes.Unimplemented
	case "429", "502", "503", "504":
		return codes.Unavailable
	}
	return codes.Unknown
}

// respState reads a response's headers and trailers.
type respState struct {
	gotHeader bool
	encoding  string // grpc-encoding of the response messages
	comp      grpc.Compressor
}

// header checks the response headers (spec §3.2). A trailers-only
// response is left to trailer.
func (p *grpcPool) header(rs *respState, fields []hpack.HeaderField, trailersOnly bool, md *grpc.ResponseMD) error {
	rs.gotHeader = true
	if trailersOnly {
		return nil
	}
	var st, ct string
	for _, f := range fields {
		switch f.Name {
		case ":status":
			st = f.Value
		case "content-type":
			ct = f.Value
		case "grpc-encoding":
			rs.encoding = f.Value
		default:
			if md != nil && !grpc.IsReservedHeader(f.Name) {
				md.Header = addMD(md.Header, f)
			}
		}
	}
	if st != "200" {
		return status.Errorf(httpCode(st), "client: HTTP status %s from %s", st, p.inst.Addr)
	}
	if !strings.HasPrefix(ct, "application/grpc") {
		return status.Errorf(codes.Unknown, "client: content-type %q from %s is not gRPC", ct, p.inst.Addr)
	}
	if rs.encoding != "" && rs.encoding != "identity" {
		for _, c := range p.t.opts.compressors {
			if c.Name() == rs.encoding {
				rs.comp = c
			}
		}
		if rs.comp == nil {
			return status.Errorf(codes.Internal, "client: response grpc-encoding %q is not one the client accepts", rs.encoding)
		}
	}
	return nil
}

// addMD adds a received field to md, decoding "-bin" values.
func addMD(md grpc.MD, f hpack.HeaderField) grpc.MD {
	v := f.Value
	if grpc.IsBinaryKey(f.Name) {
		b, err := grpc.DecodeBinaryHeader(v)
		if err != nil {
			return md
		}
		v = string(b)
	}
	if md == nil {
		md = grpc.MD{}
	}
	md[f.Name] = append(md[f.Name], v)
	return md
}

// trailer reads the call's status from its trailers (spec §3.3, §5, §6),
// or from a trailers-only response (§3.4), records backward metainfo
// values (§8) and user trailers, and returns the status as an error (nil
// for OK).
func (p *grpcPool) trailer(fields []hpack.HeaderField, trailersOnly bool, ri *rpcinfo.Info, md *grpc.ResponseMD) error {
	var code, msg, details, st string
	found := false
	for _, f := range fields {
		switch f.Name {
		case "grpc-status":
			code, found = f.Value, true
		case "grpc-message":
			msg = f.Value
		case "grpc-status-details-bin":
			details = f.Value
		case ":status":
			st = f.Value
		default:
			if kind, key, ok := grpc.ParseMetadataKey(f.Name); ok && kind == grpc.Backward {
				ri.Metadata.Received(key, f.Value)
			}
			if md != nil && !grpc.IsReservedHeader(f.Name) {
				md.Trailer = addMD(md.Trailer, f)
			}
		}
	}
	if trailersOnly && st != "200" {
		return status.Errorf(httpCode(st), "client: HTTP status %s from %s", st, p.inst.Addr)
	}
	if !found {
		return status.Errorf(codes.Internal, "client: response from %s has no grpc-status", p.inst.Addr)
	}
	c, err := grpc.ParseCode(code)
	if err != nil {
		return status.Errorf(codes.Internal, "client: malformed grpc-status %q from %s", code, p.inst.Addr)
	}
	if c == codes.OK {
		return nil
	}
	se := status.Remote(c, grpc.DecodeMessage(msg), nil)
	if details != "" {
		if b, err := grpc.DecodeBinaryHeader(details); err == nil {
			if _, _, ds, err := grpc.UnmarshalStatus(b); err == nil && len(ds) > 0 {
				anys := make([]any, len(ds))
				for i, d := range ds {
					anys[i] = d
				}
				se = se.WithDetails(anys...)
			}
		}
	}
	return se
}

// timeoutValue is a grpc-timeout value in whole milliseconds.
type timeoutValue struct {
	ms int64
	s  string
}

// appendTimeout adds the call's grpc-timeout for the time left, d, to a
// request: from 100 ms up, in whole milliseconds rounded up, as a
// field of fs, which HPACK may index: calls made with the same timeout
// then send the same value, which the dynamic tables hold, so neither side
// allocates for it (the last value's string is kept for the next call).
// Shorter timeouts keep their precision and go as a literal that is not
// indexed into raw. The server's deadline is at most a millisecond later
// than the caller's.
func (p *grpcPool) appendTimeout(fs []hpack.HeaderField, raw []byte, d time.Duration) ([]hpack.HeaderField, []byte, uint32) {
	ms := int64((d + time.Millisecond - 1) / time.Millisecond)
	if d < 100*time.Millisecond || ms > 99999999 { // grpc-timeout has at most 8 digits
		var tbuf [16]byte
		raw, size := h2.AppendLiteral(raw, "grpc-timeout", grpc.AppendTimeout(tbuf[:0], d))
		return fs, raw, size
	}
	v := p.timeout.Load()
	if v == nil || v.ms != ms {
		var b [24]byte
		v = &timeoutValue{ms: ms, s: string(append(strconv.AppendInt(b[:0], ms, 10), 'm'))}
		p.timeout.Store(v)
	}
	return append(fs, hpack.HeaderField{Name: "grpc-timeout", Value: v.s}), raw, 0
}
