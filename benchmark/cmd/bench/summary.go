package main

import (
	"fmt"
	"math"
	"runtime"
	"strings"
	"time"

	"github.com/ospreyrpc/osprey/benchmark/internal/report"
	"github.com/ospreyrpc/osprey/benchmark/internal/stats"
)

// measurements is what the runs measured.
type measurements struct {
	results  []*report.Result // the matrix's runs that succeeded
	syscalls []*report.Result // the syscall runs that succeeded
	failures []failure
	// syscallNote says why syscalls were not counted, if they were not.
	syscallNote string
}

// failure is a run that failed: its result counts nowhere.
type failure struct {
	system string
	c      int
	run    int // round of the matrix, from 1; 0 for the syscall run
	reason string
}

// row holds the medians of one system at one concurrency.
type row struct {
	system              string
	c                   int
	qps, p50, p99, p999 float64
	allocs, clientCPU   float64
	ctxAllocs           float64 // of allocs, the caller's own context's
	serverAllocs        float64
	serverCPU, maxRSS   float64
	runs                int    // runs that succeeded
	failed              string // why the first failed run failed, if any did
	// serverSys and clientSys are syscalls per call from the syscall
	// run, if hasSys.
	serverSys, clientSys float64
	hasSys               bool
}

type summary struct {
	rows        []row // in config order: concurrency, then system
	results     []*report.Result
	failures    []failure
	syscallNote string
}

// ratio returns the median over rounds of a's value over b's at
// concurrency c, each round comparing runs made minutes apart at most: the
// machine drifts, so ratios within a round are steadier than a ratio of
// medians. It returns 0 if no round has both.
func (s summary) ratio(a, b string, c int, value func(*report.Result) float64) float64 {
	byRun := map[int]*report.Result{}
	for _, r := range s.results {
		if r.System == b && r.Concurrency == c {
			byRun[r.Run] = r
		}
	}
	var rs []float64
	for _, r := range s.results {
		if base, ok := byRun[r.Run]; ok && r.System == a && r.Concurrency == c && value(base) > 0 {
			rs = append(rs, value(r)/value(base))
		}
	}
	return stats.Median(rs)
}

func qpsOf(r *report.Result) float64 { return r.QPS }
func p99Of(r *report.Result) float64 { return r.P99 }

// summarize takes the medians of each system's runs at each concurrency;
// failed runs count in none.
func summarize(m measurements, cfg config) summary {
	s := summary{results: m.results, failures: m.failures, syscallNote: m.syscallNote}
	for _, c := range cfg.concurrency {
		for _, name := range cfg.systems {
			var q, p50, p99, p999, al, ctxal, sal, ccpu, cpu, rss []float64
			for _, r := range m.results {
				if r.System == name && r.Concurrency == c {
					q, p50, p99, p999 = append(q, r.QPS), append(p50, r.P50), append(p99, r.P99), append(p999, r.P999)
					al, cpu, rss = append(al, r.ClientAllocs), append(cpu, r.ServerCPU), append(rss, r.ServerMaxRSS)
					ccpu, sal = append(ccpu, r.ClientCPU), append(sal, r.ServerAllocs)
					ctxal = append(ctxal, r.ContextAllocs)
				}
			}
			s.rows = append(s.rows, row{
				system: name, c: c, runs: len(q),
				qps: stats.Median(q), p50: stats.Median(p50), p99: stats.Median(p99), p999: stats.Median(p999),
				allocs: stats.Median(al), ctxAllocs: stats.Median(ctxal), clientCPU: stats.Median(ccpu), serverAllocs: stats.Median(sal), serverCPU: stats.Median(cpu), maxRSS: stats.Median(rss),
			})
			rw := &s.rows[len(s.rows)-1]
			for _, f := range m.failures {
				if f.system == name && f.c == c && f.run > 0 {
					rw.failed = f.reason
					break
				}
			}
			for _, r := range m.syscalls {
				if r.System == name && r.Concurrency == c {
					rw.serverSys, rw.clientSys, rw.hasSys = r.ServerSyscalls, r.ClientSyscalls, true
				}
			}
		}
	}
	return s
}

// find returns the row of system at concurrency c, if it has runs that
// succeeded.
func (s summary) find(system string, c int) (row, bool) {
	for _, r := range s.rows {
		if r.system == system && r.c == c && r.runs > 0 {
			return r, true
		}
	}
	return row{}, false
}

func fmtRatio(r float64) string {
	if r == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f", r)
}

