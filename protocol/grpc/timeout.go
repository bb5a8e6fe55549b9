package grpc

import (
	"errors"
	"math"
	"strconv"
	"time"
)

// maxTimeoutValue is the largest TimeoutValue: 8 digits (spec §4).
const maxTimeoutValue = 99_999_999

// timeoutUnits are the grpc-timeout units from the finest to the coarsest
// (spec §4).
var timeoutUnits = [...]struct {
	d    time.Duration
	unit byte
}{
	{time.Nanosecond, 'n'},
	{time.Microsecond, 'u'},
	{time.Millisecond, 'm'},
	{time.Second, 'S'},
	{time.Minute, 'M'},
	{time.Hour, 'H'},
}

// AppendTimeout appends the grpc-timeout value for d (spec §4): the finest
// unit in which d takes at most 8 digits, the count rounded up, as grpc-go
// does, so the value is exact below 100 ms and otherwise at most one unit
// (less than 0.001 % of d) above it. A d of zero or less is "0n", which the
// callee sees as already expired.
func AppendTimeout(dst []byte, d time.Duration) []byte {
	if d <= 0 {
		return append(dst, '0', 'n')
	}
	for _, u := range timeoutUnits {
		v := d / u.d
		if d%u.d != 0 {
			v++
		}
		if v <= maxTimeoutValue || u.unit == 'H' {
			// Hours always fit: math.MaxInt64 ns is about 2.6e6 hours.
			dst = strconv.AppendInt(dst, int64(v), 10)
			return append(dst, u.unit)
		}
	}
	panic("unreachable")
}

// EncodeTimeout returns the grpc-timeout value for d; see AppendTimeout.
func EncodeTimeout(d time.Duration) string {
	var b [16]byte
	return string(AppendTimeout(b[:0], d))
}

// Errors of DecodeTimeout.
var (
	errTimeoutShort = errors.New("grpc: grpc-timeout is empty or has no unit")
	errTimeoutLong  = errors.New("grpc: grpc-timeout has more than 8 digits")
	errTimeoutUnit  = errors.New("grpc: grpc-timeout has an unknown unit")
	errTimeoutDigit = errors.New("grpc: grpc-timeout value is not a decimal number")
)

// DecodeTimeout parses a grpc-timeout value (spec §4): 1 to 8 ASCII digits
// and one unit letter. It accepts zero ("0n", which grpc-go sends for an
// expired deadline) and leading zeros, and rejects signs, spaces, a
// missing or unknown unit and more than 8 digits. A value too large for a
// time.Duration (only possible in hours) is clamped to the largest one.
func DecodeTimeout(s string) (time.Duration, error) {
	if len(s) < 2 {
		return 0, errTimeoutShort
	}
	if len(s) > 9 {
		return 0, errTimeoutLong
	}
	var unit time.Duration
	for _, u := range timeoutUnits {
		if s[len(s)-1] == u.unit {
			unit = u.d
		}
	}
	if unit == 0 {
		return 0, errTimeoutUnit
	}
	var v int64
	for i := 0; i < len(s)-1; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, errTimeoutDigit
		}
		v = v*10 + int64(c-'0')
	}
	if v > math.MaxInt64/int64(unit) {
		return math.MaxInt64, nil
	}
	return time.Duration(v) * unit, nil
}
