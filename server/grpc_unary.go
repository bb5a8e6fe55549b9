package server

import (
	"errors"
	"io"
	"time"

	"golang.org/x/net/http2/hpack"

	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/internal/h2"
	"github.com/ospreyrpc/osprey/metainfo"
	"github.com/ospreyrpc/osprey/protocol/grpc"
	"github.com/ospreyrpc/osprey/service"
	"github.com/ospreyrpc/osprey/status"
)

// serveGRPCUnary serves a unary gRPC call of m on st (docs/spec/grpc.md):
// one request message, the handler through m's middleware chain, and the
// reply, or a trailers-only status.
func (c *conn) serveGRPCUnary(st *h2.Stream, m *method, call service.Call) {
	start := time.Now()
	args, result := call.Args, call.Result
	ss := newGRPCServerStream(st)
	if err := readOne(ss, args); err != nil {
		writeGRPCStatus(st, status.Convert(err), nil)
		return
	}
	ctx, ri, h, err := c.grpcCallInfo(st, m, call, start)
	if err != nil {
		writeGRPCStatus(st, status.Convert(err), nil)
		return
	}
	defer h.Close()
	ri.BytesIn = ss.read
	err = c.invoke(m, ctx, args, result)
	var payload []byte
	if err == nil {
		payload, err = marshal(result)
	}
	if err != nil {
		writeGRPCStatus(st, status.Convert(err), ri.Backward())
		ri.End = time.Now()
		return
	}
	out := grpc.AppendMessage(make([]byte, 0, grpc.MessageHeaderLen+len(payload)), false, payload)
	if st.WriteHeader(responseHeaders) == nil {
		if _, err := st.Write(out); err == nil {
			st.WriteTrailer(append([]hpack.HeaderField{{Name: "grpc-status", Value: "0"}}, backwardFields(ri.Backward())...))
		}
	}
	ri.End, ri.BytesOut = time.Now(), len(out)
}

// responseHeaders start every gRPC response: the server reads gzip
// messages (docs/spec/grpc.md §10.8) and sends them uncompressed.
var responseHeaders = []hpack.HeaderField{
	{Name: ":status", Value: "200"},
	{Name: "content-type", Value: "application/grpc"},
	{Name: "grpc-accept-encoding", Value: grpc.Gzip},
}

// marshal encodes a result (grpc.AppendBody), turning a panic in its
// encoder into an error.
func marshal(m any) (b []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = status.Errorf(codes.Internal, "grpc: panic encoding the reply: %v", r)
		}
	}()
	return grpc.AppendBody(nil, m)
}

// readOne reads a unary call's request: exactly one message, into args.
func readOne(ss *grpcServerStream, args any) error {
	got := 0
	for {
		err := ss.Recv(args)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		got++
	}
	if got != 1 {
		return status.Errorf(codes.Internal, "grpc: a unary call needs one request message, got %d", got)
	}
	return nil
}

// incomingGRPCMetadata reads metainfo values from request headers
// (docs/spec/grpc.md §8).
func incomingGRPCMetadata(fields []hpack.HeaderField) metainfo.Metadata {
	var persistent, transient []metainfo.Pair
	for _, f := range fields {
		kind, key, ok := grpc.ParseMetadataKey(f.Name)
		switch {
		case !ok:
		case kind == grpc.Persistent:
			persistent = append(persistent, metainfo.Pair{Key: key, Value: f.Value})
		case kind == grpc.Transient:
			transient = append(transient, metainfo.Pair{Key: key, Value: f.Value})
		}
	}
	return metainfo.Incoming(persistent, transient)
}

// backwardFields are the trailer fields carrying backward values.
func backwardFields(pairs []metainfo.Pair) []hpack.HeaderField {
	var out []hpack.HeaderField
	for _, p := range pairs {
		if k, ok := grpc.MetadataKey(grpc.Backward, p.Key); ok && grpc.ValidValue(p.Value) {
			out = append(out, hpack.HeaderField{Name: k, Value: p.Value})
		}
	}
	return out
}

// writeGRPCStatus ends the call with a trailers-only response carrying se
// (docs/spec/grpc.md §3).
func writeGRPCStatus(st *h2.Stream, se *status.Error, backward []metainfo.Pair) {
	st.WriteTrailer(append(append([]hpack.HeaderField(nil), responseHeaders...), statusFields(se, backward)...))
}

// statusFields are the trailer fields of a call's status, its details and
// the backward values.
func statusFields(se *status.Error, backward []metainfo.Pair) []hpack.HeaderField {
	fields := []hpack.HeaderField{
		{Name: "grpc-status", Value: grpc.FormatCode(se.Code())},
	}
	if se.Message() != "" {
		fields = append(fields, hpack.HeaderField{Name: "grpc-message", Value: grpc.EncodeMessage(se.Message())})
	}
	var details []grpc.Any
	for _, d := range se.Details() {
		if a, ok := d.(grpc.Any); ok {
			details = append(details, a)
		}
	}
	if len(details) > 0 {
		fields = append(fields, hpack.HeaderField{Name: "grpc-status-details-bin",
			Value: grpc.EncodeBinaryHeader(grpc.MarshalStatus(se.Code(), se.Message(), details))})
	}
	return append(fields, backwardFields(backward)...)
}
