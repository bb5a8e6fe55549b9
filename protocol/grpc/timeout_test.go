package grpc_test

import (
	"math"
	"testing"
	"time"

	"github.com/ospreyrpc/osprey/protocol/grpc"
)

func TestEncodeTimeout(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{-time.Second, "0n"},
		{0, "0n"},
		{1, "1n"},
		{99_999_999, "99999999n"},
		{100_000_000, "100000u"},       // 100 ms: first value past 8 digits of ns
		{100_000_001, "100001u"},       // rounded up
		{time.Second, "1000000u"},      // exact in µs
		{100 * time.Second, "100000m"}, // 1e8 µs is 9 digits
		{time.Hour, "3600000m"},        // exact in ms
		{30 * time.Hour, "108000S"},    // 1.08e8 ms is 9 digits
		{30*time.Hour + 1, "108001S"},  // rounded up
		{1200 * time.Hour, "4320000S"}, // 4.32e9 ms is 10 digits
		{math.MaxInt64, "2562048H"},    // rounded up
		{99_999_999 * time.Second, "99999999S"},
		{99_999_999*time.Second + 1, "1666667M"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := grpc.EncodeTimeout(tt.d); got != tt.want {
				t.Errorf("EncodeTimeout(%d) = %q, want %q", tt.d, got, tt.want)
			}
		})
	}
}

func TestDecodeTimeout(t *testing.T) {
	tests := []struct {
		s       string
		want    time.Duration
		wantErr bool
	}{
		{"0n", 0, false},
		{"1n", 1, false},
		{"1u", time.Microsecond, false},
		{"1m", time.Millisecond, false},
		{"1S", time.Second, false},
		{"1M", time.Minute, false},
		{"1H", time.Hour, false},
		{"00000010S", 10 * time.Second, false},
		{"99999999M", 99_999_999 * time.Minute, false},
		{"2562047H", 2562047 * time.Hour, false},
		{"2562048H", math.MaxInt64, false}, // clamped
		{"99999999H", math.MaxInt64, false},
		{"", 0, true},
		{"S", 0, true},
		{"1", 0, true},
		{"100000000n", 0, true}, // 9 digits
		{"1s", 0, true},
		{"1h", 0, true},
		{"1x", 0, true},
		{"+1S", 0, true},
		{"-1S", 0, true},
		{" 1S", 0, true},
		{"1 S", 0, true},
		{"0x1S", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.s, func(t *testing.T) {
			got, err := grpc.DecodeTimeout(tt.s)
			if (err != nil) != tt.wantErr {
				t.Fatalf("DecodeTimeout(%q) error = %v, want error %v", tt.s, err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("DecodeTimeout(%q) = %d, want %d", tt.s, got, tt.want)
			}
		})
	}
}
