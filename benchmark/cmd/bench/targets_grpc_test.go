package main

import (
	"strings"
	"testing"

	"github.com/ospreyrpc/osprey/benchmark/internal/report"
)

// The names of the gRPC targets, in the order targets reports them.
const (
	tGQPS    = "osprey-grpc QPS ≥ 2 × grpcgo"
	tGP99    = "osprey-grpc p99 ≤ 0.5 × grpcgo p99"
	tGCAlloc = "osprey-grpc client allocs/call ≤ 4 beyond the caller's own context"
	tGSAlloc = "osprey-grpc server allocs/call ≤ 4 beyond the handler's reply"
	tGSQPS   = "osprey-grpc-stream QPS ≥ 1.3 × grpcgo-stream"
	tGSP99   = "osprey-grpc-stream p99 ≤ grpcgo-stream p99"
	tGIdleC  = "idle gRPC connections, osprey-grpc server RSS per connection after connect ≤ 0.5 × grpcgo's"
	tGIdle1  = "idle gRPC connections, osprey-grpc server RSS per connection after one call each ≤ 0.5 × grpcgo's"
)

var grpcCfg = config{systems: []string{"grpcgo", "osprey-grpc", "grpcgo-stream", "osprey-grpc-stream", "connect"}, concurrency: []int{100}, runs: 2}

// passingGRPC returns results and idle results that meet every gRPC target,
// in two rounds of which the second ran at half the speed.
func passingGRPC() ([]*report.Result, []*idleResult) {
	res := []*report.Result{
		{System: "grpcgo", Run: 1, Concurrency: 100, QPS: 50, P99: 6},
		{System: "osprey-grpc", Run: 1, Concurrency: 100, QPS: 110, P99: 2.9, ClientAllocs: 8, ContextAllocs: 4, ServerAllocs: 5.04},
		{System: "grpcgo-stream", Run: 1, Concurrency: 100, QPS: 90, P99: 3},
		{System: "osprey-grpc-stream", Run: 1, Concurrency: 100, QPS: 130, P99: 2.5},
		{System: "connect", Run: 1, Concurrency: 100, QPS: 30, P99: 9},
		{System: "grpcgo", Run: 2, Concurrency: 100, QPS: 25, P99: 12},
		{System: "osprey-grpc", Run: 2, Concurrency: 100, QPS: 50, P99: 6, ClientAllocs: 8, ContextAllocs: 4, ServerAllocs: 5},
		{System: "grpcgo-stream", Run: 2, Concurrency: 100, QPS: 45, P99: 6},
		{System: "osprey-grpc-stream", Run: 2, Concurrency: 100, QPS: 60, P99: 6},
	}
	idle := []*idleResult{
		{system: "grpcgo", n: 10000, connectKB: 16.6, oneCallKB: 21.9},
		{system: "osprey-grpc", n: 10000, connectKB: 8.3, oneCallKB: 10},
	}
	return res, idle
}

func TestGRPCTargetsMet(t *testing.T) {
	res, idle := passingGRPC()
	got := targetsMarkdown(summarize(measurements{results: res}, grpcCfg).targets(idle))
	want := strings.Join([]string{
		"- " + tGQPS + ": met (2.10 × grpcgo)",
		"- " + tGP99 + ": met (0.49 × grpcgo p99)",
		"- " + tGCAlloc + ": met (4.0 of 8.0)",
		"- " + tGSAlloc + ": met (4.0 of 5.0)",
		"- " + tGSQPS + ": met (1.39 × grpcgo-stream)",
		"- " + tGSP99 + ": met (0.92 × grpcgo-stream p99)",
		"- 10000 " + tGIdleC + ": met (8.3 KiB against 16.6)",
		"- 10000 " + tGIdle1 + ": met (10.0 KiB against 21.9)",
	}, "\n")
	if lines := strings.Split(strings.TrimSpace(got), "\n")[2:]; strings.Join(lines, "\n") != want {
		t.Errorf("targets:\n%s\nwant:\n%s", got, want)
	}
}

