package grpc_test

import (
	"testing"

	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/protocol/grpc"
)

func TestParseCode(t *testing.T) {
	tests := []struct {
		s       string
		want    codes.Code
		wantErr bool
	}{
		{"0", codes.OK, false},
		{"5", codes.NotFound, false},
		{"16", codes.Unauthenticated, false},
		{"016", codes.Unauthenticated, false},
		{"17", codes.Unknown, false},
		{"4294967296", codes.Unknown, false},
		{"99999999999999999999999", codes.Unknown, false},
		{"", 0, true},
		{"-1", 0, true},
		{"+1", 0, true},
		{" 1", 0, true},
		{"1 ", 0, true},
		{"OK", 0, true},
		{"0x1", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.s, func(t *testing.T) {
			got, err := grpc.ParseCode(tt.s)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParseCode(%q) error = %v, want error %v", tt.s, err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("ParseCode(%q) = %v, want %v", tt.s, got, tt.want)
			}
		})
	}
	for c := codes.OK; c <= codes.Unauthenticated; c++ {
		if got, err := grpc.ParseCode(grpc.FormatCode(c)); got != c || err != nil {
			t.Errorf("ParseCode(FormatCode(%v)) = %v, %v", c, got, err)
		}
	}
}

func TestMessageEncoding(t *testing.T) {
	tests := []struct {
		name, plain, wire string
	}{
		{"empty", "", ""},
		{"ascii", "Hello, world! ~", "Hello, world! ~"},
		{"percent", "100%", "100%25"},
		{"control", "a\tb\nc\x00\x7f", "a%09b%0Ac%00%7F"},
		{"utf-8", "t\u00e9st \u4e16", "t%C3%A9st %E4%B8%96"},
		{"grpc interop special message", "\t\ntest with whitespace\r\nand Unicode BMP \u263a and non-BMP \U0001f608\t\n",
			"%09%0Atest with whitespace%0D%0Aand Unicode BMP %E2%98%BA and non-BMP %F0%9F%98%88%09%0A"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := grpc.EncodeMessage(tt.plain); got != tt.wire {
				t.Errorf("EncodeMessage(%q) = %q, want %q", tt.plain, got, tt.wire)
			}
			if got := grpc.DecodeMessage(tt.wire); got != tt.plain {
				t.Errorf("DecodeMessage(%q) = %q, want %q", tt.wire, got, tt.plain)
			}
		})
	}
}

func TestDecodeMessageLenient(t *testing.T) {
	tests := []struct{ wire, want string }{
		{"%", "%"},
		{"%4", "%4"},
		{"a%4", "a%4"},
		{"%41", "A"},
		{"%e9", "\xe9"},
		{"%zz%41", "%zzA"},
		{"%%41", "%A"},
		{"%4%41", "%4A"},
		{"%G1", "%G1"},
		{"%1G", "%1G"},
		{"x%25y", "x%y"},
	}
	for _, tt := range tests {
		t.Run(tt.wire, func(t *testing.T) {
			if got := grpc.DecodeMessage(tt.wire); got != tt.want {
				t.Errorf("DecodeMessage(%q) = %q, want %q", tt.wire, got, tt.want)
			}
		})
	}
}
