package grpc_test

import (
	"testing"

	"github.com/ospreyrpc/osprey/protocol/grpc"
)

func TestValidKey(t *testing.T) {
	tests := []struct {
		k    string
		want bool
	}{
		{"x-user-id", true},
		{"a.b_c-9", true},
		{"trace-bin", true},
		{"", false},
		{"X-User", false},
		{"a b", false},
		{"a:b", false},
		{":path", false},
		{"grpc-custom", false},
		{"grpc-status", false},
		{"grpcx", true},
		{"caf\u00e9", false},
	}
	for _, tt := range tests {
		t.Run(tt.k, func(t *testing.T) {
			if got := grpc.ValidKey(tt.k); got != tt.want {
				t.Errorf("ValidKey(%q) = %v, want %v", tt.k, got, tt.want)
			}
		})
	}
}

func TestValidValueAndBinaryKey(t *testing.T) {
	values := []struct {
		v    string
		want bool
	}{
		{"", true}, {"hello world ~!", true}, {"a\tb", false}, {"\x7f", false}, {"\u00e9", false},
	}
	for _, tt := range values {
		if got := grpc.ValidValue(tt.v); got != tt.want {
			t.Errorf("ValidValue(%q) = %v, want %v", tt.v, got, tt.want)
		}
	}
	keys := []struct {
		k    string
		want bool
	}{
		{"trace-bin", true}, {"grpc-status-details-bin", true}, {"bin", false}, {"trace_bin", false}, {"-bin-x", false},
	}
	for _, tt := range keys {
		if got := grpc.IsBinaryKey(tt.k); got != tt.want {
			t.Errorf("IsBinaryKey(%q) = %v, want %v", tt.k, got, tt.want)
		}
	}
}

func TestIsReservedHeader(t *testing.T) {
	reserved := []string{":path", ":authority", ":status", "content-type", "te", "user-agent",
		"grpc-timeout", "grpc-encoding", "grpc-accept-encoding", "grpc-message-type",
		"grpc-status", "grpc-message", "grpc-status-details-bin"}
	for _, h := range reserved {
		if !grpc.IsReservedHeader(h) {
			t.Errorf("IsReservedHeader(%q) = false", h)
		}
	}
	for _, h := range []string{"", "x-user", "grpc-previous-rpc-attempts", "rpc-persist-a", "authority"} {
		if grpc.IsReservedHeader(h) {
			t.Errorf("IsReservedHeader(%q) = true", h)
		}
	}
}

func TestMetadataKey(t *testing.T) {
	tests := []struct {
		kind grpc.Kind
		key  string
		want string // "" when not ok
	}{
		{grpc.Persistent, "TRACE_ID", "rpc-persist-trace-id"},
		{grpc.Transient, "A", "rpc-transit-a"},
		{grpc.Backward, "COST_MS", "rpc-backward-cost-ms"},
		{grpc.Transient, "mixed-Case.9", "rpc-transit-mixed-case.9"},
		{grpc.Persistent, "", ""},
		{grpc.Persistent, "A B", ""},
		{grpc.Persistent, "A:B", ""},
		{grpc.Persistent, "K\u00c9", ""},
		{grpc.Persistent, "DATA_BIN", ""}, // would be read as base64
		{grpc.Kind(0), "A", ""},
		{grpc.Kind(4), "A", ""},
	}
	for _, tt := range tests {
		t.Run(tt.want+"/"+tt.key, func(t *testing.T) {
			got, ok := grpc.MetadataKey(tt.kind, tt.key)
			if ok != (tt.want != "") || got != tt.want {
				t.Fatalf("MetadataKey(%d, %q) = %q, %v; want %q", tt.kind, tt.key, got, ok, tt.want)
			}
			if !ok {
				return
			}
			if !grpc.ValidKey(got) {
				t.Errorf("MetadataKey gave an invalid key %q", got)
			}
			kind, key, ok := grpc.ParseMetadataKey(got)
			if !ok || kind != tt.kind || key != cgi(tt.key) {
				t.Errorf("ParseMetadataKey(%q) = %d, %q, %v; want %d, %q", got, kind, key, ok, tt.kind, cgi(tt.key))
			}
		})
	}
}

// cgi is the form in which keys come back: upper case, '_' for '-'.
func cgi(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 32
		} else if c == '-' {
			b[i] = '_'
		}
	}
	return string(b)
}

func TestParseMetadataKey(t *testing.T) {
	tests := []struct {
		h    string
		kind grpc.Kind
		key  string
		ok   bool
	}{
		{"rpc-persist-trace-id", grpc.Persistent, "TRACE_ID", true},
		{"RPC-Transit-abc-def", grpc.Transient, "ABC_DEF", true},
		{"rpc-backward-x", grpc.Backward, "X", true},
		{"rpc-persist-", 0, "", false},
		{"rpc-persist", 0, "", false},
		{"rpc-other-x", 0, "", false},
		{"x-rpc-persist-a", 0, "", false},
		{"", 0, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.h, func(t *testing.T) {
			kind, key, ok := grpc.ParseMetadataKey(tt.h)
			if kind != tt.kind || key != tt.key || ok != tt.ok {
				t.Errorf("ParseMetadataKey(%q) = %d, %q, %v; want %d, %q, %v", tt.h, kind, key, ok, tt.kind, tt.key, tt.ok)
			}
		})
	}
}
