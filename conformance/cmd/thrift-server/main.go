// Command thrift-server serves Apache's cross-language test service,
// ThriftTest (and SecondService, also through the multiplexed protocol),
// with Osprey, taking the flags of Apache's cross-language test servers.
//
// Usage:
//
//	thrift-server [--host=127.0.0.1] [--port=9090] [--domain-socket=PATH]
//	              [--protocol=binary|compact] [--transport=buffered|framed]
//
// It prints "listening on ADDR" to standard output once it accepts
// connections, serves until SIGINT or SIGTERM, then stops gracefully and
// exits 0. It logs to standard error.
//
// The Osprey server detects the protocol and transport of each connection,
// so it answers binary and compact, framed and buffered clients whatever
// --protocol and --transport say; they are validated, so that the command
// fails for a combination Osprey does not speak, and otherwise only logged.
// With --port=0 it listens on a free port, which the "listening on" line
// names.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strconv"
	"syscall"

	"github.com/ospreyrpc/osprey/conformance/internal/apache"
	"github.com/ospreyrpc/osprey/conformance/internal/osprey"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run runs the command and returns its exit code: 0 after a clean stop,
// 1 if serving failed, 2 for bad flags.
func run(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("thrift-server", flag.ContinueOnError)
	fl.SetOutput(stderr)
	host := fl.String("host", "127.0.0.1", "`address` to listen on (loopback by default)")
	port := fl.Int("port", 9090, "TCP `port` to listen on; 0 picks a free one")
	domainSocket := fl.String("domain-socket", "", "listen on the Unix socket at `path` instead of TCP")
	protocol := fl.String("protocol", apache.ProtocolBinary, "binary or compact (the server accepts both anyway)")
	transport := fl.String("transport", apache.TransportBuffered, "buffered or framed (the server accepts both anyway)")
	ssl := fl.Bool("ssl", false, "not supported: the command fails if set")
	fl.String("server-type", "simple", "ignored: Osprey serves each connection on its own goroutine")
	fl.Bool("processor-events", false, "ignored")
	fl.Int("string-limit", 0, "ignored")
	fl.Int("container-limit", 0, "ignored")
	fl.Usage = func() {
		fmt.Fprintf(fl.Output(), "usage: thrift-server [flags]\n\n"+
			"Serves Apache's ThriftTest with Osprey until SIGINT or SIGTERM. The server\n"+
			"detects binary or compact protocol and framed or buffered transport on each\n"+
			"connection, so it accepts all four whatever --protocol and --transport say.\n\n")
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	opts := apache.Options{Protocol: *protocol, Transport: *transport}
	var flagErr error
	switch {
	case fl.NArg() > 0:
		flagErr = fmt.Errorf("unexpected arguments %q", fl.Args())
	case *ssl:
		flagErr = errors.New("--ssl: ssl not supported")
	default:
		_, flagErr = osprey.ThriftOption(opts)
	}
	if flagErr != nil {
		fmt.Fprintf(stderr, "thrift-server: %v\n", flagErr)
		fl.Usage()
		return 2
	}

	logger := slog.New(slog.NewTextHandler(stderr, nil))
	ln, err := listen(*host, *port, *domainSocket)
	if err != nil {
		logger.Error("cannot listen", "err", err)
		return 1
	}
	s, err := osprey.Serve(ln, logger)
	if err != nil {
		logger.Error("cannot serve", "err", err)
		return 1
	}
	addr := s.Addr().String()
	if *domainSocket != "" {
		addr = "unix:" + addr
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	logger.Info("serving ThriftTest", "addr", addr, "protocol", opts.Protocol, "transport", opts.Transport,
		"note", "every protocol and transport is accepted")
	fmt.Fprintf(stdout, "listening on %s\n", addr)
	<-ctx.Done()
	logger.Info("stopping")
	if err := s.Stop(); err != nil {
		logger.Error("stop", "err", err)
		return 1
	}
	logger.Info("stopped")
	return 0
}

// listen listens on the Unix socket at path if it is not empty, replacing a
// socket file left there by an earlier server, and otherwise on TCP.
func listen(host string, port int, path string) (net.Listener, error) {
	if path == "" {
		return net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(port)))
	}
	if fi, err := os.Lstat(path); err == nil && fi.Mode().Type() == fs.ModeSocket {
		os.Remove(path)
	}
	return net.Listen("unix", path)
}
