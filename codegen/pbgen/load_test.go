package pbgen

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/descriptorpb"
)

var testOpts = Options{ImportPrefix: "github.com/ospreyrpc/osprey/internal/gen/pb", ImportPaths: []string{"testdata"}}

// writeSet compiles greet.proto and writes the descriptor set protoc
// --include_imports --include_source_info would, less the files dropped.
func writeSet(t *testing.T, name string, drop ...string) string {
	t.Helper()
	in, err := compile([]string{"testdata/greet/greet.proto"}, testOpts.ImportPaths)
	if err != nil {
		t.Fatal(err)
	}
	set := &descriptorpb.FileDescriptorSet{}
	for _, f := range in.files {
		if !slices.Contains(drop, f.GetName()) {
			set.File = append(set.File, f)
		}
	}
	data, err := proto.Marshal(set)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestDescriptorSetSameAsSource checks that a FileDescriptorSet, found by
// its extension or by its content, generates what its .proto does, with
// the well-known types filled in when the set leaves them out.
func TestDescriptorSetSameAsSource(t *testing.T) {
	want, err := Generate([]string{"testdata/greet/greet.proto"}, testOpts)
	if err != nil {
		t.Fatal(err)
	}
	for _, set := range []string{
		writeSet(t, "greet.binpb"),
		writeSet(t, "greet.data"),
		writeSet(t, "greet.pb", "google/protobuf/empty.proto", "google/protobuf/timestamp.proto"),
	} {
		got, err := Generate([]string{set}, Options{ImportPrefix: testOpts.ImportPrefix})
		if err != nil {
			t.Fatalf("%s: %v", filepath.Base(set), err)
		}
		if len(got) != len(want) {
			t.Fatalf("%s: %d files, want %d", filepath.Base(set), len(got), len(want))
		}
		for i := range got {
			if got[i].Path != want[i].Path || !bytes.Equal(got[i].Content, want[i].Content) {
				t.Errorf("%s: %s differs from the .proto's %s", filepath.Base(set), got[i].Path, want[i].Path)
			}
		}
	}
}

func TestInputErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	syntaxErr := write("bad.proto", "syntax = \"proto3\";\n\nmessage M {\n  string name = ;\n}\n")
	linkErr := write("link.proto", "syntax = \"proto3\";\npackage p;\n\nmessage M {\n  Unknown u = 1;\n}\n")
	importErr := write("imp.proto", "syntax = \"proto3\";\nimport \"bad.proto\";\n")
	missingImport := write("miss.proto", "syntax = \"proto3\";\nimport \"nowhere.proto\";\n")
	notASet := write("junk.binpb", "not a descriptor set")
	partialSet := writeSet(t, "partial.binpb", "common/common.proto")
	noPkg := write("nopkg.proto", "syntax = \"proto3\";\nmessage M {}\n")
	tests := []struct {
		paths []string
		opts  Options
		want  string
	}{
		{[]string{syntaxErr}, Options{ImportPrefix: "x"}, syntaxErr + ":4:17: syntax error"},
		{[]string{linkErr}, Options{ImportPrefix: "x"}, linkErr + ":5:3: "},
		{[]string{importErr}, Options{ImportPrefix: "x"}, syntaxErr + ":4:17: syntax error"},
		{[]string{missingImport}, Options{ImportPrefix: "x"}, "nowhere.proto"},
		{[]string{filepath.Join(dir, "absent.proto")}, Options{ImportPrefix: "x"}, "absent.proto"},
		{[]string{notASet}, Options{ImportPrefix: "x"}, "junk.binpb is not a FileDescriptorSet"},
		{[]string{partialSet}, Options{ImportPrefix: "x"}, "lacks common/common.proto, which greet/greet.proto imports"},
		{[]string{noPkg}, Options{}, "nopkg.proto has no go_package option"},
		{[]string{noPkg, partialSet}, Options{ImportPrefix: "x"}, "cannot mix"},
		{nil, Options{}, "no input files"},
	}
	for _, tt := range tests {
		_, err := Generate(tt.paths, tt.opts)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: error %v, want one containing %q", tt.paths, err, tt.want)
		}
	}
}

func TestOutputDir(t *testing.T) {
	for _, c := range []struct{ name, pkg, want string }{
		{"a/greet.proto", "acme.greet.v1", "acme/greet/v1"},
		{"a/greet.proto", "", "greet"},
		{"Weird-Name.proto", "", "weird_name"},
		{"x.proto", "go.1x", "go/_1x"},
	} {
		f := &descriptorpb.FileDescriptorProto{Name: proto.String(c.name)}
		if c.pkg != "" {
			f.Package = proto.String(c.pkg)
		}
		if got := outputDir(f); got != c.want {
			t.Errorf("outputDir(%s, %q) = %q, want %q", c.name, c.pkg, got, c.want)
		}
	}
}

func TestNameCollisions(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ src, want string }{
		{"message GreeterClient {}\nservice Greeter { rpc M(GreeterClient) returns (GreeterClient); }\n",
			"the Go name GreeterClient for service p.Greeter is also that of message p.GreeterClient"},
		{"message Req {}\nservice A { rpc B_C(stream Req) returns (Req); }\nservice A_B { rpc C(stream Req) returns (Req); }\n",
			"the Go name A_B_CServer for service p.A_B is also that of service p.A"},
		{"enum E { E_ZERO = 0; }\nmessage SDesc { oneof o { int32 a = 1; } }\nservice S { rpc M(SDesc) returns (SDesc); }\n",
			"the Go name SDesc for service p.S is also that of message p.SDesc"},
	} {
		p := filepath.Join(dir, "c.proto")
		if err := os.WriteFile(p, []byte("syntax = \"proto3\";\npackage p;\n"+c.src), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := Generate([]string{p}, Options{ImportPrefix: "example.com/x"}); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("error %v, want %q", err, c.want)
		}
	}
}
