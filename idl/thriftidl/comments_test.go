package thriftidl

import (
	"maps"
	"testing"

	"github.com/ospreyrpc/osprey/idl"
)

// docs collects the non-empty docs of a file by name: "Def" for
// definitions, "Def.item" for fields, enum values and functions, and
// "Def.fn.arg" for arguments.
func docs(f *idl.File) map[string]string {
	m := map[string]string{}
	add := func(name, doc string) {
		if doc != "" {
			m[name] = doc
		}
	}
	for _, d := range f.Typedefs {
		add(d.Name, d.Doc)
	}
	for _, d := range f.Consts {
		add(d.Name, d.Doc)
	}
	for _, d := range f.Enums {
		add(d.Name, d.Doc)
		for _, v := range d.Values {
			add(d.Name+"."+v.Name, v.Doc)
		}
	}
	for _, d := range f.Structs {
		add(d.Name, d.Doc)
		for _, fd := range d.Fields {
			add(d.Name+"."+fd.Name, fd.Doc)
		}
	}
	for _, d := range f.Services {
		add(d.Name, d.Doc)
		for _, fn := range d.Functions {
			add(d.Name+"."+fn.Name, fn.Doc)
			for _, a := range fn.Args {
				add(d.Name+"."+fn.Name+"."+a.Name, a.Doc)
			}
		}
	}
	return m
}

func TestDocComments(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want map[string]string
	}{
		{"doc comment", "/** Doc */\nstruct A {}", map[string]string{"A": "Doc"}},
		{"line comments", "// line one\n//   line two\nstruct A {}", map[string]string{"A": "line one\n  line two"}},
		{"hash comments", "#hash doc\n# more\nstruct A {}", map[string]string{"A": "hash doc\nmore"}},
		{"triple slash", "/// Triple\nstruct A {}", map[string]string{"A": "Triple"}},
		{"plain block", "/* plain block */\nstruct A {}", map[string]string{"A": "plain block"}},
		{"same line", "/** inline */ struct A {}", map[string]string{"A": "inline"}},
		{"license header", "/*\n * License.\n */\n\nstruct A {}", map[string]string{}},
		{"blank line before item", "/** Doc */\n\nstruct A {}", map[string]string{}},
		{"starred block", "/**\n * Title\n *\n *   indented\n */\nstruct A {}",
			map[string]string{"A": "Title\n\n  indented"}},
		{"unstarred block", "/*\n    Title\n      indented\n*/\nenum E {}",
			map[string]string{"E": "Title\n  indented"}},
		{"stars before end", "/** Doc **/\nstruct A {}", map[string]string{"A": "Doc"}},
		{"mixed run", "/* C1 */\n// C2\nstruct A {}", map[string]string{"A": "C1\nC2"}},
		{"crlf", "/**\r\n * Doc\r\n */\r\n// Line\r\nstruct A {}", map[string]string{"A": "Doc\nLine"}},
		{"trailing field comment", "struct A {\n  1: i32 x, // trailing\n  2: i32 y\n}",
			map[string]string{"A.x": "trailing"}},
		{"doc and trailing", "struct A {\n  /** Doc */\n  1: i32 x // more\n}",
			map[string]string{"A.x": "Doc\nmore"}},
		{"comment after brace", "struct A { // about A\n  1: i32 x\n}", map[string]string{}},
		{"two values on a line", "enum E {\n  // doc for A\n  A, B // tail of B\n}",
			map[string]string{"E.A": "doc for A", "E.B": "tail of B"}},
		{"function", "service S {\n  // Does f.\n  void f(\n    /** The arg. */\n    1: i32 a) // and more\n}",
			map[string]string{"S.f": "Does f.\nand more", "S.f.a": "The arg."}},
		{"typedef and const trailing", "typedef i32 T // tail\nconst T C = 1 # hash tail",
			map[string]string{"T": "tail", "C": "hash tail"}},
		{"block definitions take no trailing comment", "struct A {\n} // end of A\nservice S {} // end of S",
			map[string]string{}},
		{"trailing comment is not the next doc", "typedef i32 T // tail of T\ntypedef i32 U",
			map[string]string{"T": "tail of T"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prog, err := parseMem(map[string]string{"a.thrift": tt.src})
			if err != nil {
				t.Fatal(err)
			}
			if got := docs(prog.Root); !maps.Equal(got, tt.want) {
				t.Errorf("docs = %q, want %q", got, tt.want)
			}
		})
	}
}
