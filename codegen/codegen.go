package codegen

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/ospreyrpc/osprey/idl"
)

// Options configure code generation.
type Options struct {
	// ImportPrefix is the import path of the output directory, such as
	// "example.com/app/gen". A file's package goes in the directory its
	// namespace names, and other files import it as ImportPrefix/namespace.
	ImportPrefix string
	// Version is written in the generated files' header comment; empty
	// leaves it out.
	Version string
}

// File is one generated file.
type File struct {
	// Path is the file's path relative to the output directory, with
	// forward slashes.
	Path    string
	Content []byte
}

// Thrift generates the Go code for every file of prog and returns the
// files sorted by path.
func Thrift(prog *idl.Program, opts Options) ([]File, error) {
	g := newGen(prog, opts)
	if err := g.plan(); err != nil {
		return nil, err
	}
	var files []File
	for _, f := range prog.Files {
		fs, err := g.file(f)
		if err != nil {
			return nil, err
		}
		files = append(files, fs...)
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	return files, nil
}

// gen holds what the generator knows about the whole program: which Go
// package each file goes in, and the Go name of every definition.
type gen struct {
	prog  *idl.Program
	opts  Options
	pkgs  map[*idl.File]*goPkg
	names map[any]string // *idl.Struct, *idl.Enum, *idl.Typedef, *idl.Const, *idl.Service, *idl.EnumValue, *idl.Field
	svcs  map[*idl.Service]*svcNames
}

// goPkg is one Go package of output.
type goPkg struct {
	dir   string // relative output directory
	path  string // import path
	name  string // package name
	taken nameSet
}

func newGen(prog *idl.Program, opts Options) *gen {
	return &gen{prog: prog, opts: opts, pkgs: map[*idl.File]*goPkg{}, names: map[any]string{}, svcs: map[*idl.Service]*svcNames{}}
}

// plan assigns every file a package and every definition a Go name, in
// program order, so names are the same on every run.
func (g *gen) plan() error {
	byDir := map[string]*goPkg{}
	for _, f := range g.prog.Files {
		dir, name := packageOf(f)
		p := byDir[dir]
		if p == nil {
			imp := dir
			if g.opts.ImportPrefix != "" {
				imp = strings.TrimSuffix(g.opts.ImportPrefix, "/") + "/" + dir
			}
			p = &goPkg{dir: dir, path: imp, name: name, taken: nameSet{}}
			byDir[dir] = p
		} else if p.name != name {
			return fmt.Errorf("codegen: %s and another file both map to %s with different package names", f.Path, dir)
		}
		g.pkgs[f] = p
	}
	for _, f := range g.prog.Files {
		g.planFile(f)
	}
	for _, f := range g.prog.Files {
		for _, s := range f.Structs {
			g.planStruct(s)
		}
	}
	g.planServices()
	return nil
}

// packageOf returns a file's output directory and Go package name.
func packageOf(f *idl.File) (dir, name string) {
	ns, ok := f.Namespace("go")
	if !ok || ns == "" {
		ns = f.Name
	}
	parts := strings.Split(ns, ".")
	for i, p := range parts {
		parts[i] = sanitize(p)
	}
	dir = path.Join(parts...)
	name = strings.ToLower(parts[len(parts)-1])
	if isGoKeyword(name) {
		name += "_"
	}
	return dir, name
}

// planFile names a file's definitions.
func (g *gen) planFile(f *idl.File) {
	p := g.pkgs[f]
	for _, e := range f.Enums {
		g.names[e] = p.taken.claim(exported(e.Name))
		for _, v := range e.Values {
			g.names[v] = p.taken.claim(g.names[e] + "_" + v.Name)
		}
	}
	for _, t := range f.Typedefs {
		g.names[t] = p.taken.claim(exported(t.Name))
	}
	for _, s := range f.Structs {
		g.names[s] = p.taken.claim(exported(s.Name))
	}
	for _, s := range f.Structs {
		g.names[ctorOf{s}] = p.taken.claim("New" + g.names[s])
	}
	for _, e := range f.Enums {
		g.names[fromStringOf{e}] = p.taken.claim(g.names[e] + "FromString")
	}
	for _, c := range f.Consts {
		g.names[c] = p.taken.claim(exported(c.Name))
	}
	for _, s := range f.Services {
		g.names[s] = p.taken.claim(exported(s.Name))
	}
}

// ctorOf and fromStringOf key the names of a struct's constructor and an
// enum's parsing function.
type (
	ctorOf       struct{ s *idl.Struct }
	fromStringOf struct{ e *idl.Enum }
)

// name returns the Go name planned for a definition.
func (g *gen) name(def any) string {
	n, ok := g.names[def]
	if !ok {
		panic(fmt.Sprintf("codegen: no name planned for %T", def))
	}
	return n
}
