package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/ospreyrpc/osprey/benchmark/system"
)

type config struct {
	systems      []string
	concurrency  []int
	bytes        int
	duration     time.Duration
	warmup       time.Duration
	runs         int
	serverCPU    string
	clientCPU    string
	out          string
	bin          string
	pin          bool
	betweenRuns  time.Duration
	serverPrefix []string
	clientPrefix []string
	idle         int // connections for the idle-memory measurement; 0 skips it
	idleSystems  []string
	idleSettle   time.Duration
	// syscalls turns on the syscall runs: after the matrix, one run of
	// each system at each concurrency, syscallDuration long after
	// syscallWarmup, with perf counting each side's system calls over
	// syscallWindow from the start of the measured window.
	syscalls        bool
	syscallWarmup   time.Duration
	syscallDuration time.Duration
	syscallWindow   time.Duration
}

func main() {
	var all []string
	for _, s := range system.All() {
		all = append(all, s.Name)
	}
	systems := flag.String("systems", strings.Join(all, ","), "comma-separated systems to run")
	conc := flag.String("c", "100,1000", "comma-separated concurrency levels")
	bytes := flag.Int("b", 1024, "message size in bytes")
	duration := flag.Duration("d", 10*time.Second, "measured duration of each run")
	warmup := flag.Duration("warmup", 3*time.Second, "warm-up before each measured run")
	runs := flag.Int("runs", 3, "runs of each system and concurrency; the table shows medians")
	serverCPU := flag.String("server-cpu", "0", "core (taskset list) for echo-server")
	clientCPU := flag.String("client-cpu", "1", "core (taskset list) for echo-client")
	out := flag.String("out", "", "results directory (default results/DATE)")
	pin := flag.Bool("pin", true, "pin server and client with taskset")
	idleN := flag.Int("idle", 10000, "connections for the idle-memory measurement; 0 skips it")
	idleSystems := flag.String("idle-systems", "raw,osprey,kitex,osprey-grpc,grpcgo", "systems for the idle-memory measurement")
	syscalls := flag.Bool("syscalls", true, "after the matrix, count each side's syscalls per call with perf in one extra 3s run (1s warm-up) per system and concurrency; skipped with a note where perf cannot count raw_syscalls:sys_enter")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), `Usage: go run ./cmd/bench [flags]

Runs every system at every concurrency -runs times, with echo-server and
echo-client pinned to their cores, then (with -syscalls) one run each with
perf counting syscalls, then (with -idle) the idle-connection memory. A run
that fails is recorded as failed and the rest go on. Prints a markdown table
of medians and the targets, and writes every run's JSON, summary.md and
chart.svg to the results directory.

Systems: %s.

Flags:
`, strings.Join(all, ", "))
		flag.PrintDefaults()
	}
	flag.Parse()

	cfg := config{
		systems: strings.Split(*systems, ","), bytes: *bytes, duration: *duration,
		warmup: *warmup, runs: *runs, serverCPU: *serverCPU, clientCPU: *clientCPU,
		out: *out, pin: *pin, betweenRuns: time.Second, idleSettle: 3 * time.Second,
		syscalls: *syscalls, syscallWarmup: time.Second, syscallDuration: 3 * time.Second, syscallWindow: 2 * time.Second,
	}
	for _, c := range strings.Split(*conc, ",") {
		n, err := strconv.Atoi(c)
		if err != nil || n < 1 {
			log.Fatalf("bad concurrency %q", c)
		}
		cfg.concurrency = append(cfg.concurrency, n)
	}
	if cfg.out == "" {
		cfg.out = filepath.Join("results", time.Now().Format("2006-01-02T15-04-05"))
	}
	if cfg.pin {
		if _, err := exec.LookPath("taskset"); err != nil {
			log.Fatal("taskset not found (util-linux); install it or pass -pin=false")
		}
		cfg.serverPrefix = []string{"taskset", "-c", cfg.serverCPU}
		cfg.clientPrefix = []string{"taskset", "-c", cfg.clientCPU}
	}
	cfg.idle, cfg.idleSystems = *idleN, strings.Split(*idleSystems, ",")
	table, err := execute(&cfg)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print("\n" + table)
	fmt.Println("\nresults in", cfg.out)
}

