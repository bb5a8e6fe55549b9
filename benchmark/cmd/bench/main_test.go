package main

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ospreyrpc/osprey/benchmark/internal/report"
)

// TestBenchSmoke runs the whole command path, briefly and unpinned: build,
// matrix, summary, chart and the idle measurement.
func TestBenchSmoke(t *testing.T) {
	cfg := config{
		systems: []string{"raw", "osprey", "grpcgo-stream"}, concurrency: []int{4}, bytes: 64,
		duration: 300 * time.Millisecond, warmup: 100 * time.Millisecond, runs: 1,
		out: t.TempDir(), idle: 50, idleSystems: []string{"raw", "osprey", "grpcgo"}, idleSettle: 100 * time.Millisecond,
	}
	table, err := execute(&cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"| raw | 4 |", "| osprey | 4 |", "| grpcgo-stream | 4 |", "Idle connections: 50 connections", "| osprey | 50 |", "| grpcgo | 50 |"} {
		if !strings.Contains(table, want) {
			t.Errorf("summary lacks %q:\n%s", want, table)
		}
	}
	svg, err := os.ReadFile(filepath.Join(cfg.out, "chart.svg"))
	if err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(svg, new(struct{})); err != nil {
		t.Errorf("chart is not well-formed XML: %v", err)
	}
	r, err := report.Read(filepath.Join(cfg.out, "osprey-c4-run1.json"))
	if err != nil || r.Calls == 0 || r.ServerCPU <= 0 || r.ServerMaxRSS <= 0 {
		t.Errorf("osprey result %+v, %v", r, err)
	}
}

// passing returns measurements that meet every target: the matrix's
// results, the syscall runs' and the idle ones.
func passing() ([]*report.Result, []*report.Result, []*idleResult) {
	res := []*report.Result{
		{System: "raw", Run: 1, Concurrency: 100, QPS: 100, P99: 2},
		{System: "osprey", Run: 1, Concurrency: 100, QPS: 90, P99: 2.5, ClientAllocs: 6.04, ContextAllocs: 4, ServerAllocs: 3},
		{System: "kitex", Run: 1, Concurrency: 100, QPS: 70, P99: 3, ClientAllocs: 8},
		{System: "apache", Run: 1, Concurrency: 100, QPS: 45, P99: 5},
		{System: "osprey", Run: 1, Concurrency: 1000, QPS: 70, P99: 20},
		// A second round on a slower machine: ratios within rounds still hold.
		{System: "raw", Run: 2, Concurrency: 100, QPS: 50, P99: 4},
		{System: "osprey", Run: 2, Concurrency: 100, QPS: 45, P99: 5, ClientAllocs: 6, ContextAllocs: 4, ServerAllocs: 3.01},
		{System: "kitex", Run: 2, Concurrency: 100, QPS: 35, P99: 6},
		{System: "apache", Run: 2, Concurrency: 100, QPS: 22.5, P99: 10},
		{System: "osprey-mux", Run: 1, Concurrency: 100, QPS: 95, P99: 2.4},
		{System: "osprey-mux", Run: 2, Concurrency: 100, QPS: 47.5, P99: 4.8},
		{System: "osprey-ttheader", Run: 1, Concurrency: 100, QPS: 88, P99: 2.5},
		{System: "osprey-ttheader", Run: 2, Concurrency: 100, QPS: 44, P99: 5},
		{System: "raw", Run: 1, Concurrency: 1000, QPS: 60, P99: 20},
		{System: "osprey-mux", Run: 1, Concurrency: 1000, QPS: 92, P99: 15},
		{System: "kitex-mux", Run: 1, Concurrency: 1000, QPS: 70, P99: 25},
	}
	sys := []*report.Result{
		{System: "osprey-mux", Concurrency: 1000, QPS: 90, ServerSyscalls: 0.6, ClientSyscalls: 0.7},
		{System: "osprey", Concurrency: 1000, QPS: 70, ServerSyscalls: 2.3, ClientSyscalls: 2.1},
	}
	idle := []*idleResult{
		{system: "raw", n: 10000, connectKB: 3.7, oneCallKB: 8.8},
		{system: "osprey", n: 10000, connectKB: 4.2, oneCallKB: 9.3},
		{system: "kitex", n: 10000, connectKB: 5.0, oneCallKB: 14.6},
	}
	return res, sys, idle
}

