package circuitbreak_test

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ospreyrpc/osprey/circuitbreak"
)

// fakeClock is a clock the test moves by hand.
type fakeClock struct{ t atomic.Int64 }

func (c *fakeClock) now() time.Duration      { return time.Duration(c.t.Load()) }
func (c *fakeClock) advance(d time.Duration) { c.t.Add(int64(d)) }

func newBreaker(t *testing.T, p circuitbreak.Policy) (*circuitbreak.Breaker, *fakeClock) {
	t.Helper()
	c := new(fakeClock)
	c.advance(time.Hour) // away from zero
	return circuitbreak.NewWithClock(p, c.now), c
}

// call makes one call through b, reporting whether it was admitted.
func call(b *circuitbreak.Breaker, failed bool) bool {
	if !b.Allow() {
		return false
	}
	b.Done(failed)
	return true
}

func wantState(t *testing.T, b *circuitbreak.Breaker, want circuitbreak.State) {
	t.Helper()
	if got := b.State(); got != want {
		t.Fatalf("state %v, want %v", got, want)
	}
}

func TestConsecutiveFailuresOpen(t *testing.T) {
	b, _ := newBreaker(t, circuitbreak.Policy{ConsecutiveFailures: 3, ErrorRate: 2})
	for i := 0; i < 10; i++ { // a success between failures starts the count again
		call(b, true)
		call(b, true)
		call(b, false)
	}
	wantState(t, b, circuitbreak.Closed)
	call(b, true)
	call(b, true)
	wantState(t, b, circuitbreak.Closed)
	call(b, true)
	wantState(t, b, circuitbreak.Open)
	if b.Allow() {
		t.Fatal("an open breaker admitted a call")
	}
}

func TestErrorRateNeedsMinCalls(t *testing.T) {
	b, _ := newBreaker(t, circuitbreak.Policy{MinCalls: 10, ErrorRate: 0.5, ConsecutiveFailures: -1})
	for i := 0; i < 4; i++ {
		call(b, true)
		call(b, false)
	}
	call(b, true) // 9 calls, 5 failed: too few calls
	wantState(t, b, circuitbreak.Closed)
	call(b, false) // 10 calls, 5 failed, but a success does not open it
	wantState(t, b, circuitbreak.Closed)
	call(b, true) // 11 calls, 6 failed
	wantState(t, b, circuitbreak.Open)
}

func TestErrorRateBelowThreshold(t *testing.T) {
	b, _ := newBreaker(t, circuitbreak.Policy{MinCalls: 10, ErrorRate: 0.5, ConsecutiveFailures: -1})
	for i := 0; i < 1000; i++ {
		call(b, i%3 == 0) // a third fail
	}
	wantState(t, b, circuitbreak.Closed)
}

func TestWindowSlides(t *testing.T) {
	b, clock := newBreaker(t, circuitbreak.Policy{Window: 10 * time.Second, MinCalls: 10, ErrorRate: 0.5, ConsecutiveFailures: -1})
	for i := 0; i < 9; i++ {
		call(b, true)
	}
	call(b, false)
	// 10 s later the 9 failures have left the window.
	clock.advance(10 * time.Second)
	for i := 0; i < 10; i++ {
		call(b, false)
	}
	call(b, true)
	wantState(t, b, circuitbreak.Closed)
	// Within the window they count.
	b2, clock2 := newBreaker(t, circuitbreak.Policy{Window: 10 * time.Second, MinCalls: 10, ErrorRate: 0.5, ConsecutiveFailures: -1})
	for i := 0; i < 9; i++ {
		call(b2, true)
	}
	clock2.advance(8 * time.Second)
	for i := 0; i < 9; i++ {
		call(b2, false)
	}
	call(b2, true) // 19 calls, 10 failed
	wantState(t, b2, circuitbreak.Open)
}

func TestHalfOpenAdmitsProbes(t *testing.T) {
	b, clock := newBreaker(t, circuitbreak.Policy{ConsecutiveFailures: 1, OpenFor: time.Second, HalfOpenProbes: 3})
	call(b, true)
	wantState(t, b, circuitbreak.Open)
	clock.advance(999 * time.Millisecond)
	if b.Allow() {
		t.Fatal("admitted a call before OpenFor passed")
	}
	clock.advance(time.Millisecond)
	wantState(t, b, circuitbreak.HalfOpen)
	for i := 0; i < 3; i++ {
		if !b.Allow() {
			t.Fatalf("probe %d not admitted", i)
		}
	}
	if b.Allow() {
		t.Fatal("admitted a fourth probe")
	}
	b.Done(false)
	b.Done(false)
	wantState(t, b, circuitbreak.HalfOpen)
	if b.Allow() {
		t.Fatal("admitted a probe while three are out")
	}
	b.Done(false)
	wantState(t, b, circuitbreak.Closed)
	if !call(b, false) {
		t.Fatal("a closed breaker refused a call")
	}
}

