package retry

import (
	"errors"
	"testing"
	"time"

	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/status"
)

func TestRetryable(t *testing.T) {
	unavailable := status.New(codes.Unavailable, "down")
	notSent := status.New(codes.Unavailable, "refused").WithNotSent()
	biz := status.Business(codes.Unavailable, "biz")
	invalid := status.New(codes.InvalidArgument, "bad")
	for _, c := range []struct {
		p    Policy
		err  error
		want bool
	}{
		{Policy{}, nil, false},
		{Policy{}, notSent, true},
		{Policy{}, unavailable, false},
		{Policy{Idempotent: true}, unavailable, true},
		{Policy{Idempotent: true}, invalid, false},
		{Policy{Idempotent: true}, biz, false},
		{Policy{Idempotent: true}, errors.New("plain"), false}, // Unknown
		{Policy{Idempotent: true, Codes: []codes.Code{codes.Unknown}}, errors.New("plain"), true},
		{Policy{Idempotent: true, Codes: []codes.Code{codes.Internal}}, unavailable, false},
	} {
		if got := c.p.Retryable(c.err); got != c.want {
			t.Errorf("%+v.Retryable(%v) = %v, want %v", c.p, c.err, got, c.want)
		}
	}
}

func TestBackoff(t *testing.T) {
	p := Policy{BaseBackoff: 8 * time.Millisecond, MaxBackoff: 40 * time.Millisecond}
	for n, want := range []time.Duration{0, 8, 16, 32, 40, 40} {
		if n == 0 {
			continue
		}
		want *= time.Millisecond
		for range 100 {
			if d := p.Backoff(n); d < want/2 || d > want {
				t.Fatalf("Backoff(%d) = %v, want in [%v, %v]", n, d, want/2, want)
			}
		}
	}
	var zero Policy
	if d := zero.Backoff(1); d < DefaultBaseBackoff/2 || d > DefaultBaseBackoff {
		t.Fatalf("default Backoff(1) = %v", d)
	}
}

func TestValidate(t *testing.T) {
	good := []Policy{{}, {MaxAttempts: 3, Idempotent: true}, {BackupDelay: time.Millisecond, BackupPercentile: 99}, {Budget: -1}}
	for _, p := range good {
		if err := p.Validate(); err != nil {
			t.Errorf("%+v: %v", p, err)
		}
	}
	bad := []Policy{{MaxAttempts: -1}, {MaxAttempts: 11}, {BaseBackoff: -1}, {BaseBackoff: 2, MaxBackoff: 1},
		{BackupDelay: -1}, {BackupPercentile: 99}, {BackupDelay: 1, BackupPercentile: 100}, {Budget: 2}}
	for _, p := range bad {
		if err := p.Validate(); err == nil {
			t.Errorf("%+v: no error", p)
		}
	}
}

func TestAttempts(t *testing.T) {
	for _, c := range []struct {
		p    Policy
		want int
	}{{Policy{}, 1}, {Policy{MaxAttempts: 3}, 3}, {Policy{BackupDelay: 1}, 2}, {Policy{MaxAttempts: 3, BackupDelay: 1}, 3}} {
		if got := c.p.Attempts(); got != c.want {
			t.Errorf("%+v.Attempts() = %d, want %d", c.p, got, c.want)
		}
	}
}

func TestBudget(t *testing.T) {
	b := NewBudget(0.1)
	if b.Withdraw() {
		t.Fatal("a budget before any call allowed a retry")
	}
	retries := 0
	for range 1000 {
		b.Call()
		if b.Withdraw() {
			retries++
		}
	}
	if retries != 100 {
		t.Fatalf("1000 calls at 0.1 allowed %d retries, want 100", retries)
	}
	// The first call may retry; the next nine may not.
	b = NewBudget(0.1)
	var got []bool
	for range 11 {
		b.Call()
		got = append(got, b.Withdraw())
	}
	for i, ok := range got {
		if want := i == 0 || i == 10; ok != want {
			t.Fatalf("call %d: retry allowed %v, want %v", i, ok, want)
		}
	}
	// The balance is capped: a long healthy spell saves at most 100 calls' worth.
	for range 100000 {
		b.Call()
	}
	n := 0
	for b.Withdraw() {
		n++
	}
	if n != 10 {
		t.Fatalf("after a healthy spell %d retries at once, want 10", n)
	}
	if u := NewBudget(-1); !u.Withdraw() {
		t.Fatal("no budget refused a retry")
	}
}

func TestBudgetAllocs(t *testing.T) {
	b := NewBudget(0.1)
	if n := testing.AllocsPerRun(100, func() { b.Call(); b.Withdraw() }); n != 0 {
		t.Fatalf("%v allocations", n)
	}
}
