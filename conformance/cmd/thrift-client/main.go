// Command thrift-client checks a server of Apache's cross-language test
// service, ThriftTest, with the Osprey client, taking the flags of Apache's
// cross-language test clients.
//
// Usage:
//
//	thrift-client [--host=localhost] [--port=9090] [--domain-socket=PATH]
//	              [--protocol=binary|compact] [--transport=buffered|framed]
//	              [--testloops=N]
//
// It calls every ThriftTest method and checks each result as
// ThriftTest.thrift documents, N times. It prints one line per failed check
// and a summary to standard output, and exits 0 only if every check passed,
// 1 if one failed, and 2 for bad flags.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"

	"github.com/ospreyrpc/osprey/conformance/internal/apache"
	"github.com/ospreyrpc/osprey/conformance/internal/osprey"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run runs the command and returns its exit code.
func run(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("thrift-client", flag.ContinueOnError)
	fl.SetOutput(stderr)
	host := fl.String("host", "localhost", "server `host`")
	port := fl.Int("port", 9090, "server TCP `port`")
	domainSocket := fl.String("domain-socket", "", "connect to the Unix socket at `path` instead of TCP")
	protocol := fl.String("protocol", apache.ProtocolBinary, "binary or compact")
	transport := fl.String("transport", apache.TransportBuffered, "buffered or framed")
	loops := fl.Int("testloops", 1, "run the checks `N` times")
	ssl := fl.Bool("ssl", false, "not supported: the command fails if set")
	fl.Usage = func() {
		fmt.Fprintf(fl.Output(), "usage: thrift-client [flags]\n\n"+
			"Checks every ThriftTest method of a server with the Osprey client.\n"+
			"Exits 0 if every check passed, 1 if one failed, 2 for bad flags.\n\n")
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
	case *loops < 1:
		flagErr = fmt.Errorf("--testloops=%d: want at least 1", *loops)
	default:
		_, flagErr = osprey.ThriftOption(opts)
	}
	if flagErr != nil {
		fmt.Fprintf(stderr, "thrift-client: %v\n", flagErr)
		fl.Usage()
		return 2
	}
	target := net.JoinHostPort(*host, strconv.Itoa(*port))
	if *domainSocket != "" {
		target = "unix:" + *domainSocket
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	failed := 0
	for loop := 1; loop <= *loops; loop++ {
		errs := failures(osprey.Check(ctx, target, opts))
		for _, err := range errs {
			fmt.Fprintf(stdout, "FAIL %s\n", strings.ReplaceAll(err.Error(), "\n", " "))
		}
		if len(errs) > 0 {
			failed++
			fmt.Fprintf(stdout, "loop %d of %d: %d of %d checks failed (%s/%s, %s)\n",
				loop, *loops, len(errs), osprey.CheckCount(), opts.Protocol, opts.Transport, target)
		}
		if ctx.Err() != nil {
			break
		}
	}
	if failed > 0 {
		fmt.Fprintf(stdout, "FAILED: %d of %d loops had failures\n", failed, *loops)
		return 1
	}
	fmt.Fprintf(stdout, "PASSED: all %d checks, %d time(s) (%s/%s, %s)\n",
		osprey.CheckCount(), *loops, opts.Protocol, opts.Transport, target)
	return 0
}

// failures returns the failed checks err reports, one error each.
func failures(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}