var targetsCfg = config{systems: []string{"raw", "osprey", "osprey-ttheader", "osprey-mux", "kitex", "kitex-mux", "apache"}, concurrency: []int{100, 1000}, runs: 2}

// The names of the targets, in the order targets reports them.
const (
	tRaw     = "QPS ≥ 0.88 × raw"
	tKitex   = "QPS ≥ 1.15 × kitex"
	tP99K    = "p99 ≤ kitex p99"
	tP99R    = "p99 ≤ 1.3 × raw p99"
	tApache  = "QPS ≥ 1.8 × apache"
	t1000    = "c=1000 QPS ≥ 0.8 × its c=100 QPS"
	tCAllocs = "client allocs/call ≤ 2 beyond the caller's own context"
	tSAllocs = "server allocs/call ≤ 2 beyond the handler's reply"
	tMuxO    = "c=1000 osprey-mux QPS ≥ 1.3 × osprey"
	tMuxR    = "c=1000 osprey-mux QPS ≥ 1.0 × raw"
	tMuxK    = "c=1000 osprey-mux QPS ≥ 1.2 × kitex-mux"
	tMuxSS   = "c=1000 osprey-mux server syscalls/call < 1"
	tMuxCS   = "c=1000 osprey-mux client syscalls/call < 1"
	tMuxP99  = "osprey-mux p99 ≤ osprey p99"
	tTTH     = "osprey-ttheader QPS ≥ 0.95 × osprey"
	tIdleC   = "10000 idle connections, server RSS per connection after connect ≤ kitex's"
	tIdle1   = "10000 idle connections, server RSS per connection after one call each ≤ kitex's"
)

