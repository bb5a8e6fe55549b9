package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// errUsage marks errors for which the usage text helps.
var errUsage = errors.New("usage")

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	var err error
	switch args[0] {
	case "gen":
		err = runGen(args[1:], stdout, stderr)
	case "new":
		err = runNew(args[1:], stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "osprey", version())
	case "help", "-h", "--help":
		usage(stdout)
	default:
		fmt.Fprintf(stderr, "osprey: unknown command %q\n\n", args[0])
		usage(stderr)
		return 2
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintln(stderr, "osprey:", err)
		return 2
	default:
		fmt.Fprintln(stderr, "osprey:", err)
		return 1
	}
}

func usage(w io.Writer) {
	fmt.Fprint(w, `Usage:
  osprey gen [-o DIR] [-I DIR]... [--import-prefix PATH] FILE.thrift...
  osprey gen [-o DIR] [-I DIR]... [--import-prefix PATH] FILE.proto...|FILE.binpb...
      Generate Go code for the files and the files they include or import.
      Protocol Buffers input is .proto files or FileDescriptorSets.
  osprey new [--dir DIR] [--service NAME] [--replace DIR] MODULE FILE.thrift|FILE.proto
      Create a runnable project for a service of the file.
  osprey version
      Print the version.

Run 'osprey gen -h' or 'osprey new -h' for the flags.
`)
}

// version is the module version osprey was built from.
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}

// multiFlag collects a repeatable string flag.
type multiFlag []string

func (m *multiFlag) String() string     { return fmt.Sprint(*m) }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }
