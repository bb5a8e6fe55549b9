package pbgen

import (
	"errors"
	"fmt"
	"path"
	"sort"
	"strings"

	gengo "google.golang.org/protobuf/cmd/protoc-gen-go/internal_gengo"
	"google.golang.org/protobuf/compiler/protogen"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/pluginpb"

	"github.com/ospreyrpc/osprey/codegen"
)

// Options configure Generate.
type Options struct {
	// ImportPrefix is the import path of the output directory, such as
	// "example.com/app/gen". A file without a go_package option goes in
	// the directory its proto package names (dots become slashes), or,
	// without a package, one named by its base name, and is imported as
	// ImportPrefix/dir. Required unless every file has a go_package.
	ImportPrefix string
	// ImportPaths are the directories imports are searched in (protoc's
	// -I); none means ".". A file named on the command line that is in none
	// of them is found from its own directory. The well-known types are
	// built in.
	ImportPaths []string
	// Version is written in the Osprey files' header comment; empty
	// leaves it out.
	Version string
	// IgnoreGoPackage places every file but the well-known types as if it
	// had no go_package, and generates them all: the layout osprey new
	// uses, so a project holds all its generated code. Default false.
	IgnoreGoPackage bool
}

// Generate generates Go code from .proto files, or from FileDescriptorSet
// files (see the package doc), and returns the files sorted by path,
// relative to the output directory. It generates the files named and the
// files they import, except the well-known types and imports whose
// go_package lies outside ImportPrefix, which are expected to exist.
func Generate(paths []string, opts Options) ([]codegen.File, error) {
	in, err := load(paths, opts.ImportPaths)
	if err != nil {
		return nil, err
	}
	req, err := request(in, opts.ImportPrefix, opts.IgnoreGoPackage)
	if err != nil {
		return nil, err
	}
	return run(req, opts)
}

// request builds the CodeGeneratorRequest protoc would send a plugin,
// with an M mapping for every file without a go_package, or with remap
// for every file but the well-known types, whose go_package is then
// ignored: all of them are generated under prefix.
func request(in *input, prefix string, remap bool) (*pluginpb.CodeGeneratorRequest, error) {
	prefix = strings.TrimSuffix(prefix, "/")
	req := &pluginpb.CodeGeneratorRequest{ProtoFile: in.files}
	var params []string
	for _, f := range in.files {
		goPkg := f.GetOptions().GetGoPackage()
		if goPkg == "" || remap && !wellKnown(f) {
			if prefix == "" {
				return nil, fmt.Errorf("pbgen: %s has no go_package option, and the output directory's import path is unknown", f.GetName())
			}
			params = append(params, "M"+f.GetName()+"="+prefix+"/"+outputDir(f))
		}
		if in.root(f.GetName()) || remap && !wellKnown(f) || generateImport(f, prefix) {
			req.FileToGenerate = append(req.FileToGenerate, f.GetName())
		}
	}
	req.Parameter = strPtr(strings.Join(params, ","))
	return req, nil
}

// wellKnown reports whether f is one of the types protobuf-go ships
// (google.golang.org/protobuf/types/...).
func wellKnown(f *descriptorpb.FileDescriptorProto) bool {
	return strings.HasPrefix(f.GetOptions().GetGoPackage(), "google.golang.org/protobuf/")
}

func strPtr(s string) *string { return &s }

// generateImport reports whether an imported file is generated too: not a
// well-known type, and without a go_package outside prefix.
func generateImport(f *descriptorpb.FileDescriptorProto, prefix string) bool {
	goPkg, _, _ := strings.Cut(f.GetOptions().GetGoPackage(), ";")
	switch {
	case wellKnown(f):
		return false
	case goPkg == "":
		return true
	}
	return prefix != "" && (goPkg == prefix || strings.HasPrefix(goPkg, prefix+"/"))
}

// outputDir is the directory, relative to the output directory, of a file
// without a go_package: its package's dotted parts, or its base name.
func outputDir(f *descriptorpb.FileDescriptorProto) string {
	parts := strings.Split(f.GetPackage(), ".")
	if f.GetPackage() == "" {
		parts = []string{strings.ToLower(strings.TrimSuffix(path.Base(f.GetName()), ".proto"))}
	}
	for i, p := range parts {
		parts[i] = sanitize(p)
	}
	return path.Join(parts...)
}

// sanitize makes s a valid path element and Go package name: letters,
// digits and underscores, not starting with a digit.
func sanitize(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			b[i] = '_'
		}
	}
	if len(b) == 0 || b[0] >= '0' && b[0] <= '9' {
		b = append([]byte{'_'}, b...)
	}
	return string(b)
}

// run runs protoc-gen-go's generator and Osprey's on req and returns the
// files relative to the output directory.
func run(req *pluginpb.CodeGeneratorRequest, opts Options) ([]codegen.File, error) {
	plugin, err := newPlugin(req)
	if err != nil {
		return nil, err
	}
	generateAll(plugin, opts.Version)
	return response(plugin, opts.ImportPrefix)
}

func newPlugin(req *pluginpb.CodeGeneratorRequest) (*protogen.Plugin, error) {
	plugin, err := protogen.Options{}.New(req)
	if err != nil {
		return nil, fmt.Errorf("pbgen: %v", err)
	}
	return plugin, nil
}

// response returns the plugin's files sorted by path, relative to the
// directory whose import path is prefix.
func response(plugin *protogen.Plugin, prefix string) ([]codegen.File, error) {
	resp := plugin.Response()
	if resp.Error != nil {
		return nil, errors.New("pbgen: " + resp.GetError())
	}
	prefix = strings.TrimSuffix(prefix, "/")
	var files []codegen.File
	for _, f := range resp.File {
		name := f.GetName()
		if rel, ok := strings.CutPrefix(name, prefix+"/"); ok && prefix != "" {
			name = rel
		}
		files = append(files, codegen.File{Path: name, Content: []byte(f.GetContent())})
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	return files, nil
}

// generateAll writes every file to generate: protoc-gen-go's message code
// and Osprey's service code.
func generateAll(plugin *protogen.Plugin, version string) {
	for _, f := range plugin.Files {
		if f.Generate {
			gengo.GenerateFile(plugin, f)
		}
	}
	GenerateFiles(plugin, version)
}

// GenerateFiles writes the Osprey file (GenerateFile) of every file the
// plugin is asked to generate, and declares the features and editions
// protoc-gen-go supports: what protoc-gen-osprey does.
func GenerateFiles(plugin *protogen.Plugin, version string) {
	for _, f := range plugin.Files {
		if f.Generate {
			GenerateFile(plugin, f, version)
		}
	}
	plugin.SupportedFeatures = gengo.SupportedFeatures
	plugin.SupportedEditionsMinimum = gengo.SupportedEditionsMinimum
	plugin.SupportedEditionsMaximum = gengo.SupportedEditionsMaximum
}
