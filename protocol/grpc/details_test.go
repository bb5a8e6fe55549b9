package grpc_test

import (
	"bytes"
	"encoding/hex"
	"reflect"
	"strings"
	"testing"

	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/protocol/grpc"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const errorInfoURL = "type.googleapis.com/google.rpc.ErrorInfo"

func TestMarshalStatus(t *testing.T) {
	url := hex.EncodeToString([]byte(errorInfoURL))
	tests := []struct {
		name    string
		code    codes.Code
		msg     string
		details []grpc.Any
		wire    string // hex, as protobuf-go writes it
	}{
		{"empty", codes.OK, "", nil, ""},
		{"code", codes.InvalidArgument, "", nil, "08 03"},
		{"code and message", codes.InvalidArgument, "bad", nil, "08 03 12 03 626164"},
		{"detail", codes.NotFound, "", []grpc.Any{{errorInfoURL, []byte("\x0a\x03foo")}},
			"08 05 1a 31 0a 28" + url + "12 05 0a03666f6f"},
		{"empty detail", codes.OK, "", []grpc.Any{{}}, "1a 00"},
		{"two details", codes.OK, "", []grpc.Any{{"a", nil}, {"", []byte{1}}}, "1a 03 0a0161 1a 03 120101"},
		{"code out of int32", codes.Code(0xffffffff), "", nil, "08 ffffffffffffffffff01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := unhex(t, tt.wire)
			got := grpc.MarshalStatus(tt.code, tt.msg, tt.details)
			if !bytes.Equal(got, want) {
				t.Fatalf("MarshalStatus = % x, want % x", got, want)
			}
			code, msg, details, err := grpc.UnmarshalStatus(want)
			if err != nil {
				t.Fatalf("UnmarshalStatus: %v", err)
			}
			if code != tt.code || msg != tt.msg || !reflect.DeepEqual(details, tt.details) {
				t.Errorf("UnmarshalStatus = %v, %q, %+v; want %v, %q, %+v", code, msg, details, tt.code, tt.msg, tt.details)
			}
		})
	}
}

func TestUnmarshalStatusLenient(t *testing.T) {
	tests := []struct {
		name    string
		wire    string
		code    codes.Code
		msg     string
		details []grpc.Any
	}{
		{"unknown varint field", "20 96 01 08 02", codes.Unknown, "", nil},
		{"unknown fixed32 and fixed64", "2d 01020304 29 0102030405060708 08 02", codes.Unknown, "", nil},
		{"unknown bytes field", "22 02 ffff 12 01 78", codes.OK, "x", nil},
		{"known number, other wire type", "0d 01020304 0a 01 78 08 01", codes.Canceled, "", nil},
		{"last code wins", "08 01 08 02", codes.Unknown, "", nil},
		{"last message wins", "12 01 61 12 01 62", codes.OK, "b", nil},
		{"negative code", "08 ffffffffffffffffff01", codes.Code(0xffffffff), "", nil},
		{"code truncated to int32", "08 8180808010", codes.Code(1), "", nil},
		{"unknown field inside Any", "1a 05 18 01 0a 01 61 20 00", codes.OK, "", []grpc.Any{{"a", nil}}},
		{"last type_url wins", "1a 06 0a 01 61 0a 01 62", codes.OK, "", []grpc.Any{{"b", nil}}},
		{"field number 2^29-1", "f8 ff ff ff 0f 00", codes.OK, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, msg, details, err := grpc.UnmarshalStatus(unhex(t, tt.wire))
			if err != nil {
				t.Fatalf("UnmarshalStatus: %v", err)
			}
			if code != tt.code || msg != tt.msg || !reflect.DeepEqual(details, tt.details) {
				t.Errorf("UnmarshalStatus = %v, %q, %+v; want %v, %q, %+v", code, msg, details, tt.code, tt.msg, tt.details)
			}
		})
	}
}

