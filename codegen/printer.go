package codegen

import (
	"bytes"
	"fmt"
	"go/format"
	"sort"
	"strings"
)

// printer accumulates one generated file: its body and the imports the
// body uses.
type printer struct {
	pkg *goPkg
	// pkgNames maps the import paths of generated packages to their
	// names, which may differ from the last element of the path.
	pkgNames map[string]string
	body     bytes.Buffer
	imports  map[string]string // import path -> name used in the body
}

func newPrinter(pkg *goPkg, pkgNames map[string]string) *printer {
	return &printer{pkg: pkg, pkgNames: pkgNames, imports: map[string]string{}}
}

// P writes its arguments, concatenated, as one line.
func (p *printer) P(args ...any) {
	for _, a := range args {
		fmt.Fprint(&p.body, a)
	}
	p.body.WriteByte('\n')
}

// Doc writes doc as a Go comment, or fallback when doc is empty.
func (p *printer) Doc(doc, fallback string) {
	if strings.TrimSpace(doc) == "" {
		doc = fallback
	}
	for _, line := range strings.Split(strings.TrimRight(doc, "\n"), "\n") {
		if line == "" {
			p.P("//")
		} else {
			p.P("// ", line)
		}
	}
}

// Import returns the name to qualify identifiers of the package at path
// with, adding the import. Generated packages are named by their package
// name, others by their last element; clashes get a numeric suffix.
func (p *printer) Import(path string) string {
	if path == p.pkg.path {
		return ""
	}
	if name, ok := p.imports[path]; ok {
		return name
	}
	base, ok := p.pkgNames[path]
	if !ok {
		base = path[strings.LastIndex(path, "/")+1:]
		if base == "" || isGoKeyword(base) {
			base += "_"
		}
	}
	name := sanitize(base)
	for i := 2; p.nameUsed(name) || p.pkg.taken[name]; i++ {
		name = fmt.Sprintf("%s%d", sanitize(base), i)
	}
	p.imports[path] = name
	return name
}

func (p *printer) nameUsed(name string) bool {
	for _, n := range p.imports {
		if n == name {
			return true
		}
	}
	return false
}

// Q returns ident qualified for the package at path.
func (p *printer) Q(path, ident string) string {
	if name := p.Import(path); name != "" {
		return name + "." + ident
	}
	return ident
}

// Bytes returns the formatted file with its header.
func (p *printer) Bytes(header string) ([]byte, error) {
	var out bytes.Buffer
	out.WriteString(header)
	fmt.Fprintf(&out, "package %s\n\n", p.pkg.name)
	if len(p.imports) > 0 {
		paths := make([]string, 0, len(p.imports))
		for path := range p.imports {
			paths = append(paths, path)
		}
		// The standard library first, then the rest, as goimports groups.
		sort.Slice(paths, func(i, j int) bool {
			if si, sj := isStd(paths[i]), isStd(paths[j]); si != sj {
				return si
			}
			return paths[i] < paths[j]
		})
		out.WriteString("import (\n")
		for i, path := range paths {
			if i > 0 && isStd(paths[i-1]) && !isStd(path) {
				out.WriteString("\n")
			}
			name := p.imports[path]
			if name == path[strings.LastIndex(path, "/")+1:] {
				fmt.Fprintf(&out, "\t%q\n", path)
			} else {
				fmt.Fprintf(&out, "\t%s %q\n", name, path)
			}
		}
		out.WriteString(")\n\n")
	}
	out.Write(p.body.Bytes())
	src, err := format.Source(out.Bytes())
	if err != nil {
		return nil, fmt.Errorf("codegen: generated code for package %s does not parse: %w\n%s", p.pkg.name, err, out.Bytes())
	}
	return src, nil
}

// isStd reports whether an import path is the standard library's: its
// first element has no dot.
func isStd(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

// Runtime import paths.
const (
	pkgThrift  = "github.com/ospreyrpc/osprey/protocol/thrift"
	pkgClient  = "github.com/ospreyrpc/osprey/client"
	pkgServer  = "github.com/ospreyrpc/osprey/server"
	pkgService = "github.com/ospreyrpc/osprey/service"
	pkgCodes   = "github.com/ospreyrpc/osprey/codes"
	pkgStatus  = "github.com/ospreyrpc/osprey/status"
)
