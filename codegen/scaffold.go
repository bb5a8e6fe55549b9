package codegen

import (
	"fmt"
	"strings"

	"github.com/ospreyrpc/osprey/idl"
)

// ScaffoldOptions configure Scaffold.
type ScaffoldOptions struct {
	// Module is the new project's module path.
	Module string
	// GenDir is the directory, relative to the project, holding the code
	// Thrift generated with ImportPrefix Module + "/" + GenDir.
	GenDir string
	// Service names the service to scaffold; empty means the root file's
	// first service.
	Service string
}

// Scaffold writes the hand-editable part of a new project for one service
// of prog: a handler stub (handler/handler.go), a server (cmd/server) and a
// client that calls the service's first method (cmd/client). Paths are
// relative to the project directory.
func Scaffold(prog *idl.Program, opts ScaffoldOptions) ([]File, error) {
	svc, err := pickService(prog.Root, opts.Service)
	if err != nil {
		return nil, err
	}
	g := newGen(prog, Options{ImportPrefix: strings.TrimSuffix(opts.Module, "/") + "/" + opts.GenDir})
	if err := g.plan(); err != nil {
		return nil, err
	}
	var files []File
	for _, part := range []struct {
		path, pkg string
		write     func(*fileGen, *idl.Service) (doc string)
	}{
		{"handler/handler.go", "handler", (*fileGen).scaffoldHandler},
		{"cmd/server/main.go", "main", (*fileGen).scaffoldServer},
		{"cmd/client/main.go", "main", (*fileGen).scaffoldClient},
	} {
		pkg := &goPkg{path: opts.Module + "/" + strings.TrimSuffix(part.path, "/"+lastElem(part.path)), name: part.pkg, taken: nameSet{}}
		fg := &fileGen{gen: g, file: prog.Root, pkg: pkg, printer: newPrinter(pkg, g.pkgNames)}
		fg.scaffoldModule = opts.Module
		doc := part.write(fg, svc)
		src, err := fg.Bytes(doc)
		if err != nil {
			return nil, err
		}
		files = append(files, File{Path: part.path, Content: src})
	}
	return files, nil
}

func lastElem(p string) string { return p[strings.LastIndex(p, "/")+1:] }

func pickService(f *idl.File, name string) (*idl.Service, error) {
	for _, s := range f.Services {
		if name == "" || s.Name == name {
			return s, nil
		}
	}
	if name == "" {
		return nil, fmt.Errorf("codegen: %s has no service to scaffold", f.Path)
	}
	return nil, fmt.Errorf("codegen: %s has no service %q", f.Path, name)
}

// svcQual qualifies a generated name of the service's package.
func (fg *fileGen) svcQual(s *idl.Service, ident string) string {
	return fg.Q(fg.pkgs[s.File].path, ident)
}

func (fg *fileGen) scaffoldHandler(s *idl.Service) string {
	n := fg.planService(s)
	fg.P("// Handler implements ", s.Name, ". Methods not written here answer")
	fg.P("// Unimplemented.")
	fg.P("type Handler struct {")
	fg.P(fg.svcQual(s, n.unimpl))
	fg.P("}")
	fg.P()
	fg.P("var _ ", fg.svcQual(s, n.iface), " = (*Handler)(nil)")
	fg.P()
	for _, fn := range s.AllFunctions() {
		owner := fnService(s, fn)
		fnn := fg.svcs[owner].fns[fn]
		params, results := fg.signature(fn, fnn)
		fg.P("// ", fnn.method, " implements ", owner.Name, ".", fn.Name, ".")
		fg.P("func (h *Handler) ", fnn.method, "(", params, ") ", results, " {")
		fg.P("// TODO: implement ", fn.Name, ".")
		if fn.Result != nil {
			fg.P("return ", fg.sample(fn.Result), ", nil")
		} else {
			fg.P("return nil")
		}
		fg.P("}")
		fg.P()
	}
	return "// Package handler implements the " + s.Name + " service. Replace the stub\n// bodies below with your logic.\n"
}

