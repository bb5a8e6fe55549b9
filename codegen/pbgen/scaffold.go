package pbgen

import (
	"fmt"
	"os"
	"strings"

	"google.golang.org/protobuf/compiler/protogen"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/ospreyrpc/osprey/codegen"
)

// ScaffoldOptions configure Scaffold.
type ScaffoldOptions struct {
	// Module is the new project's module path.
	Module string
	// GenDir is the directory, relative to the project, of the generated
	// code, imported as Module/GenDir.
	GenDir string
	// Service names the service to scaffold, by its name or full name;
	// empty means the first service of the first file named.
	Service string
	// ImportPaths and Version are as in Options.
	ImportPaths []string
	Version     string
}

// Scaffold returns the files of a new project for one service, relative
// to the project directory: the generated code under GenDir (every file
// but the well-known types, go_package options ignored: each goes in the
// directory its proto package names, so the project is self-contained), the .proto
// sources under proto/ (by their import names; none from a descriptor
// set), and the hand-editable part: a handler stub (handler/handler.go),
// a server (cmd/server) and a client that calls one method (cmd/client),
// the first unary one if there is one.
func Scaffold(paths []string, opts ScaffoldOptions) ([]codegen.File, error) {
	in, err := load(paths, opts.ImportPaths)
	if err != nil {
		return nil, err
	}
	module := strings.TrimSuffix(opts.Module, "/")
	req, err := request(in, module+"/"+opts.GenDir, true)
	if err != nil {
		return nil, err
	}
	plugin, err := newPlugin(req)
	if err != nil {
		return nil, err
	}
	generateAll(plugin, opts.Version)
	f, s, err := pickService(plugin, in.roots, opts.Service)
	if err != nil {
		return nil, err
	}
	for _, part := range []struct {
		dir   string
		write func(*svcGen, string)
	}{
		{"handler", scaffoldHandler},
		{"cmd/server", scaffoldServer},
		{"cmd/client", scaffoldClient},
	} {
		imp := protogen.GoImportPath(module + "/" + part.dir)
		name := "handler.go"
		if part.dir != "handler" {
			name = "main.go"
		}
		g := plugin.NewGeneratedFile(string(imp)+"/"+name, imp)
		part.write(newSvcGen(g, f, s), module)
	}
	files, err := response(plugin, module)
	if err != nil {
		return nil, err
	}
	for _, name := range in.roots {
		files, err = appendSources(files, in, name, map[string]bool{})
		if err != nil {
			return nil, err
		}
	}
	return files, nil
}

// appendSources adds the .proto source of file name and of the files it
// imports, once each, under proto/.
func appendSources(files []codegen.File, in *input, name string, seen map[string]bool) ([]codegen.File, error) {
	src, ok := in.sources[name]
	if seen[name] || !ok {
		return files, nil
	}
	seen[name] = true
	data, err := os.ReadFile(src)
	if err != nil {
		return nil, err
	}
	files = append(files, codegen.File{Path: "proto/" + name, Content: data})
	for _, f := range in.files {
		if f.GetName() == name {
			for _, d := range f.Dependency {
				if files, err = appendSources(files, in, d, seen); err != nil {
					return nil, err
				}
			}
		}
	}
	return files, nil
}

func pickService(plugin *protogen.Plugin, roots []string, name string) (*protogen.File, *protogen.Service, error) {
	for _, r := range roots {
		f := plugin.FilesByPath[r]
		for _, s := range f.Services {
			if name == "" || string(s.Desc.Name()) == name || string(s.Desc.FullName()) == name {
				return f, s, nil
			}
		}
	}
	if name == "" {
		return nil, nil, fmt.Errorf("pbgen: %s has no service to scaffold", strings.Join(roots, ", "))
	}
	return nil, nil, fmt.Errorf("pbgen: %s has no service %q", strings.Join(roots, ", "), name)
}

// sample returns a new message of m's type, its first string field set
// to "hello".
func (sg *svcGen) sample(m *protogen.Message) string {
	for _, fd := range m.Fields {
		if fd.Desc.Kind() == protoreflect.StringKind && fd.Desc.Cardinality() != protoreflect.Repeated && fd.Oneof == nil {
			return "&" + sg.g.QualifiedGoIdent(m.GoIdent) + "{" + fd.GoName + `: "hello"}`
		}
	}
	return "&" + sg.g.QualifiedGoIdent(m.GoIdent) + "{}"
}

func (sg *svcGen) lines(lines ...string) {
	for _, l := range lines {
		sg.g.P(l)
	}
}

