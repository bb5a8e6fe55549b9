package conformance

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ospreyrpc/osprey/internal/leakcheck"
)

// grpcCases are the gRPC interop test cases the issue asks for, named as in
// gRPC's interop test descriptions.
var grpcCases = []string{
	"empty_unary", "large_unary", "client_streaming", "server_streaming", "ping_pong", "empty_stream",
	"timeout_on_sleeping_server", "cancel_after_begin", "cancel_after_first_response",
	"custom_metadata", "status_code_and_message", "special_status_message",
	"unimplemented_method", "unimplemented_service",
	"client_compressed_unary", "server_compressed_unary", "client_compressed_streaming", "server_compressed_streaming",
}

// connectCases are the cases cmd/connect-client runs and cmd/connect-server
// serves.
var connectCases = []string{"empty_unary", "large_unary", "ping_pong"}

// grpcgoServerFails are the cases grpc-go's server cannot pass (see
// internal/grpcgopeer): a client run against it must fail them.
var grpcgoServerFails = map[string]string{
	"server_compressed_streaming": "grpc-go compresses every message of a stream or none",
}

// interopPair is a client program run, once per test case, against a
// server program. Both are commands under cmd/ with the flags of gRPC's
// interop programs (--port, --use_tls; --server_host, --server_port,
// --test_case, --use_tls).
type interopPair struct {
	client, server string
	tls            bool
	cases          []string
	fail           map[string]string // cases that must fail, and why
}

// interopPairs are the pairs TestInterop runs. Osprey's programs join as
// rows once cmd/grpc-server and cmd/grpc-client exist:
//
//	{client: "grpc-client", server: "grpcgo-server", cases: grpcCases, fail: grpcgoServerFails},
//	{client: "grpcgo-client", server: "grpc-server", cases: grpcCases},
//	{client: "connect-client", server: "grpc-server", cases: connectCases},
//	{client: "grpc-client", server: "connect-server", cases: connectCases},
//
// plus TLS rows like the ones below.
var interopPairs = []interopPair{
	// The harness and the grpc-go peers checked against each other.
	{client: "grpcgo-client", server: "grpcgo-server", cases: grpcCases, fail: grpcgoServerFails},
	{client: "grpcgo-client", server: "grpcgo-server", tls: true, cases: []string{"large_unary", "ping_pong"}},
	// connect-go, a second implementation, against itself and grpc-go.
	{client: "connect-client", server: "connect-server", cases: connectCases},
	{client: "connect-client", server: "connect-server", tls: true, cases: connectCases},
	{client: "connect-client", server: "grpcgo-server", cases: connectCases},
	// Osprey's client against grpc-go's and connect-go's servers, and
	// against Osprey's server.
	{client: "grpc-client", server: "grpcgo-server", cases: grpcCases, fail: grpcgoServerFails},
	{client: "grpc-client", server: "grpcgo-server", tls: true, cases: []string{"large_unary", "ping_pong", "custom_metadata"}},
	{client: "grpc-client", server: "connect-server", cases: connectCases},
	{client: "grpc-client", server: "grpc-server", cases: grpcCases},
	// Osprey's server against grpc-go's and connect-go's clients.
	{client: "grpcgo-client", server: "grpc-server", cases: grpcCases},
	{client: "grpcgo-client", server: "grpc-server", tls: true, cases: []string{"large_unary", "ping_pong", "custom_metadata"}},
	{client: "connect-client", server: "grpc-server", cases: connectCases},
	{client: "grpcgo-client", server: "connect-server", cases: []string{
		"empty_unary", "large_unary", "ping_pong", "empty_stream", "custom_metadata",
		"status_code_and_message", "special_status_message", "unimplemented_method", "unimplemented_service",
		"timeout_on_sleeping_server", "cancel_after_first_response",
		// connect-server lacks the compression features: the grpc-go
		// client's checks must notice.
		"client_compressed_unary", "server_compressed_unary",
	}, fail: map[string]string{
		"client_compressed_unary": "connect-server does not check expect_compressed",
		"server_compressed_unary": "connect-server does not honour response_compressed",
	}},
}

// TestInterop builds the interop programs once, without the race detector,
// checks their flags, and runs every pair of interopPairs: a server on a
// free port, then the client once per test case, each case a subtest.
func TestInterop(t *testing.T) {
	leakcheck.Check(t)
	bin := buildInterop(t)
	t.Run("flags", func(t *testing.T) {
		t.Parallel()
		checkInteropFlags(t, bin)
	})
	for _, p := range interopPairs {
		name := p.client + "→" + p.server
		if p.tls {
			name += "/tls"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var serverArgs []string
			clientArgs := []string{"--server_host=127.0.0.1"}
			if p.tls {
				serverArgs = append(serverArgs, "--use_tls")
				clientArgs = append(clientArgs, "--use_tls")
			}
			srv := startInteropServer(t, filepath.Join(bin, p.server), serverArgs...)
			clientArgs = append(clientArgs, "--server_port="+strconv.Itoa(srv.port))
			for _, tc := range p.cases {
				t.Run(tc, func(t *testing.T) {
					out, code := runInteropClient(t, filepath.Join(bin, p.client), append(clientArgs, "--test_case="+tc)...)
					why, mustFail := p.fail[tc]
					switch {
					case mustFail && code != 1:
						t.Errorf("%s exited %d, want 1 (%s):\n%s", p.client, code, why, out)
					case !mustFail && code != 0:
						t.Errorf("%s exited %d, want 0:\n%s", p.client, code, out)
					}
				})
			}
			srv.stop(t)
		})
	}
}

