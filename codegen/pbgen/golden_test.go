package pbgen_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/ospreyrpc/osprey/codegen"
	"github.com/ospreyrpc/osprey/codegen/pbgen"
)

var update = flag.Bool("update", false, "rewrite the golden files under internal/gen/pb")

const (
	goldenDir    = "../../internal/gen/pb"
	goldenPrefix = "github.com/ospreyrpc/osprey/internal/gen/pb"
)

var testOpts = pbgen.Options{ImportPrefix: goldenPrefix, ImportPaths: []string{"testdata"}}

func generate(t *testing.T, paths ...string) []codegen.File {
	t.Helper()
	files, err := pbgen.Generate(paths, testOpts)
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestGolden compares the generated code with the copy kept, compiled, in
// internal/gen/pb: the build proves it compiles, and tests use it.
func TestGolden(t *testing.T) {
	files := generate(t, "testdata/greet/greet.proto")
	want := []string{"common/common.pb.go", "common/common_osprey.pb.go", "greet/v1/greet.pb.go", "greet/v1/greet_osprey.pb.go"}
	if len(files) != len(want) {
		t.Errorf("%d files, want %d", len(files), len(want))
	}
	for i, f := range files {
		if i < len(want) && f.Path != want[i] {
			t.Errorf("file %d is %s, want %s", i, f.Path, want[i])
		}
		path := filepath.Join(goldenDir, filepath.FromSlash(f.Path))
		if *update {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, f.Content, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		golden, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test ./codegen/pbgen -update)", err)
		}
		if !bytes.Equal(f.Content, golden) {
			t.Errorf("%s differs from the generator's output; run go test ./codegen/pbgen -update and review the diff", path)
		}
	}
}

func TestDeterministic(t *testing.T) {
	a := generate(t, "testdata/greet/greet.proto")
	b := generate(t, "testdata/greet/greet.proto")
	if len(a) != len(b) {
		t.Fatalf("%d files, then %d", len(a), len(b))
	}
	for i := range a {
		if a[i].Path != b[i].Path || !bytes.Equal(a[i].Content, b[i].Content) {
			t.Errorf("%s differs between two runs", a[i].Path)
		}
	}
}
