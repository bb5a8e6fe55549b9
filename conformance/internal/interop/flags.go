package interop

import (
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"strconv"

	"github.com/ospreyrpc/osprey/conformance/internal/testcert"
)

// Exit statuses of the peer programs.
const (
	ExitFailed   = 1 // the test case failed, or the server could not serve
	ExitBadFlags = 2 // bad flags or an unknown test case
)

// ServerFlags are the flags of an interop server.
type ServerFlags struct {
	Port   int  // --port, default 10000; 0 picks a free port
	UseTLS bool // --use_tls: serve TLS with the testcert certificate
}

// ParseServer parses an interop server's arguments (without the program
// name). Usage and errors go to output.
func ParseServer(name string, args []string, output io.Writer) (ServerFlags, error) {
	var f ServerFlags
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(output)
	fs.IntVar(&f.Port, "port", 10000, "port to listen on (0 picks a free one)")
	fs.BoolVar(&f.UseTLS, "use_tls", false, "serve TLS with the interop test certificate")
	if err := parse(fs, args); err != nil {
		return f, err
	}
	if f.Port < 0 || f.Port > 65535 {
		return f, fmt.Errorf("--port=%d out of range", f.Port)
	}
	return f, nil
}

// Addr is the address to listen on: every interface, port Port.
func (f ServerFlags) Addr() string { return net.JoinHostPort("", strconv.Itoa(f.Port)) }

// TLSConfig returns the server's TLS configuration, nil without --use_tls.
func (f ServerFlags) TLSConfig() (*tls.Config, error) {
	if !f.UseTLS {
		return nil, nil
	}
	return testcert.ServerConfig()
}

// ClientFlags are the flags of an interop client.
type ClientFlags struct {
	Host         string // --server_host, default localhost
	Port         int    // --server_port, default 10000
	HostOverride string // --server_host_override: TLS name and :authority
	TestCase     string // --test_case, default large_unary
	UseTLS       bool   // --use_tls: TLS trusting only the testcert certificate
}

// ParseClient parses an interop client's arguments (without the program
// name). Usage and errors go to output. It does not check the test case.
func ParseClient(name string, args []string, output io.Writer) (ClientFlags, error) {
	var f ClientFlags
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(output)
	fs.StringVar(&f.Host, "server_host", "localhost", "server host")
	fs.IntVar(&f.Port, "server_port", 10000, "server port")
	fs.StringVar(&f.HostOverride, "server_host_override", "", "server name for TLS and :authority (default: --server_host)")
	fs.StringVar(&f.TestCase, "test_case", "large_unary", "test case to run")
	fs.BoolVar(&f.UseTLS, "use_tls", false, "connect over TLS, trusting only the interop test certificate")
	if err := parse(fs, args); err != nil {
		return f, err
	}
	if f.Port <= 0 || f.Port > 65535 {
		return f, fmt.Errorf("--server_port=%d out of range", f.Port)
	}
	return f, nil
}

// Addr is the server's address, host:port.
func (f ClientFlags) Addr() string { return net.JoinHostPort(f.Host, strconv.Itoa(f.Port)) }

// TLSConfig returns the client's TLS configuration, nil without --use_tls:
// it trusts only the testcert certificate and verifies HostOverride, or
// Host when that is empty.
func (f ClientFlags) TLSConfig() (*tls.Config, error) {
	if !f.UseTLS {
		return nil, nil
	}
	name := f.HostOverride
	if name == "" {
		name = f.Host
	}
	return testcert.ClientConfig(name)
}

// parse parses args with fs and rejects arguments that are not flags.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return errors.New("unexpected arguments: " + fmt.Sprint(fs.Args()))
	}
	return nil
}
