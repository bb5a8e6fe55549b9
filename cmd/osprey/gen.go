package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/ospreyrpc/osprey/codegen"
	"github.com/ospreyrpc/osprey/codegen/pbgen"
	"github.com/ospreyrpc/osprey/idl"
	"github.com/ospreyrpc/osprey/idl/thriftidl"
)

func runGen(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("osprey gen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("o", "gen", "output `dir`ectory; each IDL file's package goes in the subdirectory its go namespace (Thrift), go_package or package (.proto) names")
	prefix := fs.String("import-prefix", "", "import `path` of the output directory (default: found from the go.mod above it)")
	verbose := fs.Bool("v", false, "print each file written")
	ignoreGoPkg := fs.Bool("ignore-go-package", false, ".proto: place every file by its package under the output directory, ignoring go_package options, and generate all imports (as osprey new does)")
	var includes multiFlag
	fs.Var(&includes, "I", "add `dir` to the include (Thrift) or import (.proto) search path (repeatable)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return fmt.Errorf("%w: osprey gen needs at least one .thrift or .proto file", errUsage)
	}
	proto, err := isProto(fs.Args())
	if err != nil {
		return err
	}
	if *prefix == "" {
		p, err := importPath(*out)
		if err != nil {
			return err
		}
		*prefix = p
	}
	if proto {
		files, err := pbgen.Generate(fs.Args(), pbgen.Options{ImportPrefix: *prefix, ImportPaths: includes, Version: version(), IgnoreGoPackage: *ignoreGoPkg})
		if err != nil {
			return err
		}
		return writeFiles(*out, files, verbose, stdout)
	}
	for _, idlPath := range fs.Args() {
		files, err := generate(idlPath, includes, *prefix, stderr)
		if err != nil {
			return err
		}
		if err := writeFiles(*out, files, verbose, stdout); err != nil {
			return err
		}
	}
	return nil
}

// isProto reports whether the files are Protocol Buffers (.proto files or
// descriptor sets, for package pbgen) rather than Thrift IDL (.thrift),
// and fails for a mix.
func isProto(files []string) (bool, error) {
	thrift := 0
	for _, f := range files {
		if strings.EqualFold(filepath.Ext(f), ".thrift") {
			thrift++
		}
	}
	if thrift > 0 && thrift < len(files) {
		return false, fmt.Errorf("%w: cannot mix .thrift files with .proto files or descriptor sets", errUsage)
	}
	return thrift == 0, nil
}

// generate parses an IDL file and generates its code, printing the
// parser's and the generator's warnings to stderr as
// "file:line:col: warning: message".
func generate(idlPath string, includes []string, prefix string, stderr io.Writer) ([]codegen.File, error) {
	warn := printWarning(stderr)
	prog, err := thriftidl.Parse(idlPath, thriftidl.Options{IncludeDirs: includes, Warn: warn})
	if err != nil {
		return nil, err
	}
	return codegen.Thrift(prog, codegen.Options{ImportPrefix: prefix, Version: version(), Warn: warn})
}

// printWarning returns a warning callback for the parser and the
// generator that prints "file:line:col: warning: message" lines to w.
func printWarning(w io.Writer) func(pos idl.Pos, msg string) {
	return func(pos idl.Pos, msg string) { fmt.Fprintf(w, "%s: warning: %s\n", pos, msg) }
}

func writeFiles(dir string, files []codegen.File, verbose *bool, stdout io.Writer) error {
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, f.Content, 0o644); err != nil {
			return err
		}
		if verbose != nil && *verbose {
			fmt.Fprintln(stdout, p)
		}
	}
	return nil
}

// importPath finds the import path of dir from the go.mod of the module
// that contains it.
func importPath(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := abs; ; d = filepath.Dir(d) {
		data, err := os.ReadFile(filepath.Join(d, "go.mod"))
		if err == nil {
			mod := modulePath(data)
			if mod == "" {
				return "", fmt.Errorf("%s has no module line", filepath.Join(d, "go.mod"))
			}
			rel, err := filepath.Rel(d, abs)
			if err != nil {
				return "", err
			}
			if rel == "." {
				return mod, nil
			}
			return mod + "/" + filepath.ToSlash(rel), nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("cannot tell the import path of %s: no go.mod above it; pass --import-prefix", dir)
		}
	}
}

// modulePath returns the module path a go.mod declares.
func modulePath(gomod []byte) string {
	for _, line := range strings.Split(string(gomod), "\n") {
		line = strings.TrimSpace(line)
		if rest, ok := strings.CutPrefix(line, "module"); ok && (rest == "" || rest[0] == ' ' || rest[0] == '\t') {
			return strings.Trim(strings.TrimSpace(rest), `"`)
		}
	}
	return ""
}