func TestTargetsMet(t *testing.T) {
	res, sys, idle := passing()
	ts := summarize(measurements{results: res, syscalls: sys}, targetsCfg).targets(idle)
	want := []string{
		"- " + tRaw + ": met (0.90 × raw)",
		"- " + tKitex + ": met (1.29 × kitex)",
		"- " + tP99K + ": met (0.83 × kitex p99)",
		"- " + tP99R + ": met (1.25 × raw p99)",
		"- " + tApache + ": met (2.00 × apache)",
		"- " + t1000 + ": met (1.04)",
		"- " + tCAllocs + ": met (2.0 of 6.0)",
		"- " + tSAllocs + ": met (2.0 of 3.0)",
		"- " + tMuxO + ": met (1.31 × osprey)",
		"- " + tMuxR + ": met (1.53 × raw)",
		"- " + tMuxK + ": met (1.31 × kitex-mux)",
		"- " + tMuxSS + ": met (0.60)",
		"- " + tMuxCS + ": met (0.70)",
		"- " + tMuxP99 + ": met (0.96 × osprey p99)",
		"- " + tTTH + ": met (0.98 × osprey)",
		"- " + tIdleC + ": met (4.2 KiB against 5.0)",
		"- " + tIdle1 + ": met (9.3 KiB against 14.6)",
	}
	got := targetsMarkdown(ts)
	if lines := strings.Split(strings.TrimSpace(got), "\n")[2:]; strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("targets:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
}

// TestTargetsNotMet feeds measurements that miss one target each and
// checks that exactly that target is reported NOT met.
func TestTargetsNotMet(t *testing.T) {
	find := func(res []*report.Result, system string, c int) []*report.Result {
		var rs []*report.Result
		for _, r := range res {
			if r.System == system && r.Concurrency == c {
				rs = append(rs, r)
			}
		}
		return rs
	}
	idleOf := func(idle []*idleResult, system string) *idleResult {
		for _, r := range idle {
			if r.system == system {
				return r
			}
		}
		return nil
	}
	for _, tc := range []struct {
		miss   string
		detail string
		change func([]*report.Result, []*report.Result, []*idleResult)
	}{
		{tRaw, "0.87 × raw", func(res, _ []*report.Result, _ []*idleResult) {
			for _, r := range find(res, "osprey", 100) {
				r.QPS = 0.87 * find(res, "raw", 100)[r.Run-1].QPS
			}
		}},
		{tKitex, "1.14 × kitex", func(res, _ []*report.Result, _ []*idleResult) {
			for _, r := range find(res, "kitex", 100) {
				r.QPS = find(res, "osprey", 100)[r.Run-1].QPS / 1.14
			}
		}},
		{tP99K, "1.01 × kitex p99", func(res, _ []*report.Result, _ []*idleResult) {
			for _, r := range find(res, "kitex", 100) {
				r.P99 = find(res, "osprey", 100)[r.Run-1].P99 / 1.01
			}
		}},
		{tP99R, "1.31 × raw p99", func(res, _ []*report.Result, _ []*idleResult) {
			for _, r := range find(res, "raw", 100) {
				r.P99 = find(res, "osprey", 100)[r.Run-1].P99 / 1.31
			}
		}},
		{tApache, "1.79 × apache", func(res, _ []*report.Result, _ []*idleResult) {
			for _, r := range find(res, "apache", 100) {
				r.QPS = find(res, "osprey", 100)[r.Run-1].QPS / 1.79
			}
		}},
		{t1000, "0.79", func(res, _ []*report.Result, _ []*idleResult) {
			find(res, "osprey", 1000)[0].QPS = 0.79 * 67.5 // the c=100 median is 67.5
		}},
		{tCAllocs, "2.1 of 6.1", func(res, _ []*report.Result, _ []*idleResult) {
			for _, r := range find(res, "osprey", 100) {
				r.ClientAllocs = 6.06
			}
		}},
		{tSAllocs, "3.0 of 4.0", func(res, _ []*report.Result, _ []*idleResult) {
			for _, r := range find(res, "osprey", 100) {
				r.ServerAllocs = 4
			}
		}},
		{tMuxO, "1.29 × osprey", func(res, _ []*report.Result, _ []*idleResult) {
			find(res, "osprey-mux", 1000)[0].QPS = 1.29 * 70
		}},
		{tMuxR, "0.99 × raw", func(res, _ []*report.Result, _ []*idleResult) {
			find(res, "raw", 1000)[0].QPS = 92 / 0.99
		}},
		{tMuxK, "1.19 × kitex-mux", func(res, _ []*report.Result, _ []*idleResult) {
			find(res, "kitex-mux", 1000)[0].QPS = 92 / 1.19
		}},
		{tMuxSS, "1.00", func(_, sys []*report.Result, _ []*idleResult) { find(sys, "osprey-mux", 1000)[0].ServerSyscalls = 1 }},
		{tMuxCS, "1.20", func(_, sys []*report.Result, _ []*idleResult) { find(sys, "osprey-mux", 1000)[0].ClientSyscalls = 1.2 }},
		{tMuxP99, "1.01 × osprey p99", func(res, _ []*report.Result, _ []*idleResult) {
			for _, r := range find(res, "osprey-mux", 100) {
				r.P99 = 1.01 * find(res, "osprey", 100)[r.Run-1].P99
			}
		}},
		{tTTH, "0.94 × osprey", func(res, _ []*report.Result, _ []*idleResult) {
			for _, r := range find(res, "osprey-ttheader", 100) {
				r.QPS = 0.94 * find(res, "osprey", 100)[r.Run-1].QPS
			}
		}},
		{tIdleC, "5.1 KiB against 5.0", func(_, _ []*report.Result, idle []*idleResult) { idleOf(idle, "osprey").connectKB = 5.1 }},
		{tIdle1, "14.7 KiB against 14.6", func(_, _ []*report.Result, idle []*idleResult) { idleOf(idle, "osprey").oneCallKB = 14.7 }},
	} {
		t.Run(tc.miss, func(t *testing.T) {
			res, sys, idle := passing()
			tc.change(res, sys, idle)
			ts := summarize(measurements{results: res, syscalls: sys}, targetsCfg).targets(idle)
			if len(ts) != 17 {
				t.Fatalf("%d targets checked, want 17:\n%s", len(ts), targetsMarkdown(ts))
			}
			for _, tg := range ts {
				if tg.name == tc.miss {
					if tg.met || tg.detail != tc.detail {
						t.Errorf("%s: met %v (%s), want NOT met (%s)", tg.name, tg.met, tg.detail, tc.detail)
					}
					if md := targetsMarkdown([]target{tg}); !strings.Contains(md, tc.miss+": NOT met") {
						t.Errorf("rendered as %q", md)
					}
				} else if !tg.met {
					t.Errorf("%s: NOT met (%s), though only %s was missed", tg.name, tg.detail, tc.miss)
				}
			}
		})
	}
}

// TestTargetsLeaveOutWhatWasNotMeasured checks a goal is not reported met
// when its measurements are missing.
func TestTargetsLeaveOutWhatWasNotMeasured(t *testing.T) {
	names := func(ts []target) string {
		var ns []string
		for _, tg := range ts {
			ns = append(ns, tg.name)
		}
		return strings.Join(ns, "|")
	}
	res, _, _ := passing()
	ts := summarize(measurements{results: res[:2]}, targetsCfg).targets(nil)
	if want := strings.Join([]string{tRaw, tP99R, tCAllocs, tSAllocs}, "|"); names(ts) != want {
		t.Errorf("targets checked %q, want %q", names(ts), want)
	}
	// Without syscall runs, and with kitex-mux's run failed.
	var kept []*report.Result
	for _, r := range res {
		if r.System != "kitex-mux" {
			kept = append(kept, r)
		}
	}
	m := measurements{results: kept, failures: []failure{{system: "kitex-mux", c: 1000, run: 1, reason: "3 of 9 calls failed"}}}
	ts = summarize(m, targetsCfg).targets(nil)
	if want := strings.Join([]string{tRaw, tKitex, tP99K, tP99R, tApache, t1000, tCAllocs, tSAllocs, tMuxO, tMuxR, tMuxP99, tTTH}, "|"); names(ts) != want {
		t.Errorf("targets checked %q, want %q", names(ts), want)
	}
}

// TestFailedRunsInTable checks that a failed run's row says why and that
// the run counts in no median, while the others' rows stay whole.
func TestFailedRunsInTable(t *testing.T) {
	res, sys, _ := passing()
	var kept []*report.Result
	for _, r := range res {
		if r.System != "kitex-mux" {
			kept = append(kept, r)
		}
	}
	m := measurements{results: kept, syscalls: sys, failures: []failure{
		{system: "kitex-mux", c: 1000, run: 1, reason: "512 of 9000 calls failed: dial tcp: i/o timeout"},
		{system: "kitex", c: 1000, reason: "no calls completed"},
	}}
	md := summarize(m, targetsCfg).markdown(targetsCfg)
	for _, want := range []string{
		"| kitex-mux | 1000 | failed: 512 of 9000 calls failed: dial tcp: i/o timeout |" + strings.Repeat(" – |", 12) + "\n",
		"| osprey-mux | 1000 | 92 | 1.53 | – | 0.000 | 15.000 | 0.000 | 0.0 | 0.00 | 0.0 | 0.00 | 0.0 | 0.60 | 0.70 |\n",
		"| osprey | 1000 | 70 | 1.17 | – | 0.000 | 20.000 | 0.000 | 0.0 | 0.00 | 0.0 | 0.00 | 0.0 | 2.30 | 2.10 |\n",
		"- kitex-mux c=1000 run 1: 512 of 9000 calls failed: dial tcp: i/o timeout\n",
		"- kitex c=1000 syscall run: no calls completed\n",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("table lacks %q:\n%s", want, md)
		}
	}
}
