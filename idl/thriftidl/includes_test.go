package thriftidl

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ospreyrpc/osprey/idl"
)

func TestIncludeSearch(t *testing.T) {
	tests := []struct {
		name     string
		files    map[string]string
		dirs     []string
		wantPath string // the path "x.thrift" resolves to
	}{
		{"relative first", map[string]string{"x.thrift": "", "inc1/x.thrift": ""}, []string{"inc1"}, "x.thrift"},
		{"include dirs in order", map[string]string{"inc1/x.thrift": "", "inc2/x.thrift": ""}, []string{"inc2", "inc1"}, "inc2/x.thrift"},
		{"later include dir", map[string]string{"inc2/x.thrift": ""}, []string{"inc1", "inc2"}, "inc2/x.thrift"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{"a.thrift": `include "x.thrift"`}
			for k, v := range tt.files {
				files[k] = v
			}
			prog, err := Parse("a.thrift", Options{ReadFile: memReadFile(files), IncludeDirs: tt.dirs})
			if err != nil {
				t.Fatal(err)
			}
			if got := filepath.ToSlash(prog.Root.Includes[0].File.Path); got != tt.wantPath {
				t.Errorf("x.thrift resolved to %s, want %s", got, tt.wantPath)
			}
		})
	}
}

func TestIncludeNotFoundLists(t *testing.T) {
	_, err := Parse("a.thrift", Options{
		ReadFile:    memReadFile(map[string]string{"a.thrift": `include "x.thrift"`}),
		IncludeDirs: []string{"inc1", "inc2"},
	})
	want := `a.thrift:1:1: included file "x.thrift" not found (looked for ` +
		strings.Join([]string{"x.thrift", filepath.Join("inc1", "x.thrift"), filepath.Join("inc2", "x.thrift")}, ", ") + ")"
	if err == nil || err.Error() != want {
		t.Errorf("err = %v\nwant %s", err, want)
	}
}

// TestSharedInclude checks that a file included from several files, by
// different relative paths, is parsed once and comes before its includers.
func TestSharedInclude(t *testing.T) {
	var warnings []string
	prog, err := Parse("a.thrift", Options{
		ReadFile: memReadFile(map[string]string{
			"a.thrift":      "include \"b/b.thrift\"\ninclude \"c/c.thrift\"\ninclude \"c/c.thrift\"\nstruct A { 1: b.B b, 2: c.C c }",
			"b/b.thrift":    "include \"../c/c.thrift\"\nstruct B { 1: c.C c }",
			"c/c.thrift":    "include \"../d/../d/d.thrift\"\nstruct C { 1: d.D d }",
			"d/d.thrift":    "struct D {}",
			"unused.thrift": "this is not thrift",
		}),
		Warn: func(pos idl.Pos, msg string) { warnings = append(warnings, pos.String()+": "+msg) },
	})
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, f := range prog.Files {
		paths = append(paths, filepath.ToSlash(f.Path))
	}
	if want := []string{"d/d.thrift", "c/c.thrift", "b/b.thrift", "a.thrift"}; !slices.Equal(paths, want) {
		t.Errorf("files = %v, want %v", paths, want)
	}
	c := prog.Files[1]
	if prog.Files[2].Includes[0].File != c || prog.Root.Includes[1].File != c || len(prog.Root.Includes) != 2 {
		t.Errorf("c.thrift is not shared: %+v", prog.Root.Includes)
	}
	if want := []string{`a.thrift:3:1: "c/c.thrift" is already included (at a.thrift:2:1)`}; !slices.Equal(warnings, want) {
		t.Errorf("warnings = %q", warnings)
	}
	a := prog.Root.Structs[0]
	if a.Fields[1].Type.Struct != c.Structs[0] || a.Fields[0].Type.Struct.Fields[0].Type.Struct != c.Structs[0] {
		t.Errorf("C resolves to different structs")
	}
}

func TestKeywordsAsFieldNames(t *testing.T) {
	prog, err := parseMem(map[string]string{"a.thrift": "struct A { 1: string service, 2: i32 required, 3: list<i32> map }\n" +
		"service S { void f(1: i32 struct, 2: i32 oneway) }"})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range prog.Root.Structs[0].Fields {
		names = append(names, f.Name)
	}
	for _, f := range prog.Root.Services[0].Functions[0].Args {
		names = append(names, f.Name)
	}
	if want := []string{"service", "required", "map", "struct", "oneway"}; !slices.Equal(names, want) {
		t.Errorf("names = %v", names)
	}
}
