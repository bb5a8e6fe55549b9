package etcd

import (
	"errors"
	"maps"
	"strings"
	"testing"

	"github.com/ospreyrpc/osprey/discovery"
)

func TestEncodeDecode(t *testing.T) {
	for _, in := range []*discovery.Instance{
		{Network: "tcp", Addr: "10.0.0.1:80"},
		{Addr: "[::1]:80", Weight: 3, Tags: map[string]string{"zone": "a", "version": "1.2"}},
		{Network: "unix", Addr: "/run/s.sock", Weight: MaxWeight},
	} {
		b, err := encode(in)
		if err != nil {
			t.Fatalf("encode(%+v): %v", in, err)
		}
		out, err := decode(b)
		if err != nil {
			t.Fatalf("decode(%s): %v", b, err)
		}
		want := *in
		if want.Network == "" {
			want.Network = "tcp"
		}
		if !same(&want, out) {
			t.Fatalf("round trip %+v -> %s -> %+v", in, b, out)
		}
	}
	tooMany := map[string]string{}
	for i := range MaxTags + 1 {
		tooMany[strings.Repeat("k", i+1)] = ""
	}
	for _, bad := range []*discovery.Instance{
		{Addr: ""}, {Addr: ":80"}, {Addr: "h"}, {Network: "udp", Addr: "h:1"}, {Network: "unix"},
		{Addr: "h:1", Weight: -1}, {Addr: "h:1", Weight: MaxWeight + 1},
		{Addr: "h:1", Tags: tooMany}, {Addr: "h:1", Tags: map[string]string{"": "v"}},
		{Addr: "h:1", Tags: map[string]string{"k": strings.Repeat("v", maxTagLen+1)}},
		{Network: "unix", Addr: strings.Repeat("/", maxAddrLen+1)},
	} {
		if b, err := encode(bad); err == nil {
			t.Errorf("encode(%+v) = %s, want an error", bad, b)
		}
	}
}

func same(a, b *discovery.Instance) bool {
	return a.Network == b.Network && a.Addr == b.Addr && a.Weight == b.Weight && maps.Equal(a.Tags, b.Tags)
}

// FuzzDecode: what decodes encodes again and decodes to the same instance.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		`{"network":"tcp","addr":"10.0.0.1:80"}`,
		`{"network":"tcp","addr":"[::1]:80","weight":3,"tags":{"zone":"a","version":"1"}}`,
		`{"network":"unix","addr":"/s"}`,
		`{"network":"tcp","addr":"h:1","tags":{}}`,
		`{"network":"tcp","addr":"h:1","weight":-1}`,
		`{"network":"udp","addr":"h:1"}`,
		`{"network":"tcp","addr":"h"}`,
		`{`, `null`, `[]`, `{"tags":{"a":1}}`,
		"{\"network\":\"unix\",\"addr\":\"<\xff>\"}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		in, err := decode(b)
		if err != nil {
			return
		}
		b2, err := encode(in)
		if errors.Is(err, errTooBig) {
			return // escapes (invalid UTF-8 becomes U+FFFD) can lengthen it
		}
		if err != nil {
			t.Fatalf("decoded %+v from %q, but encode fails: %v", in, b, err)
		}
		out, err := decode(b2)
		if err != nil || !same(in, out) {
			t.Fatalf("%q -> %+v -> %s -> %+v (%v)", b, in, b2, out, err)
		}
	})
}
