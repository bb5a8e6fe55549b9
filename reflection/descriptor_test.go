package reflection

import (
	"slices"
	"testing"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/dynamicpb"

	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/status"
)

// TestDescriptorMatchesCodec checks the hand-built reflection.proto
// against the hand-written codec, through protobuf-go's dynamic messages:
// a request they encode decodes here, and the responses encoded here
// decode there to the same values. (The codec itself is checked against
// grpc-go's generated code in the conformance module.)
func TestDescriptorMatchesCodec(t *testing.T) {
	for _, pkg := range []string{"grpc.reflection.v1", "grpc.reflection.v1alpha"} {
		fd := reflectionFile(pkg, pkg+".proto")
		msgs := fd.Messages()
		req := dynamicpb.NewMessage(msgs.ByName("ServerReflectionRequest"))
		ext := dynamicpb.NewMessage(msgs.ByName("ExtensionRequest"))
		ext.Set(ext.Descriptor().Fields().ByName("containing_type"), protoreflect.ValueOfString("a.M"))
		ext.Set(ext.Descriptor().Fields().ByName("extension_number"), protoreflect.ValueOfInt32(-7))
		req.Set(req.Descriptor().Fields().ByName("host"), protoreflect.ValueOfString("h"))
		req.Set(req.Descriptor().Fields().ByName("file_containing_extension"), protoreflect.ValueOfMessage(ext))
		b, err := proto.Marshal(req)
		if err != nil {
			t.Fatal(err)
		}
		var got request
		if err := got.UnmarshalGRPC(b); err != nil || !sameRequest(&got, &request{host: "h", kind: kindExtension, name: "a.M", extNumber: -7}) {
			t.Errorf("%s: request %+v %v", pkg, got, err)
		}

		respDesc := msgs.ByName("ServerReflectionResponse")
		decode := func(r *response) *dynamicpb.Message {
			t.Helper()
			r.original = b
			out, err := r.MarshalGRPC(nil)
			if err != nil {
				t.Fatal(err)
			}
			m := dynamicpb.NewMessage(respDesc)
			if err := proto.Unmarshal(out, m); err != nil {
				t.Fatal(err)
			}
			if orig := m.Get(respDesc.Fields().ByName("original_request")).Message(); !proto.Equal(orig.Interface(), req) {
				t.Errorf("%s: original_request %v", pkg, orig)
			}
			return m
		}
		get := func(m protoreflect.Message, path ...string) protoreflect.Value {
			var v protoreflect.Value
			for i, name := range path {
				v = m.Get(m.Descriptor().Fields().ByName(protoreflect.Name(name)))
				if i < len(path)-1 {
					m = v.Message()
				}
			}
			return v
		}
		m := decode(&response{kind: answerServices, services: []string{"a.S", "b.T"}})
		if l := get(m, "list_services_response", "service").List(); l.Len() != 2 || get(l.Get(1).Message(), "name").String() != "b.T" {
			t.Errorf("%s: services %v", pkg, m)
		}
		m = decode(&response{kind: answerFiles, files: [][]byte{[]byte("f1"), []byte("f2")}})
		if l := get(m, "file_descriptor_response", "file_descriptor_proto").List(); l.Len() != 2 || string(l.Get(0).Bytes()) != "f1" {
			t.Errorf("%s: files %v", pkg, m)
		}
		m = decode(&response{kind: answerExtensions, extBase: "a.M", extNumbers: []int32{1, 300}})
		l := get(m, "all_extension_numbers_response", "extension_number").List()
		var nums []int32
		for i := range l.Len() {
			nums = append(nums, int32(l.Get(i).Int()))
		}
		if !slices.Equal(nums, []int32{1, 300}) || get(m, "all_extension_numbers_response", "base_type_name").String() != "a.M" {
			t.Errorf("%s: extensions %v", pkg, m)
		}
		m = decode(&response{kind: answerError, err: status.New(codes.NotFound, "gone")})
		if get(m, "error_response", "error_code").Int() != 5 || get(m, "error_response", "error_message").String() != "gone" {
			t.Errorf("%s: error %v", pkg, m)
		}
	}
}
