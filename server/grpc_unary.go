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
func (c *conn) serveGRPCUnary(st *h2.Stream, req *grpcRequest, m *method, call service.Call) {
	start := time.Now()
	args, result := call.Args, call.Result
	ss := c.newGRPCServerStream(st, req)
	err := ss.checkEncoding()
	if err == nil {
		err = readOne(ss, args)
	}
	if err != nil {
		ss.finish(status.Convert(err), nil)
		return
	}
	ctx, ri, h := c.grpcCallInfo(ss, m, call, start)
	defer h.Close()
	ri.BytesIn = ss.read
	err = c.invoke(m, ctx, args, result)
	if err == nil {
		ri.BytesOut, err = ss.sendMsg(result)
	}
	ss.finish(status.Convert(err), ri.Backward())
	ri.End = time.Now()
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

// appendBackward appends the trailer fields carrying backward values.
func appendBackward(dst []hpack.HeaderField, pairs []metainfo.Pair) []hpack.HeaderField {
	for _, p := range pairs {
		if k, ok := grpc.MetadataKey(grpc.Backward, p.Key); ok && grpc.ValidValue(p.Value) {
			dst = append(dst, hpack.HeaderField{Name: k, Value: p.Value})
		}
	}
	return dst
}

// writeGRPCStatus answers a request that is no call of the server with a
// trailers-only response carrying se (docs/spec/grpc.md §3.4).
func writeGRPCStatus(st *h2.Stream, accept string, se *status.Error) {
	var fa [8]hpack.HeaderField
	st.WriteTrailer(appendStatusFields(appendResponseHeader(fa[:0], accept), se, nil))
}

// appendResponseHeader appends the fixed fields that begin every gRPC
// response (docs/spec/grpc.md §3.2).
func appendResponseHeader(dst []hpack.HeaderField, accept string) []hpack.HeaderField {
	return append(dst,
		hpack.HeaderField{Name: ":status", Value: "200"},
		hpack.HeaderField{Name: "content-type", Value: "application/grpc"},
		hpack.HeaderField{Name: "grpc-accept-encoding", Value: accept})
}

// appendStatusFields appends the trailer fields of a call's status, its
// details and the backward values.
func appendStatusFields(fields []hpack.HeaderField, se *status.Error, backward []metainfo.Pair) []hpack.HeaderField {
	fields = append(fields, hpack.HeaderField{Name: "grpc-status", Value: grpc.FormatCode(se.Code())})
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
	return appendBackward(fields, backward)
}
