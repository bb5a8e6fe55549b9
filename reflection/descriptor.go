package reflection

import (
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/descriptorpb"
)

// reflectionFile returns the descriptor of reflection.proto for the
// package pkg ("grpc.reflection.v1" or "grpc.reflection.v1alpha"), whose
// messages are the same in both, built by hand as the messages are hand
// written (messages.go); reflection answers with it when
// protoregistry.GlobalFiles lacks the file.
func reflectionFile(pkg, path string) protoreflect.FileDescriptor {
	fd, err := protodesc.NewFile(reflectionProto(pkg, path), nil)
	if err != nil {
		panic("reflection: bad hand-built descriptor: " + err.Error())
	}
	return fd
}

func reflectionProto(pkg, path string) *descriptorpb.FileDescriptorProto {
	type fieldType = descriptorpb.FieldDescriptorProto_Type
	const (
		str   = descriptorpb.FieldDescriptorProto_TYPE_STRING
		i32   = descriptorpb.FieldDescriptorProto_TYPE_INT32
		bytes = descriptorpb.FieldDescriptorProto_TYPE_BYTES
		msg   = descriptorpb.FieldDescriptorProto_TYPE_MESSAGE
	)
	// field describes a field; typeName names a message of pkg; oneof is
	// the index of its oneof plus one, or 0.
	field := func(name, jsonName string, n int32, t fieldType, typeName string, repeated bool, oneof int32) *descriptorpb.FieldDescriptorProto {
		f := &descriptorpb.FieldDescriptorProto{
			Name: proto.String(name), JsonName: proto.String(jsonName), Number: proto.Int32(n),
			Type: t.Enum(), Label: descriptorpb.FieldDescriptorProto_LABEL_OPTIONAL.Enum(),
		}
		if repeated {
			f.Label = descriptorpb.FieldDescriptorProto_LABEL_REPEATED.Enum()
		}
		if typeName != "" {
			f.TypeName = proto.String("." + pkg + "." + typeName)
		}
		if oneof > 0 {
			f.OneofIndex = proto.Int32(oneof - 1)
		}
		return f
	}
	message := func(name string, fields ...*descriptorpb.FieldDescriptorProto) *descriptorpb.DescriptorProto {
		return &descriptorpb.DescriptorProto{Name: proto.String(name), Field: fields}
	}
	oneof := func(m *descriptorpb.DescriptorProto, name string) *descriptorpb.DescriptorProto {
		m.OneofDecl = []*descriptorpb.OneofDescriptorProto{{Name: proto.String(name)}}
		return m
	}
	return &descriptorpb.FileDescriptorProto{
		Name:    proto.String(path),
		Package: proto.String(pkg),
		Syntax:  proto.String("proto3"),
		MessageType: []*descriptorpb.DescriptorProto{
			oneof(message("ServerReflectionRequest",
				field("host", "host", 1, str, "", false, 0),
				field("file_by_filename", "fileByFilename", 3, str, "", false, 1),
				field("file_containing_symbol", "fileContainingSymbol", 4, str, "", false, 1),
				field("file_containing_extension", "fileContainingExtension", 5, msg, "ExtensionRequest", false, 1),
				field("all_extension_numbers_of_type", "allExtensionNumbersOfType", 6, str, "", false, 1),
				field("list_services", "listServices", 7, str, "", false, 1),
			), "message_request"),
			message("ExtensionRequest",
				field("containing_type", "containingType", 1, str, "", false, 0),
				field("extension_number", "extensionNumber", 2, i32, "", false, 0)),
			oneof(message("ServerReflectionResponse",
				field("valid_host", "validHost", 1, str, "", false, 0),
				field("original_request", "originalRequest", 2, msg, "ServerReflectionRequest", false, 0),
				field("file_descriptor_response", "fileDescriptorResponse", 4, msg, "FileDescriptorResponse", false, 1),
				field("all_extension_numbers_response", "allExtensionNumbersResponse", 5, msg, "ExtensionNumberResponse", false, 1),
				field("list_services_response", "listServicesResponse", 6, msg, "ListServiceResponse", false, 1),
				field("error_response", "errorResponse", 7, msg, "ErrorResponse", false, 1),
			), "message_response"),
			message("FileDescriptorResponse",
				field("file_descriptor_proto", "fileDescriptorProto", 1, bytes, "", true, 0)),
			message("ExtensionNumberResponse",
				field("base_type_name", "baseTypeName", 1, str, "", false, 0),
				field("extension_number", "extensionNumber", 2, i32, "", true, 0)),
			message("ListServiceResponse",
				field("service", "service", 1, msg, "ServiceResponse", true, 0)),
			message("ServiceResponse",
				field("name", "name", 1, str, "", false, 0)),
			message("ErrorResponse",
				field("error_code", "errorCode", 1, i32, "", false, 0),
				field("error_message", "errorMessage", 2, str, "", false, 0)),
		},
		Service: []*descriptorpb.ServiceDescriptorProto{{
			Name: proto.String("ServerReflection"),
			Method: []*descriptorpb.MethodDescriptorProto{{
				Name:            proto.String("ServerReflectionInfo"),
				InputType:       proto.String("." + pkg + ".ServerReflectionRequest"),
				OutputType:      proto.String("." + pkg + ".ServerReflectionResponse"),
				ClientStreaming: proto.Bool(true),
				ServerStreaming: proto.Bool(true),
			}},
		}},
	}
}
