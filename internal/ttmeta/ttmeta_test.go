package ttmeta_test

import (
	"context"
	"testing"
	"time"

	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/internal/ttmeta"
	"github.com/ospreyrpc/osprey/metainfo"
	"github.com/ospreyrpc/osprey/protocol/ttheader"
	"github.com/ospreyrpc/osprey/rpcinfo"
	"github.com/ospreyrpc/osprey/status"
)

// roundTrip encodes h and decodes it again, as the wire would.
func roundTrip(t *testing.T, h *ttheader.Header) *ttheader.Header {
	t.Helper()
	b, err := ttheader.AppendHeader(nil, h, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out ttheader.Header
	if _, err := ttheader.Decode(&out, b[4:], ttheader.DefaultLimits()); err != nil {
		t.Fatal(err)
	}
	return &out
}

func TestRequestRoundTrip(t *testing.T) {
	ctx := metainfo.WithPersistent(context.Background(), "p", "pv")
	ctx = metainfo.WithTransient(ctx, "t", "tv")
	ctx = metainfo.WithTransient(ctx, "gdpr-token", "secret")
	now := time.Now()
	ri := &rpcinfo.Info{
		Service: "Echo", Method: "echo", CallerService: "a", CallerMethod: "m",
		CalleeService: "b", LogID: "log", Deadline: now.Add(1500*time.Microsecond + 1),
		Metadata: metainfo.FromContext(ctx).ForCall(),
	}
	var h ttheader.Header
	var sc ttmeta.Scratch
	ttmeta.Request(&h, &sc, ri, now)
	got := roundTrip(t, &h)

	var server rpcinfo.Info
	var names ttmeta.Names
	call := ttmeta.ReadRequest(got, &server, &names)
	if call.Service != "Echo" || call.Timeout != 2*time.Millisecond {
		t.Errorf("service %q, timeout %v; want Echo, 2ms (rounded up)", call.Service, call.Timeout)
	}
	if server.CallerService != "a" || server.CallerMethod != "m" || server.CalleeService != "b" || server.LogID != "log" {
		t.Errorf("names %+v", &server)
	}
	sctx := context.WithValue(context.Background(), metainfo.ContextKey{}, &server.Metadata)
	if v, _ := metainfo.Persistent(sctx, "p"); v != "pv" {
		t.Errorf("persistent = %q", v)
	}
	for k, want := range map[string]string{"t": "tv", "gdpr-token": "secret"} {
		if v, _ := metainfo.Transient(sctx, k); v != want {
			t.Errorf("transient %s = %q, want %q", k, v, want)
		}
	}
	if got.Token != "secret" {
		t.Errorf("the gdpr token is not in the token block: %q", got.Token)
	}
	// Transient values do not go further.
	fwd := server.Metadata.ForCall()
	if _, tr := fwd.Outgoing(); len(tr) != 0 {
		t.Errorf("received transient values would be forwarded: %v", tr)
	}
}

func TestReplyRoundTrip(t *testing.T) {
	for _, c := range []struct {
		name    string
		biz     *status.Error
		wantBiz bool
	}{
		{"backward only", nil, false},
		{"business error", status.Business(10001, "low balance"), true},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx, ri := rpcinfo.NewContext(context.Background())
			ri.EnableBackward()
			if err := metainfo.SendBackward(ctx, "b", "bv"); err != nil {
				t.Fatal(err)
			}
			var h ttheader.Header
			var sc ttmeta.Scratch
			ttmeta.Reply(&h, &sc, ri, c.biz)
			h.AddStr(ttheader.KeyConnReset, "1")
			got := roundTrip(t, &h)

			cctx := metainfo.WithBackward(context.Background())
			md := metainfo.FromContext(cctx).ForCall()
			biz, reset := ttmeta.ReadReply(got, &md)
			if !reset {
				t.Error("crrst not seen")
			}
			if v, _ := metainfo.RecvBackward(cctx, "b"); v != "bv" {
				t.Errorf("backward = %q", v)
			}
			if _, ok := metainfo.RecvBackward(cctx, ttheader.KeyConnReset); ok {
				t.Error("crrst became a backward value")
			}
			se, ok := status.FromError(biz)
			if c.wantBiz != ok {
				t.Fatalf("business error = %v, want one: %v", biz, c.wantBiz)
			}
			if ok && (se.Code() != codes.Code(10001) || se.Message() != "low balance" || !se.Business() || !se.Remote()) {
				t.Errorf("business error = %v", se)
			}
		})
	}
}

func TestReadReplyIgnoresZeroAndBadStatus(t *testing.T) {
	for _, v := range []string{"0", "x", "99999999999"} {
		var h ttheader.Header
		h.AddStr(ttheader.KeyBizStatus, v)
		var md metainfo.Metadata
		if biz, _ := ttmeta.ReadReply(&h, &md); biz != nil {
			t.Errorf("biz-status %q gave %v", v, biz)
		}
	}
}