func TestUnmarshalStatusErrors(t *testing.T) {
	tests := []struct {
		name, wire string
		want       string // in the error text
	}{
		{"cut tag varint", "88", "varint"},
		{"11-byte tag", "ffffffffffffffffffff01", "varint"},
		{"10th byte too big", "08 ffffffffffffffffff02", "varint"},
		{"cut value varint", "08", "varint"},
		{"cut length varint", "12", "varint"},
		{"length past the end", "12 05 6162", "length"},
		{"huge length", "12 ffffffffffffffff7f", "length"},
		{"cut fixed32", "2d 0102", "length"},
		{"cut fixed64", "29 01020304", "length"},
		{"field number 0", "00 01", "field number 0"},
		{"field number 0, bytes", "02 00", "field number 0"},
		{"start group", "1b", "wire type"},
		{"end group", "1c", "wire type"},
		{"wire type 6", "1e", "wire type"},
		{"wire type 7", "1f", "wire type"},
		{"bad varint in Any", "1a 01 80", "varint"},
		{"length past the end of Any", "1a 02 0a 05", "length"},
		{"after a good field", "08 01 12", "varint"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, _, err := grpc.UnmarshalStatus(unhex(t, tt.wire))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("UnmarshalStatus error = %v, want one about %q", err, tt.want)
			}
		})
	}
	t.Run("too large", func(t *testing.T) {
		b := grpc.MarshalStatus(codes.OK, strings.Repeat("x", grpc.MaxStatusSize), nil)
		if _, _, _, err := grpc.UnmarshalStatus(b); err == nil || !strings.Contains(err.Error(), "MaxStatusSize") {
			t.Errorf("UnmarshalStatus of %d bytes: error = %v", len(b), err)
		}
	})
}

func TestUnmarshalStatusCopies(t *testing.T) {
	b := grpc.MarshalStatus(codes.Internal, "m", []grpc.Any{{"u", []byte("v")}})
	_, msg, details, err := grpc.UnmarshalStatus(b)
	if err != nil {
		t.Fatal(err)
	}
	for i := range b {
		b[i] = 'z'
	}
	if msg != "m" || details[0].TypeURL != "u" || string(details[0].Value) != "v" {
		t.Errorf("results changed with the input: %q %+v", msg, details)
	}
}

func TestBinaryHeader(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []byte
		wantErr bool
	}{
		{"empty", "", []byte{}, false},
		{"unpadded 1", "AQ", []byte{1}, false},
		{"padded 1", "AQ==", []byte{1}, false},
		{"unpadded 2", "AQI", []byte{1, 2}, false},
		{"padded 2", "AQI=", []byte{1, 2}, false},
		{"3 bytes", "AQID", []byte{1, 2, 3}, false},
		{"high bytes", "//79", []byte{0xff, 0xfe, 0xfd}, false},
		{"url-safe alphabet", "__79", nil, true},
		{"misplaced padding", "A=Q=", nil, true},
		{"one char", "A", nil, true},
		{"bad char", "AQ*D", nil, true},
		{"padding on 5", "AQIDB===", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := grpc.DecodeBinaryHeader(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("DecodeBinaryHeader(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			}
			if !tt.wantErr && !bytes.Equal(got, tt.want) {
				t.Errorf("DecodeBinaryHeader(%q) = % x, want % x", tt.in, got, tt.want)
			}
		})
	}
	for _, b := range [][]byte{{}, {1}, {1, 2}, {1, 2, 3}, {0xff, 0xfe, 0xfd, 0}} {
		s := grpc.EncodeBinaryHeader(b)
		if strings.Contains(s, "=") {
			t.Errorf("EncodeBinaryHeader(% x) = %q, padded", b, s)
		}
		if got, err := grpc.DecodeBinaryHeader(s); err != nil || !bytes.Equal(got, b) {
			t.Errorf("DecodeBinaryHeader(EncodeBinaryHeader(% x)) = % x, %v", b, got, err)
		}
	}
}
