package main

import (
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/ospreyrpc/osprey/benchmark/internal/report"
)

// syscallEvent is the perf event counted: every system call entry.
const syscallEvent = "raw_syscalls:sys_enter"

// perfWorks returns nil if perf can count syscallEvent here, or why not.
func perfWorks() error {
	if _, err := exec.LookPath("perf"); err != nil {
		return errors.New("perf not found")
	}
	out, err := exec.Command("perf", "stat", "-e", syscallEvent, "-x,", "true").CombinedOutput()
	if err != nil {
		return fmt.Errorf("perf stat -e %s: %v: %s", syscallEvent, err, shorten(string(out)))
	}
	_, err = parsePerfCount(string(out), syscallEvent)
	return err
}

// parsePerfCount returns the count of event in the output of
// "perf stat -x,": lines of comma-separated fields, the count first and
// the event's name third (perf may add modifiers, as in "event:u"). It
// returns an error if no line names event or its count is not a number,
// such as "<not supported>" or "<not counted>".
func parsePerfCount(out, event string) (uint64, error) {
	for _, line := range strings.Split(out, "\n") {
		f := strings.Split(strings.TrimSpace(line), ",")
		if len(f) < 3 || (f[2] != event && !strings.HasPrefix(f[2], event+":")) {
			continue
		}
		n, err := strconv.ParseUint(f[0], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("perf counted %s as %q", event, f[0])
		}
		return n, nil
	}
	return 0, fmt.Errorf("no count of %s in perf's output %q", event, shorten(out))
}

// countSyscalls counts the system calls of process pid (all its threads)
// for window.
func countSyscalls(pid int, window time.Duration) (uint64, error) {
	out, err := exec.Command("perf", "stat", "-e", syscallEvent, "-x,", "-p", strconv.Itoa(pid),
		"--", "sleep", strconv.FormatFloat(window.Seconds(), 'f', 3, 64)).CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("perf stat -p %d: %v: %s", pid, err, shorten(string(out)))
	}
	return parsePerfCount(string(out), syscallEvent)
}

// measureSyscalls runs system name at concurrency c once more, for
// cfg.syscallDuration after cfg.syscallWarmup, and counts the server's and
// the client's system calls with perf over cfg.syscallWindow starting as
// the measured window starts. It returns the run's result with the counts
// per call filled in.
func measureSyscalls(cfg *config, name string, c int) (*report.Result, error) {
	var srvN, cliN uint64
	during := func(srvPID, cliPID int) error {
		var wg sync.WaitGroup
		var srvErr, cliErr error
		wg.Add(2)
		go func() { defer wg.Done(); srvN, srvErr = countSyscalls(srvPID, cfg.syscallWindow) }()
		go func() { defer wg.Done(); cliN, cliErr = countSyscalls(cliPID, cfg.syscallWindow) }()
		wg.Wait()
		return errors.Join(srvErr, cliErr)
	}
	jsonPath := filepath.Join(cfg.out, fmt.Sprintf("%s-c%d-syscalls.json", name, c))
	res, err := runClient(cfg, name, c, 0, cfg.syscallWarmup, cfg.syscallDuration, jsonPath, during)
	if err != nil {
		return nil, err
	}
	if res.QPS <= 0 {
		return nil, errors.New("no calls completed")
	}
	res.Run = 0 // not a round of the matrix
	secs := cfg.syscallWindow.Seconds()
	res.ServerSyscalls = float64(srvN) / secs / res.QPS
	res.ClientSyscalls = float64(cliN) / secs / res.QPS
	return res, res.Write(jsonPath)
}

// shorten returns the first non-empty line of s, cut to 100 bytes: a
// short reason for a table or a log line.
func shorten(s string) string {
	for _, line := range strings.Split(s, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			if len(line) > 100 {
				n := 100
				for n > 0 && !utf8.RuneStart(line[n]) {
					n--
				}
				line = line[:n] + "…"
			}
			return line
		}
	}
	return ""
}
