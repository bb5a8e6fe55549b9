package limit_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ospreyrpc/osprey/limit"
)

// fakeClock is a clock tests move by hand.
type fakeClock struct{ t int64 }

func (c *fakeClock) now() int64          { return c.t }
func (c *fakeClock) add(d time.Duration) { c.t += int64(d) }
func newClock() *fakeClock               { return &fakeClock{t: int64(time.Hour)} }
func mustNew(t *testing.T, p limit.Policy) *limit.Limiter {
	t.Helper()
	l, err := limit.New(p)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestBucketBurstThenRate(t *testing.T) {
	for _, tc := range []struct {
		qps   float64
		burst int
	}{{10, 5}, {100, 1}, {1000, 250}, {3, 0}, {0.5, 0}} {
		l := mustNew(t, limit.Policy{QPS: tc.qps, Burst: tc.burst})
		clk := newClock()
		limit.SetClock(l, clk.now)
		burst := l.Policy().Burst
		if burst == 0 {
			burst = max(1, int(tc.qps+0.999))
		}
		admitted := 0
		for range burst + 10 {
			if _, r := l.Acquire(); r == limit.Admitted {
				admitted++
			} else if r != limit.OverQPS {
				t.Fatalf("refused for %v, want %v", r, limit.OverQPS)
			}
		}
		if admitted != burst {
			t.Errorf("QPS %v burst %d: %d admitted at once, want %d", tc.qps, tc.burst, admitted, burst)
		}
		// Then the rate: call every millisecond for 10 seconds.
		admitted = 0
		for range 10000 {
			clk.add(time.Millisecond)
			if _, r := l.Acquire(); r == limit.Admitted {
				admitted++
			}
		}
		if want := int(tc.qps * 10); admitted != want {
			t.Errorf("QPS %v burst %d: %d admitted in 10 s after the burst, want %d", tc.qps, tc.burst, admitted, want)
		}
	}
}

func TestBucketRefillsToBurstOnly(t *testing.T) {
	l := mustNew(t, limit.Policy{QPS: 100, Burst: 20})
	clk := newClock()
	limit.SetClock(l, clk.now)
	clk.add(time.Hour) // idle for long: still only Burst at once
	n := 0
	for range 100 {
		if _, r := l.Acquire(); r == limit.Admitted {
			n++
		}
	}
	if n != 20 {
		t.Fatalf("%d admitted after an idle hour, want the burst, 20", n)
	}
}

func TestAbortRefundsToken(t *testing.T) {
	l := mustNew(t, limit.Policy{QPS: 1, Burst: 1, MaxInFlight: 5})
	clk := newClock()
	limit.SetClock(l, clk.now)
	tk, r := l.Acquire()
	if r != limit.Admitted {
		t.Fatal(r)
	}
	if _, r := l.Acquire(); r != limit.OverQPS {
		t.Fatalf("second call: %v, want %v", r, limit.OverQPS)
	}
	if l.InFlight() != 1 {
		t.Fatalf("in flight %d, want 1 (a call refused for QPS holds no place)", l.InFlight())
	}
	l.Abort(tk)
	if l.InFlight() != 0 {
		t.Fatalf("in flight %d after Abort, want 0", l.InFlight())
	}
	if _, r := l.Acquire(); r != limit.Admitted {
		t.Fatalf("after Abort: %v, want the token back", r)
	}
}

func TestConcurrencyAdmitsNRejectsNPlusOne(t *testing.T) {
	const n = 7
	l := mustNew(t, limit.Policy{MaxInFlight: n})
	var held []limit.Ticket
	for i := range n {
		tk, r := l.Acquire()
		if r != limit.Admitted {
			t.Fatalf("call %d: %v", i+1, r)
		}
		held = append(held, tk)
	}
	for range 3 {
		if _, r := l.Acquire(); r != limit.OverConcurrency {
			t.Fatalf("call %d: %v, want %v", n+1, r, limit.OverConcurrency)
		}
	}
	if l.InFlight() != n || l.Limit() != n {
		t.Fatalf("in flight %d limit %d, want %d and %d", l.InFlight(), l.Limit(), n, n)
	}
	l.Release(held[0])
	if _, r := l.Acquire(); r != limit.Admitted {
		t.Fatalf("after a release: %v", r)
	}
	if _, r := l.Acquire(); r != limit.OverConcurrency {
		t.Fatalf("again at the limit: %v", r)
	}
}

// TestConcurrencyExactUnderContention: goroutines hammering a limiter never
// see more than MaxInFlight admitted at once.
func TestConcurrencyExactUnderContention(t *testing.T) {
	const maxIn = 3
	l := mustNew(t, limit.Policy{MaxInFlight: maxIn, QPS: 1e9, Burst: 1 << 20})
	var mu sync.Mutex
	in, peak, admitted := 0, 0, 0
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 2000 {
				tk, r := l.Acquire()
				if r != limit.Admitted {
					continue
				}
				mu.Lock()
				in++
				peak = max(peak, in)
				admitted++
				mu.Unlock()
				mu.Lock()
				in--
				mu.Unlock()
				l.Release(tk)
			}
		})
	}
	wg.Wait()
	if peak > maxIn || admitted == 0 || l.InFlight() != 0 {
		t.Fatalf("peak %d admitted %d in flight %d, want peak ≤ %d, some admitted, none left", peak, admitted, l.InFlight(), maxIn)
	}
}