func TestProbeFailureReopensWithBackoff(t *testing.T) {
	b, clock := newBreaker(t, circuitbreak.Policy{ConsecutiveFailures: 1, OpenFor: time.Second, MaxOpenFor: 3 * time.Second, Window: time.Second})
	call(b, true)
	// Each failed probe doubles the open period, up to MaxOpenFor.
	for _, open := range []time.Duration{time.Second, 2 * time.Second, 3 * time.Second, 3 * time.Second} {
		clock.advance(open - time.Millisecond)
		wantState(t, b, circuitbreak.Open)
		clock.advance(time.Millisecond)
		wantState(t, b, circuitbreak.HalfOpen)
		if !call(b, true) {
			t.Fatal("probe not admitted")
		}
		wantState(t, b, circuitbreak.Open)
	}
	// A probe succeeds; the breaker stays closed for a window; the next
	// opening starts from OpenFor again.
	clock.advance(3 * time.Second)
	call(b, false)
	wantState(t, b, circuitbreak.Closed)
	clock.advance(time.Second)
	call(b, true)
	clock.advance(time.Second - time.Millisecond)
	wantState(t, b, circuitbreak.Open)
	clock.advance(time.Millisecond)
	wantState(t, b, circuitbreak.HalfOpen)
	// Closing and failing again within the window doubles it.
	call(b, false)
	call(b, true)
	clock.advance(2*time.Second - time.Millisecond)
	wantState(t, b, circuitbreak.Open)
	clock.advance(time.Millisecond)
	wantState(t, b, circuitbreak.HalfOpen)
}

func TestClosingForgetsWindow(t *testing.T) {
	b, clock := newBreaker(t, circuitbreak.Policy{MinCalls: 4, ErrorRate: 0.5, ConsecutiveFailures: -1, OpenFor: time.Second})
	for i := 0; i < 4; i++ {
		call(b, true)
	}
	wantState(t, b, circuitbreak.Open)
	clock.advance(time.Second)
	call(b, false)
	wantState(t, b, circuitbreak.Closed)
	call(b, true) // 1 of 1 failed, but under MinCalls: the old failures are gone
	wantState(t, b, circuitbreak.Closed)
}

func TestLateDoneIgnoredWhileOpen(t *testing.T) {
	b, _ := newBreaker(t, circuitbreak.Policy{ConsecutiveFailures: 2})
	for i := range 3 {
		if !b.Allow() {
			t.Fatalf("closed breaker refused call %d", i)
		}
	}
	b.Done(true)
	b.Done(true)
	wantState(t, b, circuitbreak.Open)
	b.Done(false) // admitted while closed, ends while open
	wantState(t, b, circuitbreak.Open)
}

func TestValidate(t *testing.T) {
	bad := []circuitbreak.Policy{
		{Window: -1},
		{Window: 5},
		{MinCalls: -1},
		{ErrorRate: -0.1},
		{OpenFor: -time.Second},
		{MaxOpenFor: -time.Second},
		{OpenFor: 2 * time.Minute, MaxOpenFor: time.Minute},
		{HalfOpenProbes: -1},
	}
	for _, p := range bad {
		if err := p.Validate(); err == nil {
			t.Errorf("%+v: no error", p)
		}
	}
	good := []circuitbreak.Policy{{}, {ErrorRate: 2, ConsecutiveFailures: -1}, {OpenFor: 2 * time.Minute}, {Window: time.Second, MinCalls: 1, ErrorRate: 1, OpenFor: time.Second, MaxOpenFor: time.Second, HalfOpenProbes: 5}}
	for _, p := range good {
		if err := p.Validate(); err != nil {
			t.Errorf("%+v: %v", p, err)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("New with a bad policy did not panic")
		}
	}()
	circuitbreak.New(circuitbreak.Policy{MinCalls: -1})
}

func TestStateString(t *testing.T) {
	for s, want := range map[circuitbreak.State]string{circuitbreak.Closed: "closed", circuitbreak.Open: "open", circuitbreak.HalfOpen: "half-open", 9: "unknown"} {
		if got := s.String(); got != want {
			t.Errorf("%d: %q, want %q", s, got, want)
		}
	}
}

// TestConcurrent runs many goroutines through one breaker while the clock
// moves and the breaker opens and closes (checked by -race), then checks
// that it recovers: no probe slot was lost on the way.
func TestConcurrent(t *testing.T) {
	const probes = 2
	b, clock := newBreaker(t, circuitbreak.Policy{Window: time.Second, MinCalls: 10, OpenFor: 10 * time.Millisecond, HalfOpenProbes: probes})
	var wg sync.WaitGroup
	var admitted, opened atomic.Int64
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 2000; i++ {
				if g == 0 && i%10 == 0 {
					clock.advance(time.Millisecond)
				}
				if b.State() == circuitbreak.Open {
					opened.Add(1)
				}
				if !b.Allow() {
					continue
				}
				admitted.Add(1)
				b.Done((i+g)%3 != 0) // two thirds fail
			}
		}()
	}
	wg.Wait()
	if opened.Load() == 0 || admitted.Load() == 0 {
		t.Fatalf("opened %d times, admitted %d calls: the test did not exercise both states", opened.Load(), admitted.Load())
	}
	clock.advance(time.Hour)
	for i := 0; i < probes; i++ {
		if !call(b, false) {
			t.Fatalf("probe %d refused after the open period", i)
		}
	}
	wantState(t, b, circuitbreak.Closed)
}
