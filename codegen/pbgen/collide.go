package pbgen

import (
	"fmt"

	"google.golang.org/protobuf/compiler/protogen"
)

// checkNames reports the first Go name f's services would declare that
// something else in its Go package already declares: a message, enum,
// enum value, oneof wrapper or extension of any of the package's files,
// or another service's generated name.
func checkNames(gen *protogen.Plugin, f *protogen.File) error {
	taken := map[string]string{} // Go name → what declares it
	for _, other := range gen.Files {
		if other.GoImportPath != f.GoImportPath {
			continue
		}
		declared(taken, other)
	}
	for _, other := range gen.Files {
		if other.GoImportPath != f.GoImportPath || !other.Generate {
			continue
		}
		for _, s := range other.Services {
			for _, name := range serviceNames(s) {
				what := "service " + string(s.Desc.FullName())
				if prev, dup := taken[name]; dup && other == f {
					return fmt.Errorf("pbgen: %s: the Go name %s for %s is also that of %s", f.Desc.Path(), name, what, prev)
				}
				taken[name] = what
			}
		}
	}
	return nil
}

// declared records the package-level Go names protoc-gen-go declares for
// f's definitions.
func declared(taken map[string]string, f *protogen.File) {
	enums := func(es []*protogen.Enum) {
		for _, e := range es {
			taken[e.GoIdent.GoName] = "enum " + string(e.Desc.FullName())
			taken[e.GoIdent.GoName+"_name"] = "enum " + string(e.Desc.FullName())
			taken[e.GoIdent.GoName+"_value"] = "enum " + string(e.Desc.FullName())
			for _, v := range e.Values {
				taken[v.GoIdent.GoName] = "enum value " + string(v.Desc.FullName())
			}
		}
	}
	var messages func(ms []*protogen.Message)
	messages = func(ms []*protogen.Message) {
		for _, m := range ms {
			taken[m.GoIdent.GoName] = "message " + string(m.Desc.FullName())
			for _, fd := range m.Fields {
				if fd.Oneof != nil && !fd.Oneof.Desc.IsSynthetic() {
					taken[fd.GoIdent.GoName] = "oneof field " + string(fd.Desc.FullName())
				}
			}
			enums(m.Enums)
			messages(m.Messages)
			for _, x := range m.Extensions {
				taken[x.GoIdent.GoName] = "extension " + string(x.Desc.FullName())
			}
		}
	}
	enums(f.Enums)
	messages(f.Messages)
	for _, x := range f.Extensions {
		taken[x.GoIdent.GoName] = "extension " + string(x.Desc.FullName())
	}
}

// serviceNames lists the exported Go names GenerateFile declares for s.
func serviceNames(s *protogen.Service) []string {
	x := s.GoName
	names := []string{x, "Unimplemented" + x, x + "Desc", "Register" + x, x + "Client", "New" + x + "Client", "New" + x + "ClientFrom"}
	for _, m := range s.Methods {
		if kind(m) != "Unary" {
			names = append(names, x+"_"+m.GoName+"Server", x+"_"+m.GoName+"Client")
		}
	}
	return names
}
