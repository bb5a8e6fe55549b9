package interop

import (
	"bytes"
	"flag"
	"os"
	"strings"
	"testing"

	_ "google.golang.org/grpc/interop/grpc_testing" // registers the grpc/testing protos
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"
)

var update = flag.Bool("update", false, "rewrite testdata/grpc_testing.binpb")

// descriptorSetPath is the FileDescriptorSet Osprey's generator reads.
const descriptorSetPath = "testdata/grpc_testing.binpb"

// testpbPackage is the Go package Osprey's code for the set goes into.
const testpbPackage = "github.com/ospreyrpc/osprey/conformance/internal/interop/testpb"

// interopFiles are the proto files of the interop service, as grpc-go
// registers them.
var interopFiles = []string{"grpc/testing/test.proto", "grpc/testing/messages.proto", "grpc/testing/empty.proto"}

// TestDescriptorSet checks that testdata/grpc_testing.binpb is the
// FileDescriptorSet of interopFiles and their dependencies, taken from
// grpc-go's grpc_testing package, dependencies first, with go_package of
// the grpc/testing files set to testpbPackage. -update rewrites it.
func TestDescriptorSet(t *testing.T) {
	set, err := descriptorSet()
	if err != nil {
		t.Fatal(err)
	}
	want, err := proto.MarshalOptions{Deterministic: true}.Marshal(set)
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(descriptorSetPath, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(descriptorSetPath)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/interop -run TestDescriptorSet -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is out of date; run go test ./internal/interop -run TestDescriptorSet -update", descriptorSetPath)
	}

	// What the file holds must make a consistent set of files.
	var read descriptorpb.FileDescriptorSet
	if err := proto.Unmarshal(got, &read); err != nil {
		t.Fatal(err)
	}
	files, err := protodesc.NewFiles(&read)
	if err != nil {
		t.Fatalf("%s does not resolve: %v", descriptorSetPath, err)
	}
	for _, name := range []protoreflect.FullName{
		"grpc.testing.TestService", "grpc.testing.UnimplementedService",
		"grpc.testing.SimpleRequest", "grpc.testing.StreamingOutputCallRequest", "grpc.testing.Empty",
	} {
		if _, err := files.FindDescriptorByName(name); err != nil {
			t.Errorf("%s lacks %s: %v", descriptorSetPath, name, err)
		}
	}
	for _, f := range read.File {
		if strings.HasPrefix(f.GetName(), "grpc/testing/") && f.GetOptions().GetGoPackage() != testpbPackage {
			t.Errorf("%s: go_package %q, want %q", f.GetName(), f.GetOptions().GetGoPackage(), testpbPackage)
		}
	}
}

// descriptorSet returns the FileDescriptorSet of interopFiles and their
// dependencies, each file after the files it imports.
func descriptorSet() (*descriptorpb.FileDescriptorSet, error) {
	set := &descriptorpb.FileDescriptorSet{}
	seen := map[string]bool{}
	var add func(fd protoreflect.FileDescriptor)
	add = func(fd protoreflect.FileDescriptor) {
		if seen[fd.Path()] {
			return
		}
		seen[fd.Path()] = true
		imports := fd.Imports()
		for i := range imports.Len() {
			add(imports.Get(i).FileDescriptor)
		}
		fdp := protodesc.ToFileDescriptorProto(fd)
		if strings.HasPrefix(fd.Path(), "grpc/testing/") {
			if fdp.Options == nil {
				fdp.Options = &descriptorpb.FileOptions{}
			}
			fdp.Options.GoPackage = proto.String(testpbPackage)
		}
		set.File = append(set.File, fdp)
	}
	for _, path := range interopFiles {
		fd, err := protoregistry.GlobalFiles.FindFileByPath(path)
		if err != nil {
			return nil, err
		}
		add(fd)
	}
	return set, nil
}
