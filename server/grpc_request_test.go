package server

import (
	"bytes"
	"testing"
	"time"

	"golang.org/x/net/http2/hpack"

	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/status"
)

var grpcRequestFields = []hpack.HeaderField{
	{Name: ":method", Value: "POST"}, {Name: ":scheme", Value: "http"},
	{Name: ":path", Value: "/pkg.Svc/Method"}, {Name: ":authority", Value: "x"},
	{Name: "content-type", Value: "application/grpc+proto"},
	{Name: "te", Value: "trailers"},
	{Name: "grpc-timeout", Value: "1500m"},
	{Name: "grpc-encoding", Value: "gzip"},
	{Name: "grpc-accept-encoding", Value: "gzip,identity"},
	{Name: "rpc-persist-trace-id", Value: "t1"},
	{Name: "x-user", Value: "u"},
	{Name: "x-id-bin", Value: "AAEC"},
	{Name: "grpc-timeout", Value: "junk, the first counts"},
}

func TestParseGRPCRequest(t *testing.T) {
	r, err := parseGRPCRequest(grpcRequestFields)
	want := grpcRequest{method: "POST", path: "/pkg.Svc/Method", contentType: "application/grpc+proto",
		timeout: 1500 * time.Millisecond, hasTimeout: true, encoding: "gzip", accept: "gzip,identity"}
	if err != nil || r != want || !r.isGRPC() {
		t.Errorf("got %+v %v, want %+v", r, err, want)
	}
	md := incomingMD(grpcRequestFields)
	if len(md) != 3 || md["x-user"][0] != "u" || md["x-id-bin"][0] != "\x00\x01\x02" || md["rpc-persist-trace-id"][0] != "t1" {
		t.Errorf("metadata %q", md)
	}
	if mi := incomingGRPCMetadata(grpcRequestFields); mi.Size() != len("TRACE_ID")+len("t1") {
		t.Errorf("metainfo of %d bytes", mi.Size())
	}
	for _, bad := range []string{"", "1", "123456789S", "-1S", "1x"} {
		_, err := parseGRPCRequest([]hpack.HeaderField{{Name: "grpc-timeout", Value: bad}})
		if status.Code(err) != codes.Internal {
			t.Errorf("grpc-timeout %q: %v, want Internal", bad, err)
		}
	}
	if r, _ := parseGRPCRequest(grpcRequestFields[1:]); r.isGRPC() {
		t.Error("a request without :method is gRPC")
	}
}

// FuzzGRPCRequestHeaders decodes an HPACK block, bounded as the HTTP/2
// layer bounds it, into header fields and reads them as a gRPC request:
// it must not panic, must be deterministic, and what it keeps must be no
// larger than what it was given.
func FuzzGRPCRequestHeaders(f *testing.F) {
	var buf bytes.Buffer
	enc := hpack.NewEncoder(&buf)
	for _, fl := range grpcRequestFields {
		enc.WriteField(fl)
	}
	f.Add(bytes.Clone(buf.Bytes()))
	buf.Reset()
	enc.WriteField(hpack.HeaderField{Name: "grpc-timeout", Value: "99999999H"})
	enc.WriteField(hpack.HeaderField{Name: "a-bin", Value: "////"})
	f.Add(bytes.Clone(buf.Bytes()))
	f.Add([]byte{0x82, 0x86, 0x84})
	f.Fuzz(func(t *testing.T, block []byte) {
		var fields []hpack.HeaderField
		size := 0
		dec := hpack.NewDecoder(4096, func(f hpack.HeaderField) {
			fields = append(fields, f)
			size += len(f.Name) + len(f.Value)
		})
		dec.SetMaxStringLength(16 << 10)
		if _, err := dec.Write(block); err != nil || dec.Close() != nil {
			return
		}
		r, err := parseGRPCRequest(fields)
		r2, err2 := parseGRPCRequest(fields)
		if r != r2 || (err == nil) != (err2 == nil) {
			t.Fatalf("not deterministic: %+v %v, then %+v %v", r, err, r2, err2)
		}
		if err != nil && status.Code(err) != codes.Internal {
			t.Fatalf("error %v, want Internal", err)
		}
		if r.hasTimeout && r.timeout <= 0 {
			t.Fatalf("timeout %v", r.timeout)
		}
		kept := 0
		for k, vs := range incomingMD(fields) {
			for _, v := range vs {
				kept += len(k) + len(v)
			}
		}
		mi := incomingGRPCMetadata(fields)
		kept += mi.Size()
		if kept > 2*size {
			t.Fatalf("kept %d bytes of metadata from %d bytes of fields", kept, size)
		}
	})
}
