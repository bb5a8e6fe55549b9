package reflection

import (
	"sync"

	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	"github.com/ospreyrpc/osprey/health"
)

// files finds file descriptors in protoregistry.GlobalFiles, and then in
// the descriptors Osprey builds by hand for packages whose messages are
// hand-written (health, and reflection itself).
type files struct {
	extra *protoregistry.Files
}

func newFiles() *files { return &files{extra: extraFiles()} }

// extraFiles is the registry of the hand-built descriptors, made once.
var extraFiles = sync.OnceValue(func() *protoregistry.Files {
	extra := new(protoregistry.Files)
	for _, fd := range []protoreflect.FileDescriptor{
		health.File(),
		reflectionFile("grpc.reflection.v1", "grpc/reflection/v1/reflection.proto"),
		reflectionFile("grpc.reflection.v1alpha", "grpc/reflection/v1alpha/reflection.proto"),
	} {
		if err := extra.RegisterFile(fd); err != nil {
			panic("reflection: " + err.Error()) // distinct paths and names
		}
	}
	return extra
})

// byPath returns the file of the given path.
func (f *files) byPath(path string) (protoreflect.FileDescriptor, error) {
	fd, err := protoregistry.GlobalFiles.FindFileByPath(path)
	if err != nil {
		fd, err = f.extra.FindFileByPath(path)
	}
	return fd, err
}

// byName returns the descriptor of a full name: a message, enum, enum
// value, field, extension, service or method.
func (f *files) byName(name string) (protoreflect.Descriptor, error) {
	full := protoreflect.FullName(name)
	if !full.IsValid() {
		return nil, protoregistry.NotFound
	}
	d, err := protoregistry.GlobalFiles.FindDescriptorByName(full)
	if err != nil {
		d, err = f.extra.FindDescriptorByName(full)
	}
	return d, err
}

// bySymbol returns the file that declares the symbol name.
func (f *files) bySymbol(name string) (protoreflect.FileDescriptor, error) {
	d, err := f.byName(name)
	if err != nil {
		return nil, err
	}
	return d.ParentFile(), nil
}
