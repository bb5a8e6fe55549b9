package grpcgo_test

import (
	"context"
	"slices"
	"testing"
	"time"

	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	rpb "google.golang.org/grpc/reflection/grpc_reflection_v1"
	_ "google.golang.org/grpc/reflection/grpc_testing" // registers the descriptors asked for
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/descriptorpb"

	"github.com/ospreyrpc/osprey/health"
	"github.com/ospreyrpc/osprey/reflection"
	"github.com/ospreyrpc/osprey/server"
	"github.com/ospreyrpc/osprey/service"
)

// searchDesc is an Osprey service named as grpc-go's reflection test
// service grpc.testing.SearchService, whose descriptor the generated
// package registers in protoregistry.GlobalFiles.
var searchDesc = service.Desc{Name: "grpc.testing.SearchService", Protobuf: true, Methods: []service.Method{{
	Name:    "Search",
	NewCall: func() service.Call { return service.Call{Args: new(raw), Result: new(raw)} },
	Handler: func(ctx context.Context, _ any, args, result any) error { return nil },
}}}

// serveReflection serves searchDesc, health, a Thrift-style service
// (echoDesc, not Protobuf) and reflection.
func serveReflection(t *testing.T) string {
	t.Helper()
	s, err := server.New()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []*service.Desc{&searchDesc, &echoDesc} {
		if err := s.Register(d, struct{}{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := health.Register(s, health.New()); err != nil {
		t.Fatal(err)
	}
	if err := reflection.Register(s); err != nil {
		t.Fatal(err)
	}
	return serveServer(t, s)
}

func fileNamesOf(t *testing.T, files [][]byte) []string {
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

// TestGRPCGoReflectionClient asks an Osprey server every kind of
// reflection request with grpc-go's generated v1 client, on one stream.
func TestGRPCGoReflectionClient(t *testing.T) {
	cc := dial(t, serveReflection(t))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	st, err := rpb.NewServerReflectionClient(cc).ServerReflectionInfo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ask := func(req *rpb.ServerReflectionRequest) *rpb.ServerReflectionResponse {
		t.Helper()
		req.Host = "localhost"
		if err := st.Send(req); err != nil {
			t.Fatal(err)
		}
		resp, err := st.Recv()
		if err != nil {
			t.Fatal(err)
		}
		if resp.GetValidHost() != "localhost" || !proto.Equal(resp.GetOriginalRequest(), req) {
			t.Errorf("host %q, original request %v, want %v", resp.GetValidHost(), resp.GetOriginalRequest(), req)
		}
		return resp
	}

	resp := ask(&rpb.ServerReflectionRequest{MessageRequest: &rpb.ServerReflectionRequest_ListServices{ListServices: "*"}})
	var names []string
	for _, s := range resp.GetListServicesResponse().GetService() {
		names = append(names, s.GetName())
	}
	want := []string{"grpc.testing.SearchService", "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection"}
	if !slices.Equal(names, want) {
		t.Errorf("ListServices: %v, want %v", names, want)
	}

	files := func(resp *rpb.ServerReflectionResponse) []string {
		t.Helper()
		if e := resp.GetErrorResponse(); e != nil {
			t.Fatalf("error response %v", e)
		}
		return fileNamesOf(t, resp.GetFileDescriptorResponse().GetFileDescriptorProto())
	}
	for _, c := range []struct {
		name string
		req  *rpb.ServerReflectionRequest
		want []string
	}{
		{"FileContainingSymbol", &rpb.ServerReflectionRequest{MessageRequest: &rpb.ServerReflectionRequest_FileContainingSymbol{
			FileContainingSymbol: "grpc.testing.SearchService"}},
			[]string{"reflection/grpc_testing/test.proto"}},
		// With its imports, minus test.proto, already sent on this stream.
		{"FileByFilename", &rpb.ServerReflectionRequest{MessageRequest: &rpb.ServerReflectionRequest_FileByFilename{
			FileByFilename: "reflection/grpc_testing/proto2_ext.proto"}},
			[]string{"reflection/grpc_testing/proto2_ext.proto", "reflection/grpc_testing/proto2.proto"}},
		{"FileContainingExtension", &rpb.ServerReflectionRequest{MessageRequest: &rpb.ServerReflectionRequest_FileContainingExtension{
			FileContainingExtension: &rpb.ExtensionRequest{ContainingType: "grpc.testing.ToBeExtended", ExtensionNumber: 29}}},
			[]string{"reflection/grpc_testing/proto2_ext2.proto"}},
		{"FileContainingSymbol of a method", &rpb.ServerReflectionRequest{MessageRequest: &rpb.ServerReflectionRequest_FileContainingSymbol{
			FileContainingSymbol: "grpc.health.v1.Health.Check"}},
			[]string{"grpc/health/v1/health.proto"}},
	} {
		if got := files(ask(c.req)); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}

	resp = ask(&rpb.ServerReflectionRequest{MessageRequest: &rpb.ServerReflectionRequest_AllExtensionNumbersOfType{
		AllExtensionNumbersOfType: "grpc.testing.ToBeExtended"}})
	ext := resp.GetAllExtensionNumbersResponse()
	if ext.GetBaseTypeName() != "grpc.testing.ToBeExtended" || !slices.Equal(ext.GetExtensionNumber(), []int32{13, 17, 19, 23, 29}) {
		t.Errorf("AllExtensionNumbersOfType: %v", resp)
	}

	for _, req := range []*rpb.ServerReflectionRequest{
		{MessageRequest: &rpb.ServerReflectionRequest_FileContainingSymbol{FileContainingSymbol: "no.such.Service"}},
		{MessageRequest: &rpb.ServerReflectionRequest_FileByFilename{FileByFilename: "no/such.proto"}},
		{MessageRequest: &rpb.ServerReflectionRequest_FileContainingExtension{
			FileContainingExtension: &rpb.ExtensionRequest{ContainingType: "grpc.testing.ToBeExtended", ExtensionNumber: 99}}},
	} {
		if e := ask(req).GetErrorResponse(); e.GetErrorCode() != 5 { // NOT_FOUND
			t.Errorf("%v: error response %v, want NOT_FOUND", req, e)
		}
	}
	if err := st.CloseSend(); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Recv(); err == nil {
		t.Error("stream goes on after CloseSend")
	}
}

// TestHealthDescriptorMatchesGRPCGo compares Osprey's hand-built
// health.proto descriptor, which reflection serves when grpc-go's is not
// linked, with grpc-go's generated one: every message, field, enum value
// and method Osprey declares is there, alike.
func TestHealthDescriptorMatchesGRPCGo(t *testing.T) {
	ours, theirs := health.File(), healthpb.File_grpc_health_v1_health_proto
	if ours.Path() != theirs.Path() || ours.Package() != theirs.Package() {
		t.Fatalf("file %s (%s), want %s (%s)", ours.Path(), ours.Package(), theirs.Path(), theirs.Package())
	}
	for i := range ours.Messages().Len() {
		m := ours.Messages().Get(i)
		tm := theirs.Messages().ByName(m.Name())
		if tm == nil {
			t.Errorf("message %s not in grpc-go's", m.FullName())
			continue
		}
		for j := range m.Fields().Len() {
			f := m.Fields().Get(j)
			tf := tm.Fields().ByNumber(f.Number())
			if tf == nil || tf.Name() != f.Name() || tf.Kind() != f.Kind() || tf.Cardinality() != f.Cardinality() {
				t.Errorf("field %s: %v, want %v", f.FullName(), f, tf)
			}
		}
		for j := range m.Enums().Len() {
			e, te := m.Enums().Get(j), tm.Enums().ByName(m.Enums().Get(j).Name())
			for k := range e.Values().Len() {
				v := e.Values().Get(k)
				if te == nil || te.Values().ByName(v.Name()) == nil || te.Values().ByName(v.Name()).Number() != v.Number() {
					t.Errorf("enum value %s differs", v.FullName())
				}
			}
		}
	}
	s, ts := ours.Services().Get(0), theirs.Services().ByName("Health")
	for j := range s.Methods().Len() {
		m := s.Methods().Get(j)
		tm := ts.Methods().ByName(m.Name())
		if tm == nil || tm.Input().FullName() != m.Input().FullName() || tm.Output().FullName() != m.Output().FullName() ||
			tm.IsStreamingServer() != m.IsStreamingServer() || tm.IsStreamingClient() != m.IsStreamingClient() {
			t.Errorf("method %s: %v, want %v", m.FullName(), m, tm)
		}
	}
}
