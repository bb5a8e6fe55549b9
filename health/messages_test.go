package health

import (
	"testing"
)

func TestMessagesRoundTrip(t *testing.T) {
	for _, name := range []string{"", "echo.Echo", string(make([]byte, 300))} {
		b, _ := (&request{service: name}).MarshalGRPC(nil)
		var r request
		if err := r.UnmarshalGRPC(b); err != nil || r.service != name {
			t.Errorf("request %q: got %q, %v", name, r.service, err)
		}
	}
	for _, st := range []Status{Unknown, Serving, NotServing, ServiceUnknown} {
		b, _ := (&response{status: st}).MarshalGRPC(nil)
		var r response
		if err := r.UnmarshalGRPC(b); err != nil || r.status != st {
			t.Errorf("response %v: got %v, %v", st, r.status, err)
		}
	}
	// Unknown fields are skipped: field 2 varint, field 3 fixed64, field 4 bytes.
	b := []byte{2 << 3, 7, 3<<3 | 1, 1, 2, 3, 4, 5, 6, 7, 8, 4<<3 | 2, 1, 'x', 1<<3 | 2, 1, 'a'}
	var r request
	if err := r.UnmarshalGRPC(b); err != nil || r.service != "a" {
		t.Errorf("with unknown fields: %q, %v", r.service, err)
	}
	for _, bad := range [][]byte{{0x0a}, {0x0a, 5, 'a'}, {0x08}, {0x80}, {0 << 3}, {1<<3 | 7}, {1<<3 | 1, 1}} {
		if err := r.UnmarshalGRPC(bad); err == nil {
			t.Errorf("% x decoded", bad)
		}
	}
}

func FuzzRequest(f *testing.F) {
	for _, s := range []string{"", "echo.Echo"} {
		b, _ := (&request{service: s}).MarshalGRPC(nil)
		f.Add(b)
	}
	f.Add([]byte{2 << 3, 7, 1<<3 | 2, 1, 'a'})
	f.Fuzz(func(t *testing.T, b []byte) {
		var r request
		if r.UnmarshalGRPC(b) != nil {
			return
		}
		again, _ := r.MarshalGRPC(nil)
		var r2 request
		if err := r2.UnmarshalGRPC(again); err != nil || r2.service != r.service {
			t.Fatalf("round trip: %q then %q, %v", r.service, r2.service, err)
		}
	})
}
