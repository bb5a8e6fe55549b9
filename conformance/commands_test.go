package conformance

import (
	"context"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ospreyrpc/osprey/conformance/internal/apache"
	"github.com/ospreyrpc/osprey/internal/leakcheck"
)

// TestCommands builds cmd/thrift-server and cmd/thrift-client and runs them:
// the Apache library client against thrift-server, thrift-client against the
// Apache library server, and the two commands against each other over a Unix
// socket.
func TestCommands(t *testing.T) {
	leakcheck.Check(t)
	bin := buildCommands(t)
	server, client := filepath.Join(bin, "thrift-server"), filepath.Join(bin, "thrift-client")

	t.Run("apache client, thrift-server", func(t *testing.T) {
		t.Parallel()
		// The flags name one combination; the server answers others too.
		srv := startCommand(t, server, "--port=0", "--protocol=compact", "--transport=framed")
		var wg sync.WaitGroup
		for _, opts := range []apache.Options{allOptions[0], allOptions[3]} {
			wg.Go(func() {
				if err := apache.Check(testContext(t), srv.addr, opts); err != nil {
					t.Errorf("apache.Check %v against thrift-server:\n%v", opts, err)
				}
			})
		}
		wg.Wait()
		srv.stop(t)
	})
	t.Run("thrift-client, apache server", func(t *testing.T) {
		t.Parallel()
		s := startApache(t, allOptions[2])
		out, code := runCommand(t, client, "--host=127.0.0.1", "--port="+port(s.Addr().String()),
			"--protocol=compact", "--transport=framed")
		if code != 0 || !strings.Contains(out, "PASSED") {
			t.Errorf("thrift-client exited %d, want 0:\n%s", code, out)
		}
	})
	t.Run("thrift-client, apache server, wrong transport", func(t *testing.T) {
		t.Parallel()
		s := startApache(t, allOptions[0])
		out, code := runCommand(t, client, "--host=127.0.0.1", "--port="+port(s.Addr().String()),
			"--protocol=binary", "--transport=buffered")
		if code != 1 || !strings.Contains(out, "FAIL testVoid: ") {
			t.Errorf("thrift-client exited %d, want 1 with testVoid failing:\n%s", code, out)
		}
	})
	t.Run("thrift-client, thrift-server, unix socket", func(t *testing.T) {
		t.Parallel()
		sock := filepath.Join(t.TempDir(), "thrift.sock")
		srv := startCommand(t, server, "--domain-socket="+sock)
		if srv.addr != "unix:"+sock {
			t.Errorf("thrift-server listens on %s, want unix:%s", srv.addr, sock)
		}
		out, code := runCommand(t, client, "--domain-socket", sock, "--protocol", "binary", "--transport", "framed")
		if code != 0 {
			t.Errorf("thrift-client exited %d, want 0:\n%s", code, out)
		}
		srv.stop(t)
	})
	t.Run("bad flags", func(t *testing.T) {
		t.Parallel()
		for _, args := range [][]string{
			{server, "--protocol=json"}, {server, "--transport=http"}, {server, "--ssl"}, {server, "extra"},
			{client, "--protocol=json"}, {client, "--transport=http"}, {client, "--ssl"}, {client, "--testloops=0"},
			{client, "--no-such-flag"},
		} {
			if out, code := runCommand(t, args[0], args[1:]...); code != 2 {
				t.Errorf("%s %q exited %d, want 2:\n%s", filepath.Base(args[0]), args[1:], code, out)
			} else if args[1] == "--ssl" && !strings.Contains(out, "ssl not supported") {
				t.Errorf("%s --ssl said %q, want it to say ssl is not supported", filepath.Base(args[0]), out)
			}
		}
	})
}

// buildCommands builds both commands into a temporary directory, with the
// race detector if the tests have it: then the packages the commands share
// with the tests are already compiled, and the commands are checked for
// races too.
func buildCommands(t *testing.T) string {
	t.Helper()
	// go test puts its own GOROOT/bin first in PATH.
	gotool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("no go command to build with: %v", err)
	}
	dir := t.TempDir()
	args := []string{"build", "-o", dir}
	if raceEnabled {
		args = append(args, "-race")
	}
	cmd := exec.Command(gotool, append(args, "./cmd/thrift-server", "./cmd/thrift-client")...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return dir
}

// runCommand runs a command to its end, within 30 seconds, and returns its
// combined output and exit code.
func runCommand(t *testing.T, name string, args ...string) (string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, name, args...).CombinedOutput()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return string(out), 0
	case errors.As(err, &exit) && exit.Exited():
		return string(out), exit.ExitCode()
	}
	t.Fatalf("%s %q: %v\n%s", filepath.Base(name), args, err, out)
	return "", -1
}

// command is a running thrift-server.
type command struct {
	cmd    *exec.Cmd
	addr   string     // from its "listening on" line
	done   chan error // receives what Wait returned
	output *syncBuffer
}

// startCommand starts thrift-server with args and waits for it to say where
// it listens. If the test ends before stop, the process is killed.
func startCommand(t *testing.T, name string, args ...string) *command {
	t.Helper()
	w := &lineWatcher{prefix: "listening on ", found: make(chan string, 1)}
	c := &command{cmd: exec.Command(name, args...), done: make(chan error, 1), output: &syncBuffer{}}
	c.cmd.Stdout, c.cmd.Stderr = w, c.output
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { c.done <- c.cmd.Wait() }()
	t.Cleanup(func() {
		if c.cmd.ProcessState == nil {
			c.cmd.Process.Kill()
			<-c.done
		}
	})
	select {
	case c.addr = <-w.found:
	case err := <-c.done:
		t.Fatalf("%s exited before listening: %v\n%s", filepath.Base(name), err, c.output)
	case <-time.After(10 * time.Second):
		t.Fatalf("%s did not say it was listening within 10s:\n%s", filepath.Base(name), c.output)
	}
	return c
}

// stop sends SIGTERM and expects the process to exit 0 within StopTimeout
// and a little.
func (c *command) stop(t *testing.T) {
	t.Helper()
	if err := c.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-c.done:
		if err != nil {
			t.Errorf("thrift-server exited with %v after SIGTERM, want 0:\n%s", err, c.output)
		}
	case <-time.After(10 * time.Second):
		t.Errorf("thrift-server still running 10s after SIGTERM:\n%s", c.output)
	}
}
