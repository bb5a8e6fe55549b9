package conformance

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ospreyrpc/osprey/codegen"
	"github.com/ospreyrpc/osprey/idl/thriftidl"
)

// apacheCorpus are the IDL files of Apache Thrift's own test suite (test/
// in the github.com/apache/thrift module this module requires) that a
// Thrift generator for Go is expected to handle: Apache's cross-language
// ThriftTest, the files Apache's own generators are tested with (debug
// protocol, docs, enums, identifiers, name conflicts, optional and
// required fields, recursion, typedefs, constants, includes), and the
// files written for other languages' generators, which are plain IDL too.
var apacheCorpus = []string{
	"AnnotationTest", "ConstantsDemo", "DebugProtoTest", "DenseLinkingTest",
	"DocTest", "DoubleConstantsTest", "EnumContainersTest", "EnumTest",
	"ExceptionStruct", "FullCamelTest", "FuzzTest", "Identifiers", "Include",
	"Int64Test", "JsDeepConstructorTest", "JsRecursionDepthTest",
	"ManyOptionals", "ManyTypedefs", "NameConflictTest",
	"OptionalRequiredTest", "Recursive", "ReuseObjects", "Service",
	"SmallTest", "SpecificNameTest", "StressTest", "ThriftTest",
	"TypedefTest", "Types", "UnsafeTypes", "VoidMethExceptionsTest",
}

// apacheExcluded are the test/ files left out of the corpus, with why.
var apacheExcluded = map[string]string{
	"BrokenConstants": "meant to be rejected: an i64 constant out of range (Apache's compiler fails on it too)",
}

// TestApacheCorpusBuilds generates Go code for each file of apacheCorpus
// into one temporary module that uses this checkout, and runs go build
// and go vet over it. A failure names the IDL file. A file of test/ that
// is in neither list fails the test too, so a new Apache version's files
// are looked at.
func TestApacheCorpusBuilds(t *testing.T) {
	testDir := filepath.Join(apacheModuleDir(t), "test")
	found, err := filepath.Glob(filepath.Join(testDir, "*.thrift"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range found {
		name := strings.TrimSuffix(filepath.Base(f), ".thrift")
		if _, ok := apacheExcluded[name]; !ok && !slices.Contains(apacheCorpus, name) {
			t.Errorf("%s: in Apache's test/ but neither in apacheCorpus nor in apacheExcluded", filepath.Base(f))
		}
	}

	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	mod := t.TempDir()
	gomod := "module example.com/corpus\n\ngo 1.26\n\nrequire github.com/ospreyrpc/osprey v0.0.0\n\nreplace github.com/ospreyrpc/osprey => " + root + "\n"
	if err := os.WriteFile(filepath.Join(mod, "go.mod"), []byte(gomod), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, name := range apacheCorpus {
		// Each file goes in its own directory: several include the same
		// files, which then get a package per includer.
		prog, err := thriftidl.Parse(filepath.Join(testDir, name+".thrift"), thriftidl.Options{IncludeDirs: []string{testDir}})
		if err != nil {
			t.Errorf("%s.thrift does not parse: %v", name, err)
			continue
		}
		files, err := codegen.Thrift(prog, codegen.Options{ImportPrefix: "example.com/corpus/" + name})
		if err != nil {
			t.Errorf("%s.thrift: %v", name, err)
			continue
		}
		for _, f := range files {
			p := filepath.Join(mod, name, filepath.FromSlash(f.Path))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, f.Content, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, args := range [][]string{{"build", "./..."}, {"vet", "./..."}} {
		cmd := exec.Command("go", args...)
		cmd.Dir = mod
		cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
		out, err := cmd.CombinedOutput()
		if err == nil {
			continue
		}
		blamed := false
		for _, name := range apacheCorpus {
			if lines := linesAbout(string(out), name); lines != "" {
				t.Errorf("%s.thrift: go %s of the generated code fails:\n%s", name, args[0], lines)
				blamed = true
			}
		}
		if !blamed {
			t.Errorf("go %s of the generated code fails: %v\n%s", strings.Join(args, " "), err, out)
		}
		return
	}
}

// linesAbout returns the lines of go's output about the directory of the
// IDL file name.
func linesAbout(out, name string) string {
	var b strings.Builder
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, name+"/") || strings.HasPrefix(line, "./"+name+"/") ||
			strings.Contains(line, "example.com/corpus/"+name+"/") {
			b.WriteString(line + "\n")
		}
	}
	return b.String()
}

// apacheModuleDir returns the directory of the github.com/apache/thrift
// module in the module cache.
func apacheModuleDir(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-json", "github.com/apache/thrift").Output()
	if err != nil {
		t.Fatalf("go list -m github.com/apache/thrift: %v", err)
	}
	var m struct{ Dir string }
	if err := json.Unmarshal(out, &m); err != nil || m.Dir == "" {
		t.Fatalf("go list -m github.com/apache/thrift: no module directory (%v) in %s", err, out)
	}
	return m.Dir
}
