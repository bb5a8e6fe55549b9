package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/ospreyrpc/osprey/benchmark/internal/report"
)

// usage is what echo-server reports on SIGUSR1.
type usage struct {
	cpuNS, maxRSSKB, mallocs int64
}

// runOne starts a server, runs the client against it for the configured
// warm-up and duration, and returns the client's result with the server's
// CPU and allocations per call and its peak RSS filled in.
func runOne(cfg *config, name string, c, run int) (*report.Result, error) {
	jsonPath := filepath.Join(cfg.out, fmt.Sprintf("%s-c%d-run%d.json", name, c, run+1))
	return runClient(cfg, name, c, run, cfg.warmup, cfg.duration, jsonPath, nil)
}

// runClient is runOne with its own warm-up, duration and result file. If
// during is not nil, it is called with the server's and the client's
// process ids as the measured window starts, and the run fails if it
// fails.
func runClient(cfg *config, name string, c, run int, warmup, duration time.Duration, jsonPath string, during func(srvPID, cliPID int) error) (*report.Result, error) {
	srv, err := startServer(cfg, name)
	if err != nil {
		return nil, err
	}
	defer srv.stop()

	args := append(append([]string{}, cfg.clientPrefix...), filepath.Join(cfg.bin, "echo-client"),
		"--system", name, "--addr", srv.addr, "-c", strconv.Itoa(c), "-b", strconv.Itoa(cfg.bytes),
		"-d", duration.String(), "--warmup", warmup.String(), "--json", jsonPath,
		"--usage-pid", strconv.Itoa(srv.cmd.Process.Pid))
	// taskset execs the command, so the started process is echo-client.
	cli := exec.Command(args[0], args[1:]...)
	stderr := &tail{w: os.Stderr}
	cli.Stderr = stderr
	if err := cli.Start(); err != nil {
		return nil, err
	}
	start, err := usage{}, error(nil)
	if during != nil {
		// The client's set-up (dialing c connections) comes before its
		// warm-up; allow it a minute.
		if start, err = readUsageWithin(srv.lines, warmup+time.Minute); err == nil {
			err = during(srv.cmd.Process.Pid, cli.Process.Pid)
		}
	}
	if waitErr := cli.Wait(); waitErr != nil {
		return nil, clientFailure(waitErr, jsonPath, stderr.last())
	}
	if err != nil {
		return nil, err
	}
	if during == nil {
		if start, err = readUsage(srv.lines); err != nil {
			return nil, err
		}
	}
	end, err := readUsage(srv.lines)
	if err != nil {
		return nil, err
	}
	res, err := report.Read(jsonPath)
	if err != nil {
		return nil, err
	}
	if res.Calls > 0 {
		res.ServerCPU = float64(end.cpuNS-start.cpuNS) / float64(res.Calls) / 1e3
		res.ServerAllocs = float64(end.mallocs-start.mallocs) / float64(res.Calls)
	}
	res.ServerMaxRSS = float64(end.maxRSSKB) / 1024
	res.Run = run + 1
	return res, res.Write(jsonPath)
}

// clientFailure says in short why echo-client failed: the calls that
// failed, if it got as far as writing its result, and the last line it
// logged.
func clientFailure(err error, jsonPath, lastLine string) error {
	msg := "echo-client: " + err.Error()
	if res, rerr := report.Read(jsonPath); rerr == nil && res.Errors > 0 {
		msg = fmt.Sprintf("%d of %d calls failed", res.Errors, res.Errors+res.Calls)
	}
	if lastLine != "" {
		msg += ": " + lastLine
	}
	return errors.New(msg)
}

// tail writes to w and keeps the last line written.
type tail struct {
	w    io.Writer
	mu   sync.Mutex
	line []byte // the last complete line, or the unfinished one after it
	done []byte // the last complete line
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	for _, b := range p {
		if b == '\n' {
			if len(t.line) > 0 {
				t.done = append(t.done[:0], t.line...)
			}
			t.line = t.line[:0]
		} else if len(t.line) < 1024 {
			t.line = append(t.line, b)
		}
	}
	t.mu.Unlock()
	return t.w.Write(p)
}

// last returns the last non-empty line written, without the log prefix
// of the date and time.
func (t *tail) last() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	line := string(t.done)
	if len(t.line) > 0 {
		line = string(t.line)
	}
	// log's default prefix: "2006/01/02 15:04:05 ".
	if len(line) > 20 && line[4] == '/' && line[13] == ':' {
		line = line[20:]
	}
	return shorten(line)
}

// server is a running echo-server.
type server struct {
	cmd   *exec.Cmd
	addr  string        // where it listens
	lines <-chan string // what it prints after its "listening on" line
}

// startServer starts echo-server for system name as the config pins it
// and waits until it listens.
func startServer(cfg *config, name string) (*server, error) {
	args := append(append([]string{}, cfg.serverPrefix...), filepath.Join(cfg.bin, "echo-server"), "--system", name, "--addr", "127.0.0.1:0")
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	lines := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		io.Copy(io.Discard, stdout)
	}()
	srv := &server{cmd: cmd, lines: lines}
	if srv.addr, err = waitFor(lines, "listening on ", 30*time.Second); err != nil {
		srv.stop()
		return nil, err
	}
	return srv, nil
}

// stop stops the server and waits for it to exit.
func (s *server) stop() {
	s.cmd.Process.Signal(syscall.SIGTERM)
	s.cmd.Wait()
}

// waitFor returns the rest of the first line starting with prefix.
func waitFor(lines <-chan string, prefix string, timeout time.Duration) (string, error) {
	deadline := time.After(timeout)
	for {
		select {
		case line, ok := <-lines:
			if !ok {
				return "", fmt.Errorf("server exited before printing %q", prefix)
			}
			if rest, found := strings.CutPrefix(line, prefix); found {
				return rest, nil
			}
		case <-deadline:
			return "", fmt.Errorf("no %q line in %v", prefix, timeout)
		}
	}
}

func readUsage(lines <-chan string) (usage, error) {
	return readUsageWithin(lines, 10*time.Second)
}

// readUsageWithin reads the next usage line the server prints, waiting at
// most timeout.
func readUsageWithin(lines <-chan string, timeout time.Duration) (usage, error) {
	line, err := waitFor(lines, "usage ", timeout)
	if err != nil {
		return usage{}, err
	}
	var u usage
	if _, err := fmt.Sscanf(line, "cpu_ns=%d maxrss_kb=%d mallocs=%d", &u.cpuNS, &u.maxRSSKB, &u.mallocs); err != nil {
		return usage{}, fmt.Errorf("bad usage line %q: %v", line, err)
	}
	return u, nil
}