// checkInteropFlags checks the programs' flags: the grpc-go client knows
// exactly the cases the issue names, and every program rejects bad flags
// and unknown test cases with exit status 2.
func checkInteropFlags(t *testing.T, bin string) {
	out, code := runInteropClient(t, filepath.Join(bin, "grpcgo-client"), "--test_case=list")
	want := slices.Sorted(slices.Values(grpcCases))
	if got := strings.Fields(out); code != 0 || !slices.Equal(got, want) {
		t.Errorf("grpcgo-client --test_case=list exited %d with %q, want 0 with %q", code, got, want)
	}
	out, code = runInteropClient(t, filepath.Join(bin, "connect-client"), "--test_case=list")
	if got := strings.Fields(out); code != 0 || !slices.Equal(got, connectCases) {
		t.Errorf("connect-client --test_case=list exited %d with %q, want 0 with %q", code, got, connectCases)
	}
	for _, args := range [][]string{
		{"grpcgo-client", "--test_case=no_such_case"}, {"grpcgo-client", "--server_port=x"}, {"grpcgo-client", "extra"},
		{"connect-client", "--test_case=client_streaming"}, {"connect-client", "--bogus"},
		{"grpcgo-server", "--port=-1"}, {"grpcgo-server", "--server_port=1"},
		{"connect-server", "--use_tls=maybe"}, {"connect-server", "extra"},
	} {
		if out, code := runInteropClient(t, filepath.Join(bin, args[0]), args[1:]...); code != 2 {
			t.Errorf("%s %q exited %d, want 2:\n%s", args[0], args[1:], code, out)
		}
	}
}

// buildInterop builds every program interopPairs names into a temporary
// directory, in one go build, without the race detector (the programs are
// peers under test, not the code under test, and -race makes them slow).
func buildInterop(t *testing.T) string {
	t.Helper()
	var pkgs []string
	for _, p := range interopPairs {
		for _, cmd := range []string{p.client, p.server} {
			if pkg := "./cmd/" + cmd; !slices.Contains(pkgs, pkg) {
				pkgs = append(pkgs, pkg)
			}
		}
	}
	gotool, err := exec.LookPath("go") // go test puts its own first in PATH
	if err != nil {
		t.Fatalf("no go command to build with: %v", err)
	}
	dir := t.TempDir()
	start := time.Now()
	if out, err := exec.Command(gotool, append([]string{"build", "-o", dir}, pkgs...)...).CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	t.Logf("built %d programs in %v", len(pkgs), time.Since(start).Round(time.Millisecond))
	return dir
}

// runInteropClient runs a program to its end, within a minute, and returns
// its combined output and exit code.
func runInteropClient(t *testing.T, name string, args ...string) (string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
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

// interopServer is a running server program.
type interopServer struct {
	name   string
	cmd    *exec.Cmd
	port   int
	done   chan error // receives what Wait returned
	output *syncBuffer
}

// startInteropServer starts a server program on a free port and waits until
// the port accepts connections. A server that exits first (another process
// may have taken the port) is started again on another port, twice at most.
// If the test ends before stop, the process is killed.
func startInteropServer(t *testing.T, name string, args ...string) *interopServer {
	t.Helper()
	var err error
	for range 3 {
		var s *interopServer
		if s, err = tryInteropServer(t, name, args); err == nil {
			return s
		}
	}
	t.Fatal(err)
	return nil
}

// tryInteropServer starts the server once.
func tryInteropServer(t *testing.T, name string, args []string) (*interopServer, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	s := &interopServer{
		name:   filepath.Base(name),
		cmd:    exec.Command(name, append(args, "--port="+strconv.Itoa(port))...),
		port:   port,
		done:   make(chan error, 1),
		output: &syncBuffer{},
	}
	s.cmd.Stdout, s.cmd.Stderr = s.output, s.output
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	go func() { s.done <- s.cmd.Wait() }()
	t.Cleanup(func() {
		if s.cmd.ProcessState == nil {
			s.cmd.Process.Kill()
			<-s.done
		}
	})
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	deadline := time.Now().Add(10 * time.Second)
	for wait := time.Millisecond; ; wait = min(2*wait, 100*time.Millisecond) {
		if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			c.Close()
			return s, nil
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s does not accept connections on %s after 10s:\n%s", s.name, addr, s.output)
		}
		select {
		case err := <-s.done:
			s.done <- err
			return nil, fmt.Errorf("%s exited before accepting connections: %v\n%s", s.name, err, s.output)
		case <-time.After(wait): // polling a subprocess's port: nothing to wait on
		}
	}
}

// freePort returns a port no one listens on at the moment.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// stop sends SIGTERM and expects the server to exit within 10 seconds;
// the exit status is not checked, as the interop descriptions say nothing
// of it.
func (s *interopServer) stop(t *testing.T) {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
		t.Errorf("%s still running 10s after SIGTERM:\n%s", s.name, s.output)
	}
}
