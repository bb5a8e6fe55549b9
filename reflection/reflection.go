package reflection

import (
	"context"
	"errors"
	"io"
	"slices"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	"github.com/ospreyrpc/osprey/codes"
	"github.com/ospreyrpc/osprey/endpoint"
	"github.com/ospreyrpc/osprey/server"
	"github.com/ospreyrpc/osprey/service"
	"github.com/ospreyrpc/osprey/status"
)

// Register adds grpc.reflection.v1.ServerReflection and
// grpc.reflection.v1alpha.ServerReflection to s, describing the services
// registered on s at the time of each request. It must be called before
// s serves, as server.Register.
func Register(s *server.Server) error {
	r := &reflector{srv: s, files: newFiles()}
	if err := s.Register(&v1Desc, r); err != nil {
		return err
	}
	return s.Register(&v1alphaDesc, r)
}

func newDesc(name string) service.Desc {
	return service.Desc{Name: name, Protobuf: true, Methods: []service.Method{{
		Name:          "ServerReflectionInfo",
		Kind:          service.BidiStreaming,
		NewCall:       func() service.Call { return service.Call{} },
		StreamHandler: serveStream,
	}}}
}

var (
	v1Desc      = newDesc("grpc.reflection.v1.ServerReflection")
	v1alphaDesc = newDesc("grpc.reflection.v1alpha.ServerReflection")
)

// reflector answers reflection requests for one server.
type reflector struct {
	srv   *server.Server
	files *files
}

// serveStream answers each request of a ServerReflectionInfo stream in
// turn, remembering which files the stream has been sent.
func serveStream(ctx context.Context, impl any, st endpoint.Stream) error {
	r := impl.(*reflector)
	sent := map[string]bool{}
	for {
		var req request
		if err := st.Recv(&req); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		if err := st.Send(r.answer(&req, sent)); err != nil {
			return err
		}
	}
}

// answer answers one request; sent holds the paths of the files the
// stream has been sent, and gains those of this answer.
func (r *reflector) answer(req *request, sent map[string]bool) *response {
	resp := &response{host: req.host, original: req.raw, kind: answerFiles}
	var err error
	switch req.kind {
	case kindListServices:
		resp.kind = answerServices
		resp.services = []string{}
		for _, d := range r.srv.Services() {
			if d.Protobuf {
				resp.services = append(resp.services, d.Name)
			}
		}
	case kindFileByName:
		var fd protoreflect.FileDescriptor
		if fd, err = r.files.byPath(req.name); err == nil {
			resp.files, err = withImports(fd, sent)
		}
	case kindSymbol:
		var fd protoreflect.FileDescriptor
		if fd, err = r.files.bySymbol(req.name); err == nil {
			resp.files, err = withImports(fd, sent)
		}
	case kindExtension:
		var xt protoreflect.ExtensionType
		if xt, err = protoregistry.GlobalTypes.FindExtensionByNumber(protoreflect.FullName(req.name), protoreflect.FieldNumber(req.extNumber)); err == nil {
			resp.files, err = withImports(xt.TypeDescriptor().ParentFile(), sent)
		}
	case kindAllExtensions:
		resp.kind, resp.extBase = answerExtensions, req.name
		resp.extNumbers, err = r.files.extensionNumbers(req.name)
	default:
		err = status.New(codes.InvalidArgument, "reflection: the request asks nothing")
	}
	if err != nil {
		resp.kind = answerError
		if resp.err = status.Convert(err); errors.Is(err, protoregistry.NotFound) {
			resp.err = status.Errorf(codes.NotFound, "reflection: %s not found", req.name)
		}
	}
	return resp
}

// withImports returns fd's serialized FileDescriptorProto followed by
// those of the files it imports, transitively, breadth first, leaving out
// the imports the stream has been sent; fd itself is always there.
func withImports(fd protoreflect.FileDescriptor, sent map[string]bool) ([][]byte, error) {
	var out [][]byte
	queue := []protoreflect.FileDescriptor{fd}
	for len(queue) > 0 {
		f := queue[0]
		queue = queue[1:]
		if f.IsPlaceholder() || (len(out) > 0 && sent[f.Path()]) {
			continue
		}
		b, err := proto.Marshal(protodesc.ToFileDescriptorProto(f))
		if err != nil {
			return nil, status.Wrap(codes.Internal, err)
		}
		sent[f.Path()] = true
		out = append(out, b)
		for i := range f.Imports().Len() {
			queue = append(queue, f.Imports().Get(i).FileDescriptor)
		}
	}
	return out, nil
}

// extensionNumbers returns the numbers of the extensions of the message
// type name known to protoregistry.GlobalTypes, sorted; NotFound if there
// is no such message type.
func (f *files) extensionNumbers(name string) ([]int32, error) {
	d, err := f.byName(name)
	if err != nil {
		return nil, err
	}
	if _, ok := d.(protoreflect.MessageDescriptor); !ok {
		return nil, protoregistry.NotFound
	}
	nums := []int32{}
	protoregistry.GlobalTypes.RangeExtensionsByMessage(protoreflect.FullName(name), func(xt protoreflect.ExtensionType) bool {
		nums = append(nums, int32(xt.TypeDescriptor().Number()))
		return true
	})
	slices.Sort(nums)
	return nums, nil
}