// runWindow has calls in flight at once, each taking rtt, and moves the
// clock past a window.
func runWindow(l *limit.Limiter, clk *fakeClock, inFlight int, rtt time.Duration) {
	var ts []limit.Ticket
	for range inFlight {
		if tk, r := l.Acquire(); r == limit.Admitted {
			ts = append(ts, tk)
		}
	}
	clk.add(rtt)
	for _, tk := range ts {
		l.Release(tk)
	}
}

func TestAdaptiveFollowsLatency(t *testing.T) {
	l := mustNew(t, limit.Policy{MaxInFlight: 200, Adaptive: &limit.AdaptivePolicy{InitialLimit: 50, Window: time.Millisecond}})
	clk := newClock()
	limit.SetClock(l, clk.now)
	if l.Limit() != 50 {
		t.Fatalf("initial limit %d, want 50", l.Limit())
	}
	// Fast calls, the limit in use: it grows.
	prev := l.Limit()
	for range 5 {
		runWindow(l, clk, l.Limit(), 10*time.Millisecond)
	}
	grown := l.Limit()
	if grown <= prev {
		t.Fatalf("limit %d after fast windows in use, want above %d", grown, prev)
	}
	// Latency rises fivefold: it shrinks, window after window (the first
	// window after the change still holds calls from before it).
	runWindow(l, clk, l.Limit(), 50*time.Millisecond)
	for i := range 10 {
		before := l.Limit()
		runWindow(l, clk, l.Limit(), 50*time.Millisecond)
		if after := l.Limit(); after >= before && before > 6 { // 0.5 × limit + √limit has its fixed point at 4
			t.Fatalf("slow window %d: limit %d → %d, want lower", i, before, after)
		}
	}
	low := l.Limit()
	if low >= grown/4 {
		t.Fatalf("limit %d after slow windows, want far below %d", low, grown)
	}
	// Latency falls back: it grows again.
	for range 30 {
		runWindow(l, clk, l.Limit(), 10*time.Millisecond)
	}
	if back := l.Limit(); back <= low*2 {
		t.Fatalf("limit %d after latency fell back, want well above %d", back, low)
	}
}

func TestAdaptiveBounds(t *testing.T) {
	l := mustNew(t, limit.Policy{MaxInFlight: 30, Adaptive: &limit.AdaptivePolicy{MinLimit: 8, InitialLimit: 20}})
	clk := newClock()
	limit.SetClock(l, clk.now)
	for range 50 {
		runWindow(l, clk, l.Limit(), 10*time.Millisecond)
	}
	if l.Limit() != 30 {
		t.Fatalf("limit %d after many fast windows, want the ceiling 30", l.Limit())
	}
	for range 50 {
		runWindow(l, clk, l.Limit(), time.Second)
	}
	if l.Limit() != 8 {
		t.Fatalf("limit %d after many slow windows, want the floor 8", l.Limit())
	}
}

