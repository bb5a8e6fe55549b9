package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/ospreyrpc/osprey/benchmark/internal/report"
)

// usage is what echo-server reports on SIGUSR1.
type usage struct {
	cpuNS, maxRSSKB, mallocs int64
}

// runOne starts a server, runs the client against it and returns the
// client's result with the server's CPU and allocations per call and its
// peak RSS filled in.
func runOne(cfg *config, name string, c, run int) (*report.Result, error) {
	srv, err := startServer(cfg, name)
	if err != nil {
		return nil, err
	}
	defer srv.stop()

	jsonPath := filepath.Join(cfg.out, fmt.Sprintf("%s-c%d-run%d.json", name, c, run+1))
	args := append(append([]string{}, cfg.clientPrefix...), filepath.Join(cfg.bin, "echo-client"),
		"--system", name, "--addr", srv.addr, "-c", strconv.Itoa(c), "-b", strconv.Itoa(cfg.bytes),
		"-d", cfg.duration.String(), "--warmup", cfg.warmup.String(), "--json", jsonPath,
		"--usage-pid", strconv.Itoa(srv.cmd.Process.Pid))
	cli := exec.Command(args[0], args[1:]...)
	cli.Stderr = os.Stderr
	if out, err := cli.Output(); err != nil {
		return nil, fmt.Errorf("echo-client: %v\n%s", err, out)
	}
	start, err := readUsage(srv.lines)
	if err != nil {
		return nil, err
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
	line, err := waitFor(lines, "usage ", 10*time.Second)
	if err != nil {
		return usage{}, err
	}
	var u usage
	if _, err := fmt.Sscanf(line, "cpu_ns=%d maxrss_kb=%d mallocs=%d", &u.cpuNS, &u.maxRSSKB, &u.mallocs); err != nil {
		return usage{}, fmt.Errorf("bad usage line %q: %v", line, err)
	}
	return u, nil
}
