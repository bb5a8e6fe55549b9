package pbgen

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/bufbuild/protocompile"
	"github.com/bufbuild/protocompile/reporter"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/descriptorpb"
)

// maxDescriptorSet bounds the size of a descriptor set file read.
const maxDescriptorSet = 64 << 20

// input is what generation starts from: every file needed, dependencies
// before the files that import them, the names of the files the user
// asked for, in order, and where .proto sources were read from.
type input struct {
	files   []*descriptorpb.FileDescriptorProto
	roots   []string
	sources map[string]string // file name → path read; nil for descriptor sets
}

func (in *input) root(name string) bool { return slices.Contains(in.roots, name) }

// load reads the input files: all .proto sources, compiled together, or
// all descriptor sets (see isDescriptorSet).
func load(paths, importPaths []string) (*input, error) {
	if len(paths) == 0 {
		return nil, errors.New("pbgen: no input files")
	}
	var sets, sources []string
	for _, p := range paths {
		set, err := isDescriptorSet(p)
		if err != nil {
			return nil, err
		}
		if set {
			sets = append(sets, p)
		} else {
			sources = append(sources, p)
		}
	}
	switch {
	case len(sets) > 0 && len(sources) > 0:
		return nil, fmt.Errorf("pbgen: cannot mix .proto files (%s) and descriptor sets (%s) in one run", sources[0], sets[0])
	case len(sets) > 0:
		return readSets(sets)
	}
	return compile(sources, importPaths)
}

// descriptorSetExts are the extensions a FileDescriptorSet file commonly
// has (protoc --descriptor_set_out, buf build -o).
var descriptorSetExts = map[string]bool{".pb": true, ".binpb": true, ".desc": true, ".protoset": true, ".bin": true}

// isDescriptorSet tells a descriptor set from a .proto source: by
// extension, else by content (it parses as a FileDescriptorSet of named
// files).
func isDescriptorSet(path string) (bool, error) {
	ext := strings.ToLower(filepath.Ext(path))
	if ext == ".proto" {
		return false, nil
	}
	if descriptorSetExts[ext] {
		return true, nil
	}
	data, err := readLimited(path)
	if err != nil {
		return false, err
	}
	var set descriptorpb.FileDescriptorSet
	if proto.Unmarshal(data, &set) != nil || len(set.File) == 0 {
		return false, nil
	}
	for _, f := range set.File {
		if f.GetName() == "" {
			return false, nil
		}
	}
	return true, nil
}

func readLimited(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxDescriptorSet+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxDescriptorSet {
		return nil, fmt.Errorf("pbgen: %s is larger than %d MiB", path, maxDescriptorSet>>20)
	}
	return data, nil
}

// standardImports finds the well-known types protocompile builds in.
var standardImports = protocompile.WithStandardImports(protocompile.ResolverFunc(func(string) (protocompile.SearchResult, error) {
	return protocompile.SearchResult{}, fs.ErrNotExist
}))

// readSets reads descriptor sets. Their roots are the files no other file
// of the sets imports; a well-known type a set leaves out comes from the
// protobuf module.
func readSets(paths []string) (*input, error) {
	var sets []*descriptorpb.FileDescriptorSet
	for _, p := range paths {
		data, err := readLimited(p)
		if err != nil {
			return nil, err
		}
		set := new(descriptorpb.FileDescriptorSet)
		if err := proto.Unmarshal(data, set); err != nil {
			return nil, fmt.Errorf("pbgen: %s is not a FileDescriptorSet: %v", p, err)
		}
		sets = append(sets, set)
	}
	return fromSets(sets, paths)
}

