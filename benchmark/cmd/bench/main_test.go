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
		systems: []string{"raw", "osprey"}, concurrency: []int{4}, bytes: 64,
		duration: 300 * time.Millisecond, warmup: 100 * time.Millisecond, runs: 1,
		out: t.TempDir(), idle: 50, idleSystems: []string{"raw", "osprey"}, idleSettle: 100 * time.Millisecond,
	}
	table, err := execute(&cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"| raw | 4 |", "| osprey | 4 |", "Idle connections: 50 connections", "| osprey | 50 |"} {
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

// passing returns measurements that meet every target.
func passing() ([]*report.Result, []*idleResult) {
	res := []*report.Result{
		{System: "raw", Run: 1, Concurrency: 100, QPS: 100, P99: 2},
		{System: "osprey", Run: 1, Concurrency: 100, QPS: 90, P99: 2.5, ClientAllocs: 2.04, ServerAllocs: 2},
		{System: "kitex", Run: 1, Concurrency: 100, QPS: 70, P99: 3, ClientAllocs: 8},
		{System: "apache", Run: 1, Concurrency: 100, QPS: 45, P99: 5},
		{System: "osprey", Run: 1, Concurrency: 1000, QPS: 70, P99: 20},
		// A second round on a slower machine: ratios within rounds still hold.
		{System: "raw", Run: 2, Concurrency: 100, QPS: 50, P99: 4},
		{System: "osprey", Run: 2, Concurrency: 100, QPS: 45, P99: 5, ClientAllocs: 2, ServerAllocs: 2.01},
		{System: "kitex", Run: 2, Concurrency: 100, QPS: 35, P99: 6},
		{System: "apache", Run: 2, Concurrency: 100, QPS: 22.5, P99: 10},
	}
	idle := []*idleResult{
		{system: "raw", n: 10000, connectKB: 3.7, oneCallKB: 8.8},
		{system: "osprey", n: 10000, connectKB: 4.2, oneCallKB: 9.3},
		{system: "kitex", n: 10000, connectKB: 5.0, oneCallKB: 14.6},
	}
	return res, idle
}

var targetsCfg = config{systems: []string{"raw", "osprey", "kitex", "apache"}, concurrency: []int{100, 1000}, runs: 2}

// The names of the targets, in the order targets reports them.
const (
	tRaw     = "QPS ≥ 0.88 × raw"
	tKitex   = "QPS ≥ 1.15 × kitex"
	tP99K    = "p99 ≤ kitex p99"
	tP99R    = "p99 ≤ 1.3 × raw p99"
	tApache  = "QPS ≥ 1.8 × apache"
	t1000    = "c=1000 QPS ≥ 0.8 × its c=100 QPS"
	tCAllocs = "client allocs/call ≤ 2 (benchmark loop included)"
	tSAllocs = "server allocs/call ≤ 2"
	tIdleC   = "10000 idle connections, server RSS per connection after connect ≤ kitex's"
	tIdle1   = "10000 idle connections, server RSS per connection after one call each ≤ kitex's"
)

func TestTargetsMet(t *testing.T) {
	res, idle := passing()
	ts := summarize(res, targetsCfg).targets(idle)
	want := []string{
		"- " + tRaw + ": met (0.90 × raw)",
		"- " + tKitex + ": met (1.29 × kitex)",
		"- " + tP99K + ": met (0.83 × kitex p99)",
		"- " + tP99R + ": met (1.25 × raw p99)",
		"- " + tApache + ": met (2.00 × apache)",
		"- " + t1000 + ": met (1.04)",
		"- " + tCAllocs + ": met (2.0)",
		"- " + tSAllocs + ": met (2.0)",
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
		change func([]*report.Result, []*idleResult)
	}{
		{tRaw, "0.87 × raw", func(res []*report.Result, _ []*idleResult) {
			for _, r := range find(res, "osprey", 100) {
				r.QPS = 0.87 * find(res, "raw", 100)[r.Run-1].QPS
			}
		}},
		{tKitex, "1.14 × kitex", func(res []*report.Result, _ []*idleResult) {
			for _, r := range find(res, "kitex", 100) {
				r.QPS = find(res, "osprey", 100)[r.Run-1].QPS / 1.14
			}
		}},
		{tP99K, "1.01 × kitex p99", func(res []*report.Result, _ []*idleResult) {
			for _, r := range find(res, "kitex", 100) {
				r.P99 = find(res, "osprey", 100)[r.Run-1].P99 / 1.01
			}
		}},
		{tP99R, "1.31 × raw p99", func(res []*report.Result, _ []*idleResult) {
			for _, r := range find(res, "raw", 100) {
				r.P99 = find(res, "osprey", 100)[r.Run-1].P99 / 1.31
			}
		}},
		{tApache, "1.79 × apache", func(res []*report.Result, _ []*idleResult) {
			for _, r := range find(res, "apache", 100) {
				r.QPS = find(res, "osprey", 100)[r.Run-1].QPS / 1.79
			}
		}},
		{t1000, "0.79", func(res []*report.Result, _ []*idleResult) {
			find(res, "osprey", 1000)[0].QPS = 0.79 * 67.5 // the c=100 median is 67.5
		}},
		{tCAllocs, "2.1", func(res []*report.Result, _ []*idleResult) {
			for _, r := range find(res, "osprey", 100) {
				r.ClientAllocs = 2.06
			}
		}},
		{tSAllocs, "3.0", func(res []*report.Result, _ []*idleResult) {
			for _, r := range find(res, "osprey", 100) {
				r.ServerAllocs = 3
			}
		}},
		{tIdleC, "5.1 KiB against 5.0", func(_ []*report.Result, idle []*idleResult) { idleOf(idle, "osprey").connectKB = 5.1 }},
		{tIdle1, "14.7 KiB against 14.6", func(_ []*report.Result, idle []*idleResult) { idleOf(idle, "osprey").oneCallKB = 14.7 }},
	} {
		t.Run(tc.miss, func(t *testing.T) {
			res, idle := passing()
			tc.change(res, idle)
			ts := summarize(res, targetsCfg).targets(idle)
			if len(ts) != 10 {
				t.Fatalf("%d targets checked, want 10:\n%s", len(ts), targetsMarkdown(ts))
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
	res, _ := passing()
	ts := summarize(res[:2], targetsCfg).targets(nil)
	var names []string
	for _, tg := range ts {
		names = append(names, tg.name)
	}
	if want := []string{tRaw, tP99R, tCAllocs, tSAllocs}; strings.Join(names, "|") != strings.Join(want, "|") {
		t.Errorf("targets checked %q, want %q", names, want)
	}
}
