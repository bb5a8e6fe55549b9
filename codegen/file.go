package codegen

import (
	"path"

	"github.com/ospreyrpc/osprey/idl"
)

// file generates the Go files of one IDL file: types, codecs, services.
func (g *gen) file(f *idl.File) ([]File, error) {
	pkg := g.pkgs[f]
	base := fileBase(f.Name)
	header := g.header(path.Base(f.Path))

	var out []File
	emit := func(suffix string, fg *fileGen) error {
		if fg.body.Len() == 0 {
			return nil
		}
		src, err := fg.Bytes(header)
		if err != nil {
			return err
		}
		out = append(out, File{Path: path.Join(pkg.dir, base+suffix), Content: src})
		return nil
	}
	newFG := func() *fileGen { return &fileGen{gen: g, file: f, pkg: pkg, printer: newPrinter(pkg, g.pkgNames)} }

	types := newFG()
	for _, c := range f.Consts {
		types.constDecl(c)
	}
	for _, e := range f.Enums {
		types.enumDecl(e)
	}
	for _, t := range f.Typedefs {
		types.typedefDecl(t)
	}
	for _, s := range f.Structs {
		types.structDecl(s, g.name(s), g.name(s)+" is the Thrift "+s.Kind.String()+" "+s.Name+".", true)
	}
	if err := emit("_types.go", types); err != nil {
		return nil, err
	}

	codec := newFG()
	for _, s := range f.Structs {
		codec.codec(s, g.name(s))
	}
	if err := emit("_codec.go", codec); err != nil {
		return nil, err
	}

	svc := newFG()
	for _, s := range f.Services {
		svc.service(s)
	}
	if err := emit("_service.go", svc); err != nil {
		return nil, err
	}
	return out, nil
}
