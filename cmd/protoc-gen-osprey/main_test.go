package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/bufbuild/protocompile"
	"google.golang.org/protobuf/compiler/protogen"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/pluginpb"
)

// request is what protoc sends for greet.proto with the given parameter.
func request(t *testing.T, param string) *pluginpb.CodeGeneratorRequest {
	t.Helper()
	c := protocompile.Compiler{
		Resolver:       protocompile.WithStandardImports(&protocompile.SourceResolver{ImportPaths: []string{"../../codegen/pbgen/testdata"}}),
		SourceInfoMode: protocompile.SourceInfoStandard,
	}
	files, err := c.Compile(context.Background(), "greet/greet.proto")
	if err != nil {
		t.Fatal(err)
	}
	req := &pluginpb.CodeGeneratorRequest{FileToGenerate: []string{"greet/greet.proto"}, Parameter: &param}
	seen := map[string]bool{}
	var add func(fd protoreflect.FileDescriptor)
	add = func(fd protoreflect.FileDescriptor) {
		if seen[fd.Path()] {
			return
		}
		seen[fd.Path()] = true
		for i := range fd.Imports().Len() {
			add(fd.Imports().Get(i).FileDescriptor)
		}
		req.ProtoFile = append(req.ProtoFile, protodesc.ToFileDescriptorProto(fd))
	}
	add(files[0])
	return req
}

func respond(t *testing.T, req *pluginpb.CodeGeneratorRequest) *pluginpb.CodeGeneratorResponse {
	t.Helper()
	gen, err := protogen.Options{}.New(req)
	if err != nil {
		t.Fatal(err)
	}
	if err := generate(gen); err != nil {
		t.Fatal(err)
	}
	return gen.Response()
}

// TestPluginWritesOspreyFile checks that the plugin writes only the
// Osprey file, where protoc-gen-go's options put it, with the code of
// the golden copy.
func TestPluginWritesOspreyFile(t *testing.T) {
	golden, err := os.ReadFile("../../internal/gen/pb/greet/v1/greet_osprey.pb.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ param, name string }{
		{"Mgreet/greet.proto=github.com/ospreyrpc/osprey/internal/gen/pb/greet/v1", "github.com/ospreyrpc/osprey/internal/gen/pb/greet/v1/greet_osprey.pb.go"},
		{"paths=source_relative,Mgreet/greet.proto=github.com/ospreyrpc/osprey/internal/gen/pb/greet/v1", "greet/greet_osprey.pb.go"},
		{"module=github.com/ospreyrpc/osprey,Mgreet/greet.proto=github.com/ospreyrpc/osprey/internal/gen/pb/greet/v1", "internal/gen/pb/greet/v1/greet_osprey.pb.go"},
	} {
		resp := respond(t, request(t, c.param))
		if resp.Error != nil {
			t.Fatalf("%s: %s", c.param, resp.GetError())
		}
		if len(resp.File) != 1 || resp.File[0].GetName() != c.name {
			t.Fatalf("%s: files %v, want only %s", c.param, resp.File, c.name)
		}
		if resp.GetSupportedFeatures()&uint64(pluginpb.CodeGeneratorResponse_FEATURE_PROTO3_OPTIONAL) == 0 {
			t.Errorf("%s: proto3 optional not declared supported", c.param)
		}
		// The header names the version; the rest is the golden code.
		_, got, _ := bytes.Cut([]byte(resp.File[0].GetContent()), []byte("\n"))
		_, want, _ := bytes.Cut(golden, []byte("\n"))
		if !bytes.Equal(got, want) {
			t.Errorf("%s: the plugin's code differs from internal/gen/pb's", c.param)
		}
	}
}

// TestPluginFileWithoutServices checks that a file without services gets
// an Osprey file with its messages' fast paths and no service code.
func TestPluginFileWithoutServices(t *testing.T) {
	req := request(t, "Mgreet/greet.proto=example.com/greet")
	req.FileToGenerate = []string{"common/common.proto"}
	resp := respond(t, req)
	if resp.Error != nil || len(resp.File) != 1 {
		t.Fatalf("error %q, %d files; want one", resp.GetError(), len(resp.File))
	}
	content := resp.File[0].GetContent()
	if !strings.Contains(content, "func (x *Sender) MarshalGRPC(") {
		t.Error("no fast path for Sender")
	}
	if strings.Contains(content, "service.Desc") {
		t.Error("service code in a file without services")
	}
}
