package server_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"testing"

	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/protocol/grpc"
	"github.com/ospreyrpc/osprey/server"
	"github.com/ospreyrpc/osprey/service"
	"github.com/ospreyrpc/osprey/status"
)

// mdEcho is "raw.MD"/"Echo": it sends the request's x-a values back in
// the header "h" and its x-b-bin in the trailer "t-bin", reports in
// trailer "bad" the code of SetHeader with an upper-case key, and, for a
// request "send", sends the headers first and reports in "late" the code
// of a SetHeader after that; "fail" fails with NotFound.
var mdEcho = service.Desc{Name: "raw.MD", Protobuf: true, Methods: []service.Method{{
	Name:    "Echo",
	NewCall: func() service.Call { return service.Call{Args: new(rawMsg), Result: new(rawMsg)} },
	Handler: func(ctx context.Context, _ any, args, result any) error {
		in, _ := grpc.IncomingFromContext(ctx)
		grpc.SetHeader(ctx, grpc.MD{"h": in["x-a"]})
		grpc.SetTrailer(ctx, grpc.MD{"t-bin": in["x-b-bin"]})
		bad := grpc.SetHeader(ctx, grpc.MD{"Bad": {"v"}})
		grpc.SetTrailer(ctx, grpc.MD{"bad": {status.Code(bad).String()}})
		switch string(args.(*rawMsg).b) {
		case "send":
			if err := grpc.SendHeader(ctx, nil); err != nil {
				return err
			}
			late := grpc.SetHeader(ctx, grpc.MD{"x": {"y"}})
			grpc.SetTrailer(ctx, grpc.MD{"late": {status.Code(late).String()}})
		case "fail":
			return status.New(codes.NotFound, "no")
		}
		result.(*rawMsg).b = args.(*rawMsg).b
		return nil
	},
}}}

// TestGRPCCustomMetadata reads what a handler sets with the metadata
// functions: in headers and trailers, and all in the headers of a
// trailers-only response.
func TestGRPCCustomMetadata(t *testing.T) {
	s, err := server.New()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Register(&mdEcho, struct{}{}); err != nil {
		t.Fatal(err)
	}
	addr := serveServer(t, s)
	hc := h2cClient(t)
	call := func(body string) (header, trailer http.Header) {
		t.Helper()
		req, err := http.NewRequest("POST", "http://"+addr+"/raw.MD/Echo", bytes.NewReader(grpc.AppendMessage(nil, false, []byte(body))))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("content-type", "application/grpc")
		req.Header.Add("x-a", "1")
		req.Header.Add("x-a", "2")
		req.Header.Set("x-b-bin", grpc.EncodeBinaryHeader([]byte{0, 0xff}))
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.Header, resp.Trailer
	}
	check := func(name string, h, tr http.Header, status string) {
		t.Helper()
		if got := h.Values("h"); len(got) != 2 || got[0] != "1" || got[1] != "2" {
			t.Errorf("%s: header h %q", name, got)
		}
		if got := tr.Get("t-bin"); got != grpc.EncodeBinaryHeader([]byte{0, 0xff}) {
			t.Errorf("%s: trailer t-bin %q", name, got)
		}
		if got := tr.Get("bad"); got != codes.InvalidArgument.String() {
			t.Errorf("%s: SetHeader with a bad key: %s", name, got)
		}
		if got := tr.Get("grpc-status"); got != status {
			t.Errorf("%s: grpc-status %s, want %s", name, got, status)
		}
	}
	h, tr := call("hello")
	check("unary", h, tr, "0")
	h, tr = call("send")
	check("SendHeader", h, tr, "0")
	if tr.Get("late") != codes.Internal.String() || h.Get("x") != "" {
		t.Errorf("SetHeader after SendHeader: %s, header x %q", tr.Get("late"), h.Get("x"))
	}
	h, _ = call("fail")
	check("trailers-only", h, h, "5")
}