func scaffoldHandler(sg *svcGen, module string) {
	g, s := sg.g, sg.s
	g.P("// Package handler implements the ", sg.full, " service. Replace the stub")
	g.P("// bodies below with your logic.")
	g.P("package handler")
	g.P()
	g.P("// Handler implements ", sg.full, ". Methods not written here answer")
	g.P("// Unimplemented.")
	g.P("type Handler struct {")
	g.P(sg.q(sg.pkg, "Unimplemented"+s.GoName))
	g.P("}")
	g.P()
	g.P("var _ ", sg.q(sg.pkg, s.GoName), " = (*Handler)(nil)")
	g.P()
	for _, m := range s.Methods {
		g.P("// ", m.GoName, " implements ", sg.full, ".", m.Desc.Name(), ".")
		g.P("func (h *Handler) ", sg.signature(m), " {")
		g.P("// TODO: implement ", m.GoName, ".")
		reply := sg.sample(m.Output)
		switch kind(m) {
		case "Unary":
			g.P("return ", reply, ", nil")
		case "ServerStreaming":
			g.P("return stream.Send(", reply, ")")
		case "ClientStreaming":
			sg.lines("for {", "if _, err := stream.Recv(); err == "+sg.q(ioPkg, "EOF")+" {",
				"return stream.SendAndClose("+reply+")", "} else if err != nil {", "return err", "}", "}")
		default:
			sg.lines("for {", "if _, err := stream.Recv(); err == "+sg.q(ioPkg, "EOF")+" {", "return nil", "} else if err != nil {", "return err", "}",
				"if err := stream.Send("+reply+"); err != nil {", "return err", "}", "}")
		}
		g.P("}")
		g.P()
	}
}

func scaffoldServer(sg *svcGen, module string) {
	g, s := sg.g, sg.s
	q := sg.q
	fatal := q("log", "Fatal") + "(err)"
	g.P("// Command server serves the ", sg.full, " service until interrupted.")
	g.P("package main")
	g.P()
	sg.lines(
		"func main() {",
		`addr := `+q("flag", "String")+`("addr", "127.0.0.1:9090", "address to listen on")`,
		q("flag", "Parse")+"()",
		"s, err := "+q(serverPkg, "New")+"()",
		"if err != nil {", fatal, "}",
		"if err := "+q(sg.pkg, "Register"+s.GoName)+"(s, &"+q(protogen.GoImportPath(module+"/handler"), "Handler")+"{}); err != nil {", fatal, "}",
		"ln, err := "+q("net", "Listen")+`("tcp", *addr)`,
		"if err != nil {", fatal, "}",
		q("fmt", "Println")+`("listening on", ln.Addr())`,
		"ctx, stop := "+q("os/signal", "NotifyContext")+"("+q(contextPkg, "Background")+"(), "+q("os", "Interrupt")+", "+q("syscall", "SIGTERM")+")",
		"defer stop()",
		"go func() {",
		"<-ctx.Done()",
		"shutdown, cancel := "+q(contextPkg, "WithTimeout")+"("+q(contextPkg, "Background")+"(), 10*"+q("time", "Second")+")",
		"defer cancel()",
		"s.Stop(shutdown)",
		"}()",
		"if err := s.Serve(ln); err != "+q(serverPkg, "ErrStopped")+" {", fatal, "}",
		"}",
	)
}

func scaffoldClient(sg *svcGen, module string) {
	g, s := sg.g, sg.s
	q := sg.q
	m := s.Methods[0]
	for _, mm := range s.Methods {
		if kind(mm) == "Unary" {
			m = mm
			break
		}
	}
	fatal := q("log", "Fatal") + "(err)"
	name := m.GoName
	g.P("// Command client calls the ", sg.full, " service's ", m.Desc.Name(), " method once and")
	g.P("// prints the reply.")
	g.P("package main")
	g.P()
	sg.lines(
		"func main() {",
		`addr := `+q("flag", "String")+`("addr", "127.0.0.1:9090", "address of the server")`,
		q("flag", "Parse")+"()",
		"c, err := "+q(sg.pkg, "New"+s.GoName+"Client")+"(*addr)",
		"if err != nil {", fatal, "}",
		"defer c.Close()",
		"ctx, cancel := "+q(contextPkg, "WithTimeout")+"("+q(contextPkg, "Background")+"(), 5*"+q("time", "Second")+")",
		"defer cancel()",
	)
	printf := q("fmt", "Printf") + `("` + name + `() = %v\n", reply)`
	recvAll := func() []string {
		return []string{"for {", "reply, err := stream.Recv()", "if err == " + q(ioPkg, "EOF") + " {", "break", "}", "if err != nil {", fatal, "}", printf, "}"}
	}
	switch kind(m) {
	case "Unary":
		sg.lines("reply, err := c."+name+"(ctx, "+sg.sample(m.Input)+")", "if err != nil {", fatal, "}", printf)
	case "ServerStreaming":
		sg.lines("stream, err := c."+name+"(ctx, "+sg.sample(m.Input)+")", "if err != nil {", fatal, "}")
		sg.lines(recvAll()...)
	case "ClientStreaming":
		sg.lines("stream, err := c."+name+"(ctx)", "if err != nil {", fatal, "}",
			"if err := stream.Send("+sg.sample(m.Input)+"); err != nil {", fatal, "}",
			"reply, err := stream.CloseAndRecv()", "if err != nil {", fatal, "}", printf)
	default:
		sg.lines("stream, err := c."+name+"(ctx)", "if err != nil {", fatal, "}",
			"if err := stream.Send("+sg.sample(m.Input)+"); err != nil {", fatal, "}",
			"if err := stream.CloseSend(); err != nil {", fatal, "}")
		sg.lines(recvAll()...)
	}
	g.P("}")
}
