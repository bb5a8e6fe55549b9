package health

import (
	"sync"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/descriptorpb"
)

// File returns the descriptor of grpc/health/v1/health.proto as far as
// this package serves it (HealthCheckRequest, HealthCheckResponse, and
// Health with Check and Watch), built by hand because the messages are
// hand-written: server reflection (package reflection) answers with it
// when protoregistry.GlobalFiles lacks the file. It is not registered in
// GlobalFiles, where grpc-go's generated package may register the same
// path.
func File() protoreflect.FileDescriptor { return file() }

var file = sync.OnceValue(func() protoreflect.FileDescriptor {
	fd, err := protodesc.NewFile(fileProto(), nil)
	if err != nil {
		panic("health: bad hand-built descriptor: " + err.Error())
	}
	return fd
})

// fileProto is health.proto's FileDescriptorProto.
func fileProto() *descriptorpb.FileDescriptorProto {
	s := proto.String
	optional := descriptorpb.FieldDescriptorProto_LABEL_OPTIONAL.Enum()
	enumValue := func(name string, n int32) *descriptorpb.EnumValueDescriptorProto {
		return &descriptorpb.EnumValueDescriptorProto{Name: s(name), Number: proto.Int32(n)}
	}
	return &descriptorpb.FileDescriptorProto{
		Name:    s("grpc/health/v1/health.proto"),
		Package: s("grpc.health.v1"),
		Syntax:  s("proto3"),
		MessageType: []*descriptorpb.DescriptorProto{
			{
				Name: s("HealthCheckRequest"),
				Field: []*descriptorpb.FieldDescriptorProto{{
					Name: s("service"), Number: proto.Int32(1), Label: optional,
					Type: descriptorpb.FieldDescriptorProto_TYPE_STRING.Enum(), JsonName: s("service"),
				}},
			},
			{
				Name: s("HealthCheckResponse"),
				Field: []*descriptorpb.FieldDescriptorProto{{
					Name: s("status"), Number: proto.Int32(1), Label: optional,
					Type:     descriptorpb.FieldDescriptorProto_TYPE_ENUM.Enum(),
					TypeName: s(".grpc.health.v1.HealthCheckResponse.ServingStatus"), JsonName: s("status"),
				}},
				EnumType: []*descriptorpb.EnumDescriptorProto{{
					Name: s("ServingStatus"),
					Value: []*descriptorpb.EnumValueDescriptorProto{
						enumValue("UNKNOWN", 0), enumValue("SERVING", 1),
						enumValue("NOT_SERVING", 2), enumValue("SERVICE_UNKNOWN", 3),
					},
				}},
			},
		},
		Service: []*descriptorpb.ServiceDescriptorProto{{
			Name: s("Health"),
			Method: []*descriptorpb.MethodDescriptorProto{
				{Name: s("Check"), InputType: s(".grpc.health.v1.HealthCheckRequest"), OutputType: s(".grpc.health.v1.HealthCheckResponse")},
				{Name: s("Watch"), InputType: s(".grpc.health.v1.HealthCheckRequest"), OutputType: s(".grpc.health.v1.HealthCheckResponse"), ServerStreaming: proto.Bool(true)},
			},
		}},
		Options: &descriptorpb.FileOptions{GoPackage: s("google.golang.org/grpc/health/grpc_health_v1")},
	}
}