// fromSets is readSets once the sets, read from paths, are decoded.
func fromSets(sets []*descriptorpb.FileDescriptorSet, paths []string) (*input, error) {
	byName := map[string]*descriptorpb.FileDescriptorProto{}
	var order []string
	for i, set := range sets {
		for _, f := range set.File {
			if f.GetName() == "" {
				return nil, fmt.Errorf("pbgen: %s holds a file descriptor without a name", paths[i])
			}
			if _, dup := byName[f.GetName()]; !dup {
				order = append(order, f.GetName())
			}
			byName[f.GetName()] = f
		}
	}
	imported := map[string]bool{}
	for _, f := range byName {
		for _, d := range f.Dependency {
			imported[d] = true
		}
	}
	in := &input{}
	done := map[string]bool{}
	var visit func(name, from string) error
	visit = func(name, from string) error {
		if done[name] {
			return nil
		}
		done[name] = true
		f := byName[name]
		if f == nil {
			wk, err := standardImports.FindFileByPath(name)
			if err != nil || wk.Desc == nil {
				return fmt.Errorf("pbgen: the descriptor set lacks %s, which %s imports; build it with its imports (protoc --include_imports, or buf build without --exclude-imports)", name, from)
			}
			f = protodesc.ToFileDescriptorProto(wk.Desc)
		}
		for _, d := range f.Dependency {
			if err := visit(d, name); err != nil {
				return err
			}
		}
		in.files = append(in.files, f)
		return nil
	}
	for _, name := range order {
		if err := visit(name, ""); err != nil {
			return nil, err
		}
		if !imported[name] {
			in.roots = append(in.roots, name)
		}
	}
	return in, nil
}

// compile parses and links .proto files with their imports, searched in
// importPaths, "." if none (the well-known types are built in). A file not
// under any import path is found by its directory. Errors name the file as the user
// did, with line and column.
func compile(paths, importPaths []string) (*input, error) {
	if len(importPaths) == 0 {
		importPaths = []string{"."} // as protoc
	}
	dirs := append([]string(nil), importPaths...)
	var names []string
	for _, p := range paths {
		name, dir := protoName(p, importPaths)
		if dir != "" && !slices.Contains(dirs, dir) {
			dirs = append(dirs, dir)
		}
		names = append(names, name)
	}
	var mu sync.Mutex
	osPaths := map[string]string{}
	src := &protocompile.SourceResolver{
		ImportPaths: dirs,
		Accessor: func(p string) (io.ReadCloser, error) {
			f, err := os.Open(p)
			if err == nil {
				mu.Lock()
				for _, d := range dirs {
					if rel, err := filepath.Rel(d, p); err == nil && !strings.HasPrefix(rel, "..") {
						if _, seen := osPaths[filepath.ToSlash(rel)]; !seen {
							osPaths[filepath.ToSlash(rel)] = p
						}
					}
				}
				mu.Unlock()
			}
			return f, err
		},
	}
	c := protocompile.Compiler{
		Resolver:       protocompile.WithStandardImports(src),
		SourceInfoMode: protocompile.SourceInfoStandard,
	}
	linked, err := c.Compile(context.Background(), names...)
	if err != nil {
		var pe reporter.ErrorWithPos
		if errors.As(err, &pe) {
			pos := pe.GetPosition()
			file := pos.Filename
			if p, ok := osPaths[file]; ok {
				file = p
			}
			msg := pe.Unwrap().Error()
			if errors.Is(err, fs.ErrNotExist) {
				msg += " (imports are searched in " + strings.Join(dirs, ", ") + "; add the directory they are relative to with -I)"
			}
			return nil, fmt.Errorf("%s:%d:%d: %s", file, pos.Line, pos.Col, msg)
		}
		return nil, err
	}
	in := &input{sources: osPaths}
	done := map[string]bool{}
	var visit func(fd protoreflect.FileDescriptor)
	visit = func(fd protoreflect.FileDescriptor) {
		if done[fd.Path()] {
			return
		}
		done[fd.Path()] = true
		imps := fd.Imports()
		for i := range imps.Len() {
			visit(imps.Get(i).FileDescriptor)
		}
		in.files = append(in.files, protodesc.ToFileDescriptorProto(fd))
	}
	for _, f := range linked {
		visit(f)
		in.roots = append(in.roots, f.Path())
	}
	return in, nil
}

// protoName returns the name a .proto file is compiled under: its path
// relative to the first import path holding it, else its base name, its
// directory then being searched too (dir).
func protoName(p string, importPaths []string) (name, dir string) {
	abs, err := filepath.Abs(p)
	if err == nil {
		for _, ip := range importPaths {
			ipAbs, err := filepath.Abs(ip)
			if err != nil {
				continue
			}
			if rel, err := filepath.Rel(ipAbs, abs); err == nil && !strings.HasPrefix(rel, "..") {
				return filepath.ToSlash(rel), ""
			}
		}
	}
	return filepath.Base(p), filepath.Dir(p)
}
