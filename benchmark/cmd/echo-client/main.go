//go:build unix

package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/ospreyrpc/osprey/benchmark/internal/prof"
	"github.com/ospreyrpc/osprey/benchmark/internal/report"
	"github.com/ospreyrpc/osprey/benchmark/internal/stats"
	"github.com/ospreyrpc/osprey/benchmark/system"
)

// Phases of the closed loop.
const (
	warmup int32 = iota
	measure
	stop
)

func main() {
	name := flag.String("system", "osprey", "system to call")
	addr := flag.String("addr", "127.0.0.1:8001", "server address")
	concurrency := flag.Int("c", 100, "concurrent callers")
	duration := flag.Duration("d", 10*time.Second, "measured duration")
	size := flag.Int("b", 1024, "message size in bytes")
	warm := flag.Duration("warmup", 3*time.Second, "warm-up before measuring")
	jsonOut := flag.String("json", "", "also write the result as JSON to this file")
	usagePID := flag.Int("usage-pid", 0, "send SIGUSR1 to this process (echo-server) when the measured window starts and ends")
	var gov governance
	flag.StringVar(&gov.target, "target", "", "call this target instead of --addr: `URL` such as host:port,host:port, dns:///host:port or etcd://HOST:PORT/SERVICE (Osprey's clients only)")
	flag.StringVar(&gov.lb, "lb", "", "load balancer: rr, wrr, random, hash or p2c (default: the client's; Osprey's clients only)")
	flag.IntVar(&gov.retry, "retry", 0, "make up to `N` attempts per call, Echo marked idempotent (default: one; Osprey's clients only)")
	flag.Parse()
	stopProf, err := prof.Start()
	if err != nil {
		log.Fatal(err)
	}
	sys, err := system.Lookup(*name)
	if err != nil {
		log.Fatal(err)
	}
	if *concurrency < 1 || *size < 0 || *duration <= 0 {
		log.Fatal("need -c >= 1, -b >= 0, -d > 0")
	}
	mark := func() {}
	if *usagePID > 0 {
		mark = func() {
			if err := syscall.Kill(*usagePID, syscall.SIGUSR1); err != nil {
				log.Fatalf("signal server: %v", err)
			}
		}
	}
	dial := func() (system.Client, error) { return sys.NewClient(*addr, *concurrency) }
	var counts *instanceCounts
	if gov.set() {
		dial = func() (c system.Client, err error) {
			c, counts, err = gov.dial(sys, *addr, *concurrency)
			return c, err
		}
	}
	res, err := run(sys, dial, *concurrency, *size, *warm, *duration, mark)
	stopProf()
	if err != nil {
		log.Fatal(err)
	}
	if counts != nil {
		fmt.Printf("calls by instance (warm-up included): %s\n", counts)
	}
	fmt.Printf("%s c=%d b=%d: %.0f qps, p50 %.3f ms, p99 %.3f ms, p999 %.3f ms, %.1f allocs/call, %.2f µs CPU/call, %d errors\n",
		res.System, res.Concurrency, res.Bytes, res.QPS, res.P50, res.P99, res.P999, res.ClientAllocs, res.ClientCPU, res.Errors)
	if *jsonOut != "" {
		if err := res.Write(*jsonOut); err != nil {
			log.Fatal(err)
		}
	}
	if res.Errors > 0 {
		os.Exit(1)
	}
}

// run runs the closed loop with a client from dial; mark is called as the
// measured window starts and as it ends.
func run(sys system.System, dial func() (system.Client, error), concurrency, size int, warm, duration time.Duration, mark func()) (*report.Result, error) {
	client, err := dial()
	if err != nil {
		return nil, err
	}
	defer client.Close()
	callers := make([]system.Caller, concurrency)
	for i := range callers {
		if callers[i], err = client.Caller(); err != nil {
			return nil, err
		}
	}
	msg := strings.Repeat("x", size)
	// One call first, so a server that does not answer fails fast.
	if err := callers[0](msg); err != nil {
		return nil, fmt.Errorf("first call: %w", err)
	}

	var phase atomic.Int32
	var errs atomic.Uint64
	var firstErr atomic.Value
	hists := make([]stats.Histogram, concurrency)
	var wg sync.WaitGroup
	for i := range callers {
		wg.Add(1)
		go func(call system.Caller, h *stats.Histogram) {
			defer wg.Done()
			for phase.Load() != stop {
				start := time.Now()
				err := call(msg)
				elapsed := time.Since(start)
				if phase.Load() != measure {
					continue
				}
				if err != nil {
					errs.Add(1)
					firstErr.CompareAndSwap(nil, err)
					continue
				}
				h.Record(elapsed)
			}
		}(callers[i], &hists[i])
	}
	time.Sleep(warm)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	cpuBefore := cpuTime()
	mark()
	phase.Store(measure)
	start := time.Now()
	time.Sleep(duration)
	phase.Store(stop)
	window := time.Since(start)
	mark()
	cpuAfter := cpuTime()
	wg.Wait()
	runtime.ReadMemStats(&after)

	var all stats.Histogram
	for i := range hists {
		all.Merge(&hists[i])
	}
	calls := all.Count()
	res := &report.Result{
		System: sys.Name, Concurrency: concurrency, Bytes: size,
		Seconds: window.Seconds(), Calls: calls, Errors: errs.Load(),
		QPS:  float64(calls) / window.Seconds(),
		P50:  ms(all.Percentile(0.50)),
		P99:  ms(all.Percentile(0.99)),
		P999: ms(all.Percentile(0.999)),
	}
	if calls > 0 {
		res.ClientAllocs = float64(after.Mallocs-before.Mallocs) / float64(calls)
		if sys.Name != "raw" && !strings.HasPrefix(sys.Name, "rawclient") && !sys.Stream {
			res.ContextAllocs = system.ContextAllocs()
		}
		res.ClientCPU = float64(cpuAfter-cpuBefore) / float64(calls) / 1e3
	}
	if err, ok := firstErr.Load().(error); ok {
		log.Printf("first error: %v", err)
	}
	return res, nil
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// cpuTime returns the CPU time this process has used, in nanoseconds.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return syscall.TimevalToNsec(ru.Utime) + syscall.TimevalToNsec(ru.Stime)
}
