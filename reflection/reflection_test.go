package reflection

import (
	"context"
	"slices"
	"testing"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/gofeaturespb"

	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/health"
	"github.com/ospreyrpc/osprey/server"
	"github.com/ospreyrpc/osprey/service"
)

// newReflector returns a reflector over a server with health, reflection
// and a Thrift service "Echo" registered.
func newReflector(t *testing.T) *reflector {
	t.Helper()
	s, err := server.New()
	if err != nil {
		t.Fatal(err)
	}
	thrift := &service.Desc{Name: "Echo", Methods: []service.Method{{
		Name: "echo", NewCall: func() service.Call { return service.Call{} },
		Handler: func(context.Context, any, any, any) error { return nil },
	}}}
	if err := s.Register(thrift, struct{}{}); err != nil {
		t.Fatal(err)
	}
	if err := health.Register(s, health.New()); err != nil {
		t.Fatal(err)
	}
	if err := Register(s); err != nil {
		t.Fatal(err)
	}
	return &reflector{srv: s, files: newFiles()}
}

// fileNames decodes serialized FileDescriptorProtos and returns their names.
func fileNames(t *testing.T, files [][]byte) []string {
	t.Helper()
	var names []string
	for _, b := range files {
		var fd descriptorpb.FileDescriptorProto
		if err := proto.Unmarshal(b, &fd); err != nil {
			t.Fatal(err)
		}
		names = append(names, fd.GetName())
	}
	return names
}

func TestAnswers(t *testing.T) {
	r := newReflector(t)
	goFeatures := gofeaturespb.File_google_protobuf_go_features_proto.Path()
	sent := map[string]bool{}
	ask := func(kind int, name string, ext int32) *response {
		req := request{host: "h", kind: kind, name: name, extNumber: ext}
		var got request
		if err := got.UnmarshalGRPC(req.marshal(nil)); err != nil {
			t.Fatal(err)
		}
		return r.answer(&got, sent)
	}

	resp := ask(kindListServices, "*", 0)
	want := []string{"grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection"}
	if resp.kind != answerServices || !slices.Equal(resp.services, want) || resp.host != "h" {
		t.Errorf("list_services: %+v, want %v", resp, want)
	}

	// A file with its import, then the import is not sent again but the
	// asked-for file always is.
	resp = ask(kindFileByName, goFeatures, 0)
	if got := fileNames(t, resp.files); !slices.Equal(got, []string{goFeatures, "google/protobuf/descriptor.proto"}) {
		t.Errorf("file_by_filename: %v", got)
	}
	resp = ask(kindSymbol, "pb.GoFeatures", 0)
	if got := fileNames(t, resp.files); !slices.Equal(got, []string{goFeatures}) {
		t.Errorf("file_containing_symbol after the file was sent: %v", got)
	}
	resp = ask(kindSymbol, "google.protobuf.FileDescriptorProto.name", 0)
	if got := fileNames(t, resp.files); !slices.Equal(got, []string{"google/protobuf/descriptor.proto"}) {
		t.Errorf("file_containing_symbol of a field: %v", got)
	}
	// The hand-built descriptors, for services, a method and a message.
	for sym, file := range map[string]string{
		"grpc.health.v1.Health":                            "grpc/health/v1/health.proto",
		"grpc.health.v1.Health.Watch":                      "grpc/health/v1/health.proto",
		"grpc.reflection.v1.ServerReflection":              "grpc/reflection/v1/reflection.proto",
		"grpc.reflection.v1alpha.ServerReflectionResponse": "grpc/reflection/v1alpha/reflection.proto",
	} {
		resp = ask(kindSymbol, sym, 0)
		if got := fileNames(t, resp.files); !slices.Equal(got, []string{file}) {
			t.Errorf("file_containing_symbol %s: %v %v", sym, got, resp.err)
		}
	}
	resp = ask(kindExtension, "google.protobuf.FeatureSet", 1002)
	if got := fileNames(t, resp.files); !slices.Equal(got, []string{goFeatures}) {
		t.Errorf("file_containing_extension: %v %v", got, resp.err)
	}
	resp = ask(kindAllExtensions, "google.protobuf.FeatureSet", 0)
	if resp.kind != answerExtensions || resp.extBase != "google.protobuf.FeatureSet" || !slices.Contains(resp.extNumbers, 1002) || !slices.IsSorted(resp.extNumbers) {
		t.Errorf("all_extension_numbers_of_type: %+v", resp)
	}

	for _, c := range []struct {
		kind int
		name string
		ext  int32
		code codes.Code
	}{
		{kindSymbol, "no.such.Symbol", 0, codes.NotFound},
		{kindSymbol, "not a name", 0, codes.NotFound},
		{kindFileByName, "no/such.proto", 0, codes.NotFound},
		{kindExtension, "google.protobuf.FeatureSet", 9999, codes.NotFound},
		{kindAllExtensions, "google.protobuf.FileDescriptorProto.name", 0, codes.NotFound},
		{kindNone, "", 0, codes.InvalidArgument},
	} {
		resp := ask(c.kind, c.name, c.ext)
		if resp.kind != answerError || resp.err.Code() != c.code {
			t.Errorf("%d %q: %+v, want error %v", c.kind, c.name, resp, c.code)
		}
		if _, err := resp.MarshalGRPC(nil); err != nil {
			t.Error(err)
		}
	}
}
