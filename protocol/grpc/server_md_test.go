package grpc_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/protocol/grpc"
	"github.com/ospreyrpc/osprey/rpcinfo"
	"github.com/ospreyrpc/osprey/status"
)

func TestAddReceived(t *testing.T) {
	var md grpc.MD
	for _, f := range [][2]string{
		{":path", "/a/b"}, {"content-type", "application/grpc"}, {"grpc-timeout", "1S"},
		{"x-a", "1"}, {"x-a", "2"}, {"x-b-bin", "AP8"}, {"x-c-bin", "not base64!"},
		{"rpc-persist-k", "v"},
	} {
		md = grpc.AddReceived(md, f[0], f[1])
	}
	want := grpc.MD{"x-a": {"1", "2"}, "x-b-bin": {"\x00\xff"}, "rpc-persist-k": {"v"}}
	if !reflect.DeepEqual(md, want) {
		t.Errorf("got %q, want %q", md, want)
	}
}

func TestCheckMD(t *testing.T) {
	for _, c := range []struct {
		md grpc.MD
		ok bool
	}{
		{grpc.MD{"x-a": {"printable ~"}, "x-b-bin": {"\x00\xff"}}, true},
		{grpc.MD{}, true},
		{grpc.MD{"X-Upper": {"v"}}, false},
		{grpc.MD{"grpc-status": {"0"}}, false},
		{grpc.MD{"content-type": {"text/plain"}}, false},
		{grpc.MD{":path": {"/"}}, false},
		{grpc.MD{"x-a": {"new\nline"}}, false},
		{grpc.MD{"": {"v"}}, false},
	} {
		err := grpc.CheckMD(c.md)
		if (err == nil) != c.ok || err != nil && status.Code(err) != codes.InvalidArgument {
			t.Errorf("%q: %v, want ok=%v", c.md, err, c.ok)
		}
	}
}

func TestAcceptsEncoding(t *testing.T) {
	for _, c := range []struct {
		accept, name string
		want         bool
	}{
		{"gzip", "gzip", true},
		{"identity, deflate ,gzip", "gzip", true},
		{"gzipx,deflate", "gzip", false},
		{"", "gzip", false},
		{",,", "", true},
	} {
		if got := grpc.AcceptsEncoding(c.accept, c.name); got != c.want {
			t.Errorf("AcceptsEncoding(%q, %q) = %v", c.accept, c.name, got)
		}
	}
}

// transport records what the metadata functions hand it.
type transport struct {
	header, trailer grpc.MD
	compressor      string
}

func (t *transport) Incoming() grpc.MD                   { return grpc.MD{"x": {"y"}} }
func (t *transport) SetHeader(md grpc.MD) error          { t.header = md; return nil }
func (t *transport) SendHeader(md grpc.MD) error         { t.header = md; return nil }
func (t *transport) SetTrailer(md grpc.MD) error         { t.trailer = md; return nil }
func (t *transport) SetSendCompressor(name string) error { t.compressor = name; return nil }

type wrapKey struct{}

// TestServerFunctions finds the call's transport through its rpcinfo,
// and fails outside a gRPC server call.
func TestServerFunctions(t *testing.T) {
	tr := &transport{}
	ctx, ri := rpcinfo.NewContext(context.Background())
	ri.Role, ri.Transport = rpcinfo.Server, tr
	ctx = context.WithValue(ctx, wrapKey{}, 1) // as middleware may wrap it
	if md, ok := grpc.IncomingFromContext(ctx); !ok || md["x"][0] != "y" {
		t.Errorf("IncomingFromContext: %v %v", md, ok)
	}
	h, tl := grpc.MD{"h": {"1"}}, grpc.MD{"t": {"2"}}
	if grpc.SetHeader(ctx, h) != nil || grpc.SetTrailer(ctx, tl) != nil || grpc.SetSendCompressor(ctx, "gzip") != nil {
		t.Fatal("a function failed")
	}
	if !reflect.DeepEqual(tr, &transport{header: h, trailer: tl, compressor: "gzip"}) {
		t.Errorf("transport got %+v", tr)
	}

	clientCtx, cri := rpcinfo.NewContext(context.Background())
	cri.Role, cri.Transport = rpcinfo.Client, tr
	for _, ctx := range []context.Context{context.Background(), clientCtx} {
		if _, ok := grpc.IncomingFromContext(ctx); ok {
			t.Error("IncomingFromContext outside a server call")
		}
		if err := grpc.SendHeader(ctx, h); status.Code(err) != codes.Internal {
			t.Errorf("SendHeader outside a server call: %v", err)
		}
	}
}
