package interop

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/ospreyrpc/osprey/codegen/pbgen"
)

// TestTestpbIsGenerated checks that internal/interop/testpb is what
// Osprey's generator makes of testdata/grpc_testing.binpb, the same as
//
//	go run github.com/ospreyrpc/osprey/cmd/osprey gen -o internal/interop internal/interop/testdata/grpc_testing.binpb
//
// run in the conformance directory; -update rewrites it.
func TestTestpbIsGenerated(t *testing.T) {
	files, err := pbgen.Generate([]string{descriptorSetPath}, pbgen.Options{
		ImportPrefix: "github.com/ospreyrpc/osprey/conformance/internal/interop",
		Version:      "(devel)", // what the command says when run from a checkout
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 6 {
		t.Errorf("generated %d files, want 6 (three .pb.go, three _osprey.pb.go)", len(files))
	}
	for _, f := range files {
		path := filepath.FromSlash(f.Path)
		if *update {
			if err := os.WriteFile(path, f.Content, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (go test ./internal/interop -run TestTestpbIsGenerated -update)", err)
		}
		if !bytes.Equal(got, f.Content) {
			t.Errorf("%s is out of date (go test ./internal/interop -run TestTestpbIsGenerated -update)", path)
		}
	}
}