// TestGRPCTargetsNotMet misses one gRPC target at a time.
func TestGRPCTargetsNotMet(t *testing.T) {
	set := func(res []*report.Result, system string, f func(*report.Result)) {
		for _, r := range res {
			if r.System == system {
				f(r)
			}
		}
	}
	idleOf := func(idle []*idleResult, system string) *idleResult {
		for _, r := range idle {
			if r.system == system {
				return r
			}
		}
		t.Fatalf("no idle result of %s", system)
		return nil
	}
	for _, tc := range []struct {
		miss, detail string
		change       func([]*report.Result, []*idleResult)
	}{
		{tGQPS, "1.98 × grpcgo", func(res []*report.Result, _ []*idleResult) {
			set(res, "osprey-grpc", func(r *report.Result) { r.QPS = 1.98 * map[int]float64{1: 50, 2: 25}[r.Run] })
		}},
		{tGP99, "0.51 × grpcgo p99", func(res []*report.Result, _ []*idleResult) {
			set(res, "osprey-grpc", func(r *report.Result) { r.P99 = 0.51 * map[int]float64{1: 6, 2: 12}[r.Run] })
		}},
		{tGCAlloc, "4.1 of 8.1", func(res []*report.Result, _ []*idleResult) {
			set(res, "osprey-grpc", func(r *report.Result) { r.ClientAllocs = 8.1 })
		}},
		{tGSAlloc, "4.1 of 5.1", func(res []*report.Result, _ []*idleResult) {
			set(res, "osprey-grpc", func(r *report.Result) { r.ServerAllocs = 5.1 })
		}},
		{tGSQPS, "1.29 × grpcgo-stream", func(res []*report.Result, _ []*idleResult) {
			set(res, "osprey-grpc-stream", func(r *report.Result) { r.QPS = 1.29 * map[int]float64{1: 90, 2: 45}[r.Run] })
		}},
		{tGSP99, "1.01 × grpcgo-stream p99", func(res []*report.Result, _ []*idleResult) {
			set(res, "osprey-grpc-stream", func(r *report.Result) { r.P99 = 1.01 * map[int]float64{1: 3, 2: 6}[r.Run] })
		}},
		{"10000 " + tGIdleC, "8.4 KiB against 16.6", func(_ []*report.Result, idle []*idleResult) { idleOf(idle, "osprey-grpc").connectKB = 8.4 }},
		{"10000 " + tGIdle1, "11.0 KiB against 21.9", func(_ []*report.Result, idle []*idleResult) { idleOf(idle, "osprey-grpc").oneCallKB = 11 }},
	} {
		t.Run(tc.miss, func(t *testing.T) {
			res, idle := passingGRPC()
			tc.change(res, idle)
			ts := summarize(measurements{results: res}, grpcCfg).targets(idle)
			if len(ts) != 8 {
				t.Fatalf("%d targets checked, want 8:\n%s", len(ts), targetsMarkdown(ts))
			}
			for _, tg := range ts {
				if tg.name == tc.miss {
					if tg.met || tg.unmeasured || tg.detail != tc.detail {
						t.Errorf("%s: met %v, unmeasured %v (%s), want NOT met (%s)", tg.name, tg.met, tg.unmeasured, tg.detail, tc.detail)
					}
				} else if !tg.met {
					t.Errorf("%s: NOT met (%s), though only %s was missed", tg.name, tg.detail, tc.miss)
				}
			}
		})
	}
}

// TestGRPCTargetsNotMeasured checks that gRPC goals whose systems did not
// run are listed as not measured, saying which, and that they are left out
// when no gRPC system ran.
func TestGRPCTargetsNotMeasured(t *testing.T) {
	res, idle := passingGRPC()
	var peers []*report.Result
	for _, r := range res {
		if !strings.HasPrefix(r.System, "osprey") {
			peers = append(peers, r)
		}
	}
	got := targetsMarkdown(summarize(measurements{results: peers, failures: []failure{{system: "osprey-grpc", c: 100, run: 1, reason: "refused"}}}, grpcCfg).targets(idle[:1]))
	for _, want := range []string{
		"- " + tGQPS + ": not measured (no run of osprey-grpc at c=100)\n",
		"- " + tGCAlloc + ": not measured (no run of osprey-grpc at c=100)\n",
		"- " + tGSP99 + ": not measured (no run of osprey-grpc-stream at c=100)\n",
		"- " + tGIdle1 + ": not measured (no idle measurement of osprey-grpc)\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("targets lack %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, ": met") || strings.Contains(got, "NOT met") {
		t.Errorf("a goal without its measurements was checked:\n%s", got)
	}
	// No gRPC system at all: no gRPC goals.
	thrift := []*report.Result{{System: "raw", Run: 1, Concurrency: 100, QPS: 100, P99: 2}}
	if ts := summarize(measurements{results: thrift}, targetsCfg).grpcTargets(nil); len(ts) != 0 {
		t.Errorf("gRPC goals without gRPC systems: %s", targetsMarkdown(ts))
	}
	// Only the idle measurement of grpc-go.
	ts := summarize(measurements{results: thrift}, targetsCfg).grpcTargets(idle[:1])
	if len(ts) != 8 || !ts[0].unmeasured || !strings.Contains(ts[0].detail, "osprey-grpc and grpcgo") {
		t.Errorf("with grpcgo's idle result only: %s", targetsMarkdown(ts))
	}
}
