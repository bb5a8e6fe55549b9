package thriftidl

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ospreyrpc/osprey/idl"
)

func FuzzParse(f *testing.F) {
	err := filepath.WalkDir("testdata", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".thrift") {
			return err
		}
		src, err := os.ReadFile(path)
		f.Add(src)
		return err
	})
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{
		"", "struct", "struct A {", "struct A { 1: i32 a = [ }", `const string S = "\u`,
		"/* open", "enum E { A = 99999999999 }", "typedef A B\ntypedef B A",
		"const i32 A = B\nconst i32 B = A", "service A extends B {}\nservice B extends A {}",
		"typedef list<list<list<i32>>> L\nconst L X = [[[1]], []]",
		"union U { 1: i32 a (x = 'y'); } (z)\nconst U u = {'a': 1}",
		"const map<string, i32> M = {'a': 1, 'a': 2}", "struct S { -1: i32 a, i32 b }",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		const root = "fuzz.thrift"
		prog, err := Parse(root, Options{
			ReadFile: func(path string) ([]byte, error) {
				if path == root {
					return src, nil
				}
				return nil, fs.ErrNotExist
			},
			Warn: func(pos idl.Pos, msg string) {
				if pos.File != root || msg == "" {
					t.Errorf("warning %v: %q", pos, msg)
				}
			},
		})
		if err != nil {
			if prog != nil {
				t.Error("a program and an error")
			}
			if !strings.HasPrefix(err.Error(), root+":") {
				t.Errorf("error does not start with the file name: %v", err)
			}
			return
		}
		if prog.Root == nil || len(prog.Files) != 1 {
			t.Fatalf("program %+v", prog)
		}
		walkProgram(t, prog)
	})
}

// walkProgram visits every type and service of a program, which must be
// complete (no nil types where one is required) and free of cycles that
// would make True or AllFunctions loop.
func walkProgram(t *testing.T, prog *idl.Program) {
	var visit func(ty *idl.Type)
	visit = func(ty *idl.Type) {
		if ty == nil {
			t.Fatal("nil type")
		}
		_ = ty.True()
		_ = ty.String()
		if ty.Key != nil {
			visit(ty.Key)
		}
		if ty.Elem != nil {
			visit(ty.Elem)
		}
	}
	fields := func(fs []*idl.Field) {
		for _, f := range fs {
			visit(f.Type)
		}
	}
	for _, f := range prog.Files {
		for _, td := range f.Typedefs {
			visit(td.Type)
		}
		for _, c := range f.Consts {
			visit(c.Type)
			if c.Value == nil {
				t.Fatalf("const %s has no value", c.Name)
			}
		}
		for _, s := range f.Structs {
			fields(s.Fields)
		}
		for _, s := range f.Services {
			for _, fn := range s.AllFunctions() {
				if fn.Result != nil {
					visit(fn.Result)
				}
				fields(fn.Args)
				fields(fn.Throws)
			}
		}
	}
}