// execute builds the commands, runs the matrix and the idle measurement,
// writes the results into cfg.out, and returns the summary table.
func execute(cfg *config) (string, error) {
	for _, s := range append(append([]string{}, cfg.systems...), cfg.idleSystems...) {
		if _, err := system.Lookup(s); err != nil && s != "" {
			return "", err
		}
	}
	if err := os.MkdirAll(cfg.out, 0o755); err != nil {
		return "", err
	}
	if err := build(cfg); err != nil {
		return "", err
	}
	defer os.RemoveAll(cfg.bin)
	m := runMatrix(cfg)
	if cfg.syscalls && cfg.runs > 0 {
		if err := perfWorks(); err != nil {
			m.syscallNote = "not counted: " + err.Error()
			fmt.Fprintf(os.Stderr, "syscalls %s\n", m.syscallNote)
		} else {
			runSyscalls(cfg, &m)
		}
	}
	table := ""
	sum := summarize(m, *cfg)
	if cfg.runs > 0 {
		table = sum.markdown(*cfg)
		if err := os.WriteFile(filepath.Join(cfg.out, "chart.svg"), sum.chart(), 0o644); err != nil {
			return "", err
		}
	}
	var idle []*idleResult
	if cfg.idle > 0 {
		for _, name := range cfg.idleSystems {
			r, err := measureIdle(cfg, name, cfg.idle, cfg.idleSettle)
			if err != nil {
				return "", fmt.Errorf("idle %s: %w", name, err)
			}
			fmt.Fprintf(os.Stderr, "idle %-8s %d connections: %.1f KiB/conn after connect, %.1f after one call\n", name, r.n, r.connectKB, r.oneCallKB)
			idle = append(idle, r)
		}
		table += fmt.Sprintf("\nIdle connections: %d connections to one server; its resident memory per connection over its baseline, read from /proc after %v of quiet.\n\n", cfg.idle, cfg.idleSettle) + idleTable(idle)
	}
	table += targetsMarkdown(sum.targets(idle))
	return table, os.WriteFile(filepath.Join(cfg.out, "summary.md"), []byte(table), 0o644)
}

// build compiles echo-server and echo-client into a temporary directory.
func build(cfg *config) error {
	dir, err := os.MkdirTemp("", "osprey-bench-")
	if err != nil {
		return err
	}
	cfg.bin = dir
	gomod, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return err
	}
	cmd := exec.Command("go", "build", "-o", dir+string(filepath.Separator), "./cmd/echo-server", "./cmd/echo-client")
	cmd.Dir = filepath.Dir(strings.TrimSpace(string(gomod)))
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	return cmd.Run()
}

// runMatrix runs every system at every concurrency cfg.runs times. Each
// run goes through the systems in a different order, so slow drift of the
// machine spreads over all of them. A run that fails is logged and
// recorded, and the matrix goes on.
func runMatrix(cfg *config) measurements {
	var m measurements
	for r := 0; r < cfg.runs; r++ {
		for _, c := range cfg.concurrency {
			for i := range cfg.systems {
				name := cfg.systems[(i+r)%len(cfg.systems)]
				res, err := runOne(cfg, name, c, r)
				if err != nil {
					fmt.Fprintf(os.Stderr, "run %d/%d %-8s c=%-5d FAILED: %v\n", r+1, cfg.runs, name, c, err)
					m.failures = append(m.failures, failure{system: name, c: c, run: r + 1, reason: shorten(err.Error())})
				} else {
					fmt.Fprintf(os.Stderr, "run %d/%d %-8s c=%-5d %8.0f qps  p99 %6.3f ms  %5.1f allocs/call  client %5.2f, server %5.2f µs/call\n",
						r+1, cfg.runs, name, c, res.QPS, res.P99, res.ClientAllocs, res.ClientCPU, res.ServerCPU)
					m.results = append(m.results, res)
				}
				time.Sleep(cfg.betweenRuns)
			}
		}
	}
	return m
}

// runSyscalls makes the syscall run of every system at every
// concurrency; one that fails is logged and recorded.
func runSyscalls(cfg *config, m *measurements) {
	for _, c := range cfg.concurrency {
		for _, name := range cfg.systems {
			res, err := measureSyscalls(cfg, name, c)
			if err != nil {
				fmt.Fprintf(os.Stderr, "syscalls %-8s c=%-5d FAILED: %v\n", name, c, err)
				m.failures = append(m.failures, failure{system: name, c: c, reason: shorten(err.Error())})
				continue
			}
			fmt.Fprintf(os.Stderr, "syscalls %-8s c=%-5d %8.0f qps  server %.2f, client %.2f syscalls/call\n",
				name, c, res.QPS, res.ServerSyscalls, res.ClientSyscalls)
			m.syscalls = append(m.syscalls, res)
			time.Sleep(cfg.betweenRuns)
		}
	}
}
