package pbfast_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ospreyrpc/osprey/codegen/pbgen"
)

var update = flag.Bool("update", false, "rewrite internal/gen/pbrich from testdata")

// outDir is where the generated code of testdata lives, compiled and
// tested as part of the root module.
var outDir = filepath.Join("..", "..", "internal", "gen", "pbrich")

// TestGenerate checks that internal/gen/pbrich is what the generator makes
// of testdata (go test ./codegen/pbfast -update rewrites it).
func TestGenerate(t *testing.T) {
	files := generate(t, "rich.proto", "legacy.proto")
	if len(files) != 4 {
		t.Fatalf("generated %d files, want 4", len(files))
	}
	// What the fast paths do not support is delegated, message by message.
	legacy := string(files["legacy_osprey.pb.go"])
	for _, name := range []string{"WithGroup", "Extendable"} {
		if want := "func (x *" + name + ") SizeGRPC() int {\n\treturn proto.Size(x)\n}"; !strings.Contains(legacy, want) {
			t.Errorf("%s is not delegated to protobuf-go", name)
		}
	}
	if !strings.Contains(legacy, "func (x *Legacy) mergeGRPC(") {
		t.Error("Legacy has no fast path")
	}
	for name, content := range files {
		path := filepath.Join(outDir, name)
		if *update {
			if err := os.WriteFile(path, content, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (go test ./codegen/pbfast -update writes it)", err)
		}
		if !bytes.Equal(got, content) {
			t.Errorf("%s is out of date: go test ./codegen/pbfast -update", path)
		}
	}
}

// generate runs Osprey's protobuf generator (codegen/pbgen, which calls
// Generate for every file) over names in testdata, returning the files by
// base name.
func generate(t *testing.T, names ...string) map[string][]byte {
	t.Helper()
	paths := make([]string, len(names))
	for i, n := range names {
		paths[i] = filepath.Join("testdata", n)
	}
	files, err := pbgen.Generate(paths, pbgen.Options{ImportPaths: []string{"testdata"}})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range files {
		out[filepath.Base(f.Path)] = f.Content
	}
	return out
}