// markdown renders the medians as a table.
func (s summary) markdown(cfg config) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Medians of %d runs, %d-byte messages, %v measured after %v warm-up; server on core %s, client on core %s; %s, %d CPUs, %s.\n\n",
		cfg.runs, cfg.bytes, cfg.duration, cfg.warmup, cfg.serverCPU, cfg.clientCPU, runtime.Version(), runtime.NumCPU(), time.Now().Format("2006-01-02"))
	b.WriteString("QPS and latencies are medians over the runs that succeeded; × raw and × kitex are medians of the ratios within each round of runs. ")
	if s.syscallNote != "" {
		fmt.Fprintf(&b, "Syscalls per call: %s.\n\n", s.syscallNote)
	} else {
		fmt.Fprintf(&b, "Syscalls per call: from one extra run per row with perf attached (the runs above go without it), %v after %v of warm-up; perf counts %s of each process over %v from the start of the measured window, divided by that run's QPS.\n\n",
			cfg.syscallDuration, cfg.syscallWarmup, syscallEvent, cfg.syscallWindow)
	}
	b.WriteString("| system | c | QPS | × raw | × kitex | p50 ms | p99 ms | p999 ms | client allocs/call | client µs/call | server allocs/call | server µs/call | server peak RSS MB | server syscalls/call | client syscalls/call |\n")
	b.WriteString("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	for _, r := range s.rows {
		srvSys, cliSys := "–", "–"
		if r.hasSys {
			srvSys, cliSys = fmt.Sprintf("%.2f", r.serverSys), fmt.Sprintf("%.2f", r.clientSys)
		}
		if r.runs == 0 {
			reason := "not run"
			if r.failed != "" {
				reason = "failed: " + strings.ReplaceAll(r.failed, "|", "/")
			}
			fmt.Fprintf(&b, "| %s | %d | %s |%s %s | %s |\n", r.system, r.c, reason, strings.Repeat(" – |", 10), srvSys, cliSys)
			continue
		}
		fmt.Fprintf(&b, "| %s | %d | %.0f | %s | %s | %.3f | %.3f | %.3f | %.1f | %.2f | %.1f | %.2f | %.1f | %s | %s |\n",
			r.system, r.c, r.qps, fmtRatio(s.ratio(r.system, "raw", r.c, qpsOf)), fmtRatio(s.ratio(r.system, "kitex", r.c, qpsOf)),
			r.p50, r.p99, r.p999, r.allocs, r.clientCPU, r.serverAllocs, r.serverCPU, r.maxRSS, srvSys, cliSys)
	}
	if len(s.failures) > 0 {
		b.WriteString("\nFailed runs (left out of the medians, ratios and targets):\n\n")
		for _, f := range s.failures {
			which := fmt.Sprintf("run %d", f.run)
			if f.run == 0 {
				which = "syscall run"
			}
			fmt.Fprintf(&b, "- %s c=%d %s: %s\n", f.system, f.c, which, f.reason)
		}
	}
	return b.String()
}

// target is one performance goal and whether the measurements meet it.
type target struct {
	name   string
	met    bool
	detail string // the measured value the check used, or what is missing
	// unmeasured says the goal could not be checked: its systems did not
	// run, or no run of theirs succeeded.
	unmeasured bool
}

// maxAllocs is the allocations per typed call the goals allow on each
// side. A measured median meets it when it does rounded to one decimal,
// as the table prints it: the processes' few background allocations over
// millions of calls do not count.
const maxAllocs = 2

// handlerAllocs is what the benchmark's echo handler itself allocates per
// call: its reply.
const handlerAllocs = 1