// TestAdaptiveIdleDoesNotGrow: a limit not in use stays where it is.
func TestAdaptiveIdleDoesNotGrow(t *testing.T) {
	l := mustNew(t, limit.Policy{MaxInFlight: 100, Adaptive: &limit.AdaptivePolicy{InitialLimit: 40}})
	clk := newClock()
	limit.SetClock(l, clk.now)
	for range 50 {
		for range 10 { // one call at a time
			runWindow(l, clk, 1, 10*time.Millisecond)
		}
		clk.add(100 * time.Millisecond)
	}
	if l.Limit() != 40 {
		t.Fatalf("limit %d after idle windows, want 40", l.Limit())
	}
}

func TestAdaptiveRejectsAtItsLimit(t *testing.T) {
	l := mustNew(t, limit.Policy{MaxInFlight: 10, Adaptive: &limit.AdaptivePolicy{InitialLimit: 3}})
	for range 3 {
		if _, r := l.Acquire(); r != limit.Admitted {
			t.Fatal(r)
		}
	}
	if _, r := l.Acquire(); r != limit.OverConcurrency {
		t.Fatalf("4th call at adaptive limit 3: %v", r)
	}
}

func TestPolicyValidate(t *testing.T) {
	ok := []limit.Policy{
		{},
		{QPS: 1},
		{QPS: 0.001, Burst: 1000},
		{MaxInFlight: 1},
		{MaxInFlight: 10, Adaptive: &limit.AdaptivePolicy{}},
		{MaxInFlight: 10, Adaptive: &limit.AdaptivePolicy{MinLimit: 10, InitialLimit: 10, Window: time.Millisecond, Tolerance: 1}},
	}
	for _, p := range ok {
		if err := p.Validate(); err != nil {
			t.Errorf("%+v: %v", p, err)
		}
	}
	bad := map[string]limit.Policy{
		"QPS":             {QPS: -1},
		"QPS 2":           {QPS: 2e9},
		"Burst":           {QPS: 1, Burst: -1},
		"without QPS":     {Burst: 5},
		"span":            {QPS: 1e-9, Burst: 1 << 30},
		"MaxInFlight":     {MaxInFlight: -1},
		"ceiling":         {Adaptive: &limit.AdaptivePolicy{}},
		"MinLimit":        {MaxInFlight: 5, Adaptive: &limit.AdaptivePolicy{MinLimit: 6}},
		"InitialLimit":    {MaxInFlight: 5, Adaptive: &limit.AdaptivePolicy{MinLimit: 3, InitialLimit: 2}},
		"Window":          {MaxInFlight: 5, Adaptive: &limit.AdaptivePolicy{Window: time.Microsecond}},
		"Tolerance":       {MaxInFlight: 5, Adaptive: &limit.AdaptivePolicy{Tolerance: 0.5}},
		"InitialLimit hi": {MaxInFlight: 5, Adaptive: &limit.AdaptivePolicy{InitialLimit: 6}},
	}
	for name, p := range bad {
		err := p.Validate()
		if err == nil {
			t.Errorf("%s: %+v accepted", name, p)
			continue
		}
		if _, err2 := limit.New(p); err2 == nil || !strings.HasPrefix(err2.Error(), "limit: ") {
			t.Errorf("%s: New: %v", name, err2)
		}
	}
}

func TestPolicyIsCopied(t *testing.T) {
	a := &limit.AdaptivePolicy{InitialLimit: 4}
	l := mustNew(t, limit.Policy{MaxInFlight: 8, Adaptive: a})
	a.InitialLimit = 99
	if got := l.Policy().Adaptive.InitialLimit; got != 4 {
		t.Fatalf("policy changed under the limiter: %d", got)
	}
}

func TestReasonString(t *testing.T) {
	for r, want := range map[limit.Reason]string{limit.Admitted: "admitted", limit.OverQPS: "QPS limit", limit.OverConcurrency: "concurrency limit", 9: "unknown reason"} {
		if r.String() != want {
			t.Errorf("%d: %q, want %q", r, r.String(), want)
		}
	}
}