func (fg *fileGen) scaffoldServer(s *idl.Service) string {
	n := fg.planService(s)
	fg.P("func main() {")
	fg.P(`addr := `, fg.Q("flag", "String"), `("addr", "127.0.0.1:9090", "address to listen on")`)
	fg.P(fg.Q("flag", "Parse"), "()")
	fg.P("s, err := ", fg.Q(pkgServer, "New"), "()")
	fg.P("if err != nil {")
	fg.P(fg.Q("log", "Fatal"), "(err)")
	fg.P("}")
	fg.P("if err := ", fg.svcQual(s, n.register), "(s, &", fg.Q(fg.scaffoldModule+"/handler", "Handler"), "{}); err != nil {")
	fg.P(fg.Q("log", "Fatal"), "(err)")
	fg.P("}")
	fg.P("ln, err := ", fg.Q("net", "Listen"), `("tcp", *addr)`)
	fg.P("if err != nil {")
	fg.P(fg.Q("log", "Fatal"), "(err)")
	fg.P("}")
	fg.P(fg.Q("fmt", "Println"), `("listening on", ln.Addr())`)
	fg.P("ctx, stop := ", fg.Q("os/signal", "NotifyContext"), "(", fg.Q("context", "Background"), "(), ", fg.Q("os", "Interrupt"), ", ", fg.Q("syscall", "SIGTERM"), ")")
	fg.P("defer stop()")
	fg.P("go func() {")
	fg.P("<-ctx.Done()")
	fg.P("shutdown, cancel := ", fg.Q("context", "WithTimeout"), "(", fg.Q("context", "Background"), "(), 10*", fg.Q("time", "Second"), ")")
	fg.P("defer cancel()")
	fg.P("s.Stop(shutdown)")
	fg.P("}()")
	fg.P("if err := s.Serve(ln); err != ", fg.Q(pkgServer, "ErrStopped"), " {")
	fg.P(fg.Q("log", "Fatal"), "(err)")
	fg.P("}")
	fg.P("}")
	return "// Command server serves the " + s.Name + " service until interrupted.\n"
}

func (fg *fileGen) scaffoldClient(s *idl.Service) string {
	n := fg.planService(s)
	fns := s.AllFunctions()
	var fn *idl.Function
	for _, f := range fns {
		if !f.Oneway {
			fn = f
			break
		}
	}
	if fn == nil {
		fn = fns[0]
	}
	fnn := fg.svcs[fnService(s, fn)].fns[fn]
	fg.P("func main() {")
	fg.P(`addr := `, fg.Q("flag", "String"), `("addr", "127.0.0.1:9090", "address of the server")`)
	fg.P(fg.Q("flag", "Parse"), "()")
	fg.P("c, err := ", fg.svcQual(s, n.newClient), "(*addr)")
	fg.P("if err != nil {")
	fg.P(fg.Q("log", "Fatal"), "(err)")
	fg.P("}")
	fg.P("defer c.", n.closer, "()")
	args := []string{"ctx"}
	for _, a := range fn.Args {
		t := fg.sample(a.Type)
		if fg.optional(a) && isScalar(a.Type) {
			t = fg.thrift("Ptr") + "[" + fg.goType(a.Type) + "](" + t + ")"
		}
		args = append(args, t)
	}
	fg.P("ctx, cancel := ", fg.Q("context", "WithTimeout"), "(", fg.Q("context", "Background"), "(), 5*", fg.Q("time", "Second"), ")")
	fg.P("defer cancel()")
	call := "c." + fnn.method + "(" + strings.Join(args, ", ") + ")"
	if fn.Result != nil {
		fg.P("reply, err := ", call)
	} else {
		fg.P("err = ", call)
	}
	fg.P("if err != nil {")
	fg.P(fg.Q("log", "Fatal"), "(err)")
	fg.P("}")
	if fn.Result != nil {
		fg.P(fg.Q("fmt", "Printf"), `("`, fn.Name, `() = %+v\n", reply)`)
	} else {
		fg.P(fg.Q("fmt", "Println"), `("`, fn.Name, `() done")`)
	}
	fg.P("}")
	return "// Command client calls the " + s.Name + " service's " + fn.Name + " method once and\n// prints the reply.\n"
}

// sample returns a Go expression of t's type for stubs and example calls:
// zero-like values, with structs allocated so they are never nil.
func (fg *fileGen) sample(t *idl.Type) string {
	tt := t.True()
	switch tt.Kind {
	case idl.KindStruct:
		return fg.Q(fg.pkgs[tt.Struct.File].path, fg.name(ctorOf{tt.Struct})) + "()"
	case idl.KindString:
		if t.Kind == idl.KindTypedef {
			return fg.goType(t) + `("hello")`
		}
		return `"hello"`
	case idl.KindBinary, idl.KindList, idl.KindSet, idl.KindMap:
		return "make(" + fg.goType(t) + ", 0)"
	case idl.KindEnum:
		if len(tt.Enum.Values) > 0 {
			return fg.qual(tt.Enum.File, tt.Enum.Values[0])
		}
	}
	z := fg.zero(t)
	if t.Kind == idl.KindTypedef && z != "nil" && z != `""` && !strings.HasSuffix(z, "{}") {
		return fg.goType(t) + "(" + z + ")"
	}
	return z
}
