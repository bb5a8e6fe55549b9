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

func TestTargets(t *testing.T) {
	res := []*report.Result{
		{System: "raw", Run: 1, Concurrency: 100, QPS: 100, P99: 2},
		{System: "osprey", Run: 1, Concurrency: 100, QPS: 90, P99: 2.5},
		{System: "kitex", Run: 1, Concurrency: 100, QPS: 70, P99: 3},
		{System: "apache", Run: 1, Concurrency: 100, QPS: 45, P99: 5},
		{System: "osprey", Run: 1, Concurrency: 1000, QPS: 70, P99: 20},
		// A second round on a slower machine: ratios within rounds still hold.
		{System: "raw", Run: 2, Concurrency: 100, QPS: 50, P99: 4},
		{System: "osprey", Run: 2, Concurrency: 100, QPS: 45, P99: 5},
		{System: "kitex", Run: 2, Concurrency: 100, QPS: 35, P99: 6},
		{System: "apache", Run: 2, Concurrency: 100, QPS: 22.5, P99: 10},
	}
	cfg := config{systems: []string{"raw", "osprey", "kitex", "apache"}, concurrency: []int{100, 1000}, runs: 2}
	got := summarize(res, cfg).targets()
	for _, want := range []string{
		"QPS ≥ 0.88 × raw: met (0.90",
		"QPS ≥ 1.15 × kitex: met (1.29",
		"p99 ≤ kitex p99: met",
		"p99 ≤ 1.3 × raw p99: met",
		"QPS ≥ 1.8 × apache: met (2.00",
		"c=1000 QPS ≥ 0.8 × its c=100 QPS: met (1.04)",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("targets lack %q:\n%s", want, got)
		}
	}
}