// targets checks the performance goals set for osprey against the
// measurements: the medians at c=100 unless stated, and the idle results.
// A goal whose measurements are missing is left out.
func (s summary) targets(idle []*idleResult) []target {
	var ts []target
	check := func(name string, have bool, met bool, detail string) {
		if have {
			ts = append(ts, target{name: name, met: met, detail: detail})
		}
	}
	o, ok := s.find("osprey", 100)
	if ok {
		_, hasRaw := s.find("raw", 100)
		_, hasKitex := s.find("kitex", 100)
		_, hasApache := s.find("apache", 100)
		vsRaw, vsKitex, vsApache := s.ratio("osprey", "raw", 100, qpsOf), s.ratio("osprey", "kitex", 100, qpsOf), s.ratio("osprey", "apache", 100, qpsOf)
		p99Raw, p99Kitex := s.ratio("osprey", "raw", 100, p99Of), s.ratio("osprey", "kitex", 100, p99Of)
		check("QPS ≥ 0.88 × raw", hasRaw, vsRaw >= 0.88, fmtRatio(vsRaw)+" × raw")
		check("QPS ≥ 1.15 × kitex", hasKitex, vsKitex >= 1.15, fmtRatio(vsKitex)+" × kitex")
		check("p99 ≤ kitex p99", hasKitex, p99Kitex > 0 && p99Kitex <= 1, fmtRatio(p99Kitex)+" × kitex p99")
		check("p99 ≤ 1.3 × raw p99", hasRaw, p99Raw > 0 && p99Raw <= 1.3, fmtRatio(p99Raw)+" × raw p99")
		check("QPS ≥ 1.8 × apache", hasApache, vsApache >= 1.8, fmtRatio(vsApache)+" × apache")
		o1000, has1000 := s.find("osprey", 1000)
		check("c=1000 QPS ≥ 0.8 × its c=100 QPS", has1000, o.qps > 0 && o1000.qps >= 0.8*o.qps, fmtRatio(o1000.qps/o.qps))
		check(fmt.Sprintf("client allocs/call ≤ %d beyond the caller's own context", maxAllocs), true,
			roundTenth(o.allocs-o.ctxAllocs) <= maxAllocs, fmt.Sprintf("%.1f of %.1f", o.allocs-o.ctxAllocs, o.allocs))
		check(fmt.Sprintf("server allocs/call ≤ %d beyond the handler's reply", maxAllocs), true,
			roundTenth(o.serverAllocs-handlerAllocs) <= maxAllocs, fmt.Sprintf("%.1f of %.1f", o.serverAllocs-handlerAllocs, o.serverAllocs))
	}
	s.muxTargets(check)
	var osp, kit *idleResult
	for _, r := range idle {
		switch r.system {
		case "osprey":
			osp = r
		case "kitex":
			kit = r
		}
	}
	if osp != nil && kit != nil {
		n := fmt.Sprintf("%d idle connections", osp.n)
		check(n+", server RSS per connection after connect ≤ kitex's", true, osp.connectKB <= kit.connectKB,
			fmt.Sprintf("%.1f KiB against %.1f", osp.connectKB, kit.connectKB))
		check(n+", server RSS per connection after one call each ≤ kitex's", true, osp.oneCallKB <= kit.oneCallKB,
			fmt.Sprintf("%.1f KiB against %.1f", osp.oneCallKB, kit.oneCallKB))
	}
	return append(ts, s.grpcTargets(idle)...)
}

// muxTargets checks the goals for osprey-mux and osprey-ttheader: at
// c=1000, multiplexing beats Osprey's ping-pong pool, raw TCP and Kitex's
// multiplexing, with under one syscall per call on each side; at c=100, it
// costs no tail latency, and TTHeader costs little throughput.
func (s summary) muxTargets(check func(name string, have, met bool, detail string)) {
	has := func(system string, c int) bool { _, ok := s.find(system, c); return ok }
	if has("osprey-mux", 1000) {
		for _, t := range []struct {
			base string
			min  float64
		}{{"osprey", 1.3}, {"raw", 1.0}, {"kitex-mux", 1.2}} {
			r := s.ratio("osprey-mux", t.base, 1000, qpsOf)
			check(fmt.Sprintf("c=1000 osprey-mux QPS ≥ %.1f × %s", t.min, t.base), has(t.base, 1000), r >= t.min, fmtRatio(r)+" × "+t.base)
		}
		m, _ := s.find("osprey-mux", 1000)
		check("c=1000 osprey-mux server syscalls/call < 1", m.hasSys, m.serverSys < 1, fmt.Sprintf("%.2f", m.serverSys))
		check("c=1000 osprey-mux client syscalls/call < 1", m.hasSys, m.clientSys < 1, fmt.Sprintf("%.2f", m.clientSys))
	}
	if has("osprey", 100) {
		p99 := s.ratio("osprey-mux", "osprey", 100, p99Of)
		check("osprey-mux p99 ≤ osprey p99", has("osprey-mux", 100), p99 > 0 && p99 <= 1, fmtRatio(p99)+" × osprey p99")
		q := s.ratio("osprey-ttheader", "osprey", 100, qpsOf)
		check("osprey-ttheader QPS ≥ 0.95 × osprey", has("osprey-ttheader", 100), q >= 0.95, fmtRatio(q)+" × osprey")
	}
}

func roundTenth(v float64) float64 { return math.Round(v*10) / 10 }

// targetsMarkdown renders targets as a list, each marked met or NOT met.
func targetsMarkdown(ts []target) string {
	if len(ts) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("\nTargets (c=100 unless stated):\n\n")
	for _, t := range ts {
		mark := "met"
		switch {
		case t.unmeasured:
			mark = "not measured"
		case !t.met:
			mark = "NOT met"
		}
		fmt.Fprintf(&b, "- %s: %s (%s)\n", t.name, mark, t.detail)
	}
	return b.String()
}
