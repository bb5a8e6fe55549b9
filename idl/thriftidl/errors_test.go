package thriftidl

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ospreyrpc/osprey/idl"
)

// memReadFile serves files from a map keyed by slash-separated path.
func memReadFile(files map[string]string) func(string) ([]byte, error) {
	return func(path string) ([]byte, error) {
		if s, ok := files[filepath.ToSlash(path)]; ok {
			return []byte(s), nil
		}
		return nil, &fs.PathError{Op: "open", Path: path, Err: fs.ErrNotExist}
	}
}

// parseMem parses "a.thrift" from files.
func parseMem(files map[string]string) (*idl.Program, error) {
	return Parse("a.thrift", Options{ReadFile: memReadFile(files)})
}

func TestErrors(t *testing.T) {
	deepType := "typedef " + strings.Repeat("list<", 200) + "i32" + strings.Repeat(">", 200) + " X"
	deepConst := "const list<i32> X = " + strings.Repeat("[", 100000)
	tests := []struct {
		name  string
		files map[string]string // a.thrift is the root
		want  []string          // the error's lines
	}{
		// Syntax.
		{"missing brace", map[string]string{"a.thrift": "struct A {\n  1: i32 x\nstruct B {}"},
			[]string{`a.thrift:3:1: expected "}" but found "struct"`}},
		{"end of file", map[string]string{"a.thrift": "struct A {"},
			[]string{`a.thrift:1:11: expected "}" but found end of file`}},
		{"bad character", map[string]string{"a.thrift": "struct A { 1: i32 x @ }"},
			[]string{`a.thrift:1:21: unexpected character '@'`}},
		{"bad byte", map[string]string{"a.thrift": "struct A {}\n\xff"},
			[]string{`a.thrift:2:1: unexpected byte 0xff`}},
		{"unterminated string", map[string]string{"a.thrift": `const string S = "abc`},
			[]string{`a.thrift:1:18: unterminated string literal`}},
		{"string across lines", map[string]string{"a.thrift": "const string S = 'ab\ncd'"},
			[]string{`a.thrift:1:18: unterminated string literal`}},
		{"unterminated comment", map[string]string{"a.thrift": "struct A {}\n/* never\nclosed"},
			[]string{`a.thrift:2:1: unterminated comment`}},
		{"backslash at end of line", map[string]string{"a.thrift": "const string S = 'ab\\\ncd'"},
			[]string{`a.thrift:1:18: unterminated string literal`}},
		{"backslash at end of file", map[string]string{"a.thrift": `const string S = "ab\`},
			[]string{`a.thrift:1:18: unterminated string literal`}},
		{"bad escape", map[string]string{"a.thrift": `const string S = "a\qb"`},
			[]string{`a.thrift:1:20: unknown escape sequence "\q" (use \\ for a backslash)`}},
		{"bad unicode escape", map[string]string{"a.thrift": `const string S = "\u12G4"`},
			[]string{`a.thrift:1:19: malformed \u escape: want 4 hex digits`}},
		{"lone surrogate", map[string]string{"a.thrift": `const string S = "\ud800x"`},
			[]string{`a.thrift:1:19: invalid \u escape: unpaired UTF-16 surrogate`}},
		{"missing field name", map[string]string{"a.thrift": "struct A { 1: i32 }"},
			[]string{`a.thrift:1:19: expected field name but found "}"`}},
		{"missing colon after id", map[string]string{"a.thrift": "struct A { 1 i32 a }"},
			[]string{`a.thrift:1:14: expected ":" after the field id but found "i32"`}},
		{"keyword as struct name", map[string]string{"a.thrift": "struct string {}"},
			[]string{`a.thrift:1:8: keyword "string" cannot be used as a struct name`}},
		{"keyword as enum value", map[string]string{"a.thrift": "enum E { list }"},
			[]string{`a.thrift:1:10: keyword "list" cannot be used as an enum value name`}},
		{"keyword as function name", map[string]string{"a.thrift": "service S { void oneway() }"},
			[]string{`a.thrift:1:18: keyword "oneway" cannot be used as a function name`}},
		{"xsd keyword as field name", map[string]string{"a.thrift": "struct A { 1: i32 xsd_all }"},
			[]string{`a.thrift:1:19: keyword "xsd_all" cannot be used as a field name`}},
		{"dotted name", map[string]string{"a.thrift": "struct a.b {}"},
			[]string{`a.thrift:1:8: struct name "a.b" cannot contain a dot`}},
		{"annotation value", map[string]string{"a.thrift": "struct A {} (k = 1)"},
			[]string{`a.thrift:1:18: expected string literal but found "1"`}},
		{"header after definition", map[string]string{"a.thrift": "struct A {}\ninclude \"b.thrift\""},
			[]string{`a.thrift:2:1: "include" must come before all definitions`}},
		{"not a definition", map[string]string{"a.thrift": "struct A {}\n}"},
			[]string{`a.thrift:2:1: expected definition (const, typedef, enum, struct, union, exception or service) but found "}"`}},
		{"integer too big", map[string]string{"a.thrift": "const i64 X = 99999999999999999999"},
			[]string{`a.thrift:1:15: integer 99999999999999999999 is out of range for i64`}},
		{"malformed number", map[string]string{"a.thrift": "const i32 X = 12ab"},
			[]string{`a.thrift:1:15: malformed number "12ab"`}},
		{"malformed hex", map[string]string{"a.thrift": "const i32 X = 0xg"},
			[]string{`a.thrift:1:15: malformed hex number "0x"`}},
		{"double overflow", map[string]string{"a.thrift": "const double X = 1e999"},
			[]string{`a.thrift:1:18: number 1e999 is out of range for double`}},
		{"nesting too deep in types", map[string]string{"a.thrift": deepType},
			[]string{`a.thrift:1:509: nesting too deep (more than 100 levels)`}},
		{"nesting too deep in constants", map[string]string{"a.thrift": deepConst},
			[]string{`a.thrift:1:121: nesting too deep (more than 100 levels)`}},
		{"syntax error in included file", map[string]string{"a.thrift": `include "b.thrift"`, "b.thrift": "enum E {"},
			[]string{`b.thrift:1:9: expected "}" but found end of file`}},

		// Includes.
		{"unknown include", map[string]string{"a.thrift": `include "missing.thrift"`},
			[]string{`a.thrift:1:1: included file "missing.thrift" not found`}},
		{"include cycle", map[string]string{"a.thrift": `include "b.thrift"`, "b.thrift": `include "a.thrift"`},
			[]string{`b.thrift:1:1: include cycle: a.thrift -> b.thrift -> a.thrift`}},
		{"self include", map[string]string{"a.thrift": `include "a.thrift"`},
			[]string{`a.thrift:1:1: include cycle: a.thrift -> a.thrift`}},
		{"same include name", map[string]string{"a.thrift": "include \"x/s.thrift\"\ninclude \"y/s.thrift\"", "x/s.thrift": "", "y/s.thrift": ""},
			[]string{`a.thrift:2:1: included files x/s.thrift and y/s.thrift have the same name "s"`}},

		// Names and types.
		{"unknown type", map[string]string{"a.thrift": "struct A { 1: Foo f }"},
			[]string{`a.thrift:1:15: unknown type "Foo"`}},
		{"unknown file prefix", map[string]string{"a.thrift": "struct A { 1: nope.Foo f }"},
			[]string{`a.thrift:1:15: unknown type "nope.Foo" (no included file is named "nope")`}},
		{"unknown type in included file", map[string]string{"a.thrift": "include \"b.thrift\"\nstruct A { 1: b.Foo f }", "b.thrift": ""},
			[]string{`a.thrift:2:15: unknown type "b.Foo"`}},
		{"constant as type", map[string]string{"a.thrift": "const i32 C = 1\nstruct S { 1: C c }"},
			[]string{`a.thrift:2:15: "C" is a constant, not a type`}},
		{"duplicate definition", map[string]string{"a.thrift": "struct A {}\nenum A { X }"},
			[]string{`a.thrift:2:6: duplicate definition "A" (first at a.thrift:1:8)`}},
		{"duplicate enum value", map[string]string{"a.thrift": "enum E {\n  A,\n  A = 2\n}"},
			[]string{`a.thrift:3:3: duplicate enum value "A" in enum "E" (first at a.thrift:2:3)`}},
		{"enum value out of range", map[string]string{"a.thrift": "enum E { A = 4294967296 }"},
			[]string{`a.thrift:1:14: value 4294967296 of enum value "A" does not fit in i32`}},
		{"implicit enum value overflow", map[string]string{"a.thrift": "enum E { A = 2147483647, B }"},
			[]string{`a.thrift:1:26: implicit value of enum value "B" overflows i32`}},
		{"typedef loop", map[string]string{"a.thrift": "typedef A B\ntypedef B A"},
			[]string{`a.thrift:1:1: typedef loop: B -> A -> B`}},
		{"typedef of itself", map[string]string{"a.thrift": "typedef T T\nconst T X = 1"},
			[]string{`a.thrift:1:1: typedef loop: T -> T`}},

		// Fields.
		{"duplicate field id", map[string]string{"a.thrift": "struct X {\n  1: i32 a\n  1: i32 b\n}"},
			[]string{`a.thrift:3:3: duplicate field id 1 in struct "X" (first at a.thrift:2:3)`}},
		{"duplicate field name", map[string]string{"a.thrift": "struct X {\n  1: i32 a\n  2: i64 a\n}"},
			[]string{`a.thrift:3:10: duplicate field name "a" in struct "X" (first at a.thrift:2:10)`}},
		{"implicit id collides", map[string]string{"a.thrift": "exception X {\n  -1: i32 a\n  i32 b\n}"},
			[]string{`a.thrift:3:3: duplicate field id -1 (assigned implicitly) in exception "X" (first at a.thrift:2:3)`}},
		{"duplicate argument id", map[string]string{"a.thrift": "service S { void f(1: i32 a, 1: i32 b) }"},
			[]string{`a.thrift:1:30: duplicate field id 1 in arguments of function "f" (first at a.thrift:1:20)`}},
		{"field id out of range", map[string]string{"a.thrift": "struct X { 40000: i32 a }"},
			[]string{`a.thrift:1:12: field id 40000 is out of range (must fit in i16)`}},
		{"required union field", map[string]string{"a.thrift": "union U { 1: required i32 a }"},
			[]string{`a.thrift:1:11: field "a" of union "U" cannot be required`}},

		// Services.
		{"duplicate function", map[string]string{"a.thrift": "service S {\n  void f()\n  i32 f()\n}"},
			[]string{`a.thrift:3:7: duplicate function "f" in service "S" (first at a.thrift:2:8)`}},
		{"inherited function", map[string]string{"a.thrift": "service B { void f() }\nservice S extends B { void f() }"},
			[]string{`a.thrift:2:28: function "f" of service "S" is already defined in base service "B" (at a.thrift:1:13)`}},
		{"function of a grandparent", map[string]string{"a.thrift": "service A { void f() }\nservice B extends A { void g() }\nservice C extends B { i32 f() }"},
			[]string{`a.thrift:3:27: function "f" of service "C" is already defined in base service "A" (at a.thrift:1:13)`}},
		{"inherited function across files", map[string]string{"a.thrift": "include \"b.thrift\"\nservice S extends b.B { void f() }", "b.thrift": "service B {\n  void f()\n}"},
			[]string{`a.thrift:2:30: function "f" of service "S" is already defined in base service "B" (at b.thrift:2:3)`}},
		{"oneway with result", map[string]string{"a.thrift": "service S { oneway i32 f() }"},
			[]string{`a.thrift:1:20: oneway function "f" must return void`}},
		{"oneway with throws", map[string]string{"a.thrift": "exception E {}\nservice S { oneway void f() throws (1: E e) }"},
			[]string{`a.thrift:2:29: oneway function "f" cannot throw exceptions`}},
		{"throws non-exception", map[string]string{"a.thrift": "struct X {}\nservice S { void f() throws (1: X e) }"},
			[]string{`a.thrift:2:33: "e" in the throws of function "f" has type X, which is not an exception`}},
		{"extends unknown service", map[string]string{"a.thrift": "service S extends Nope {}"},
			[]string{`a.thrift:1:19: unknown service "Nope"`}},
		{"extends non-service", map[string]string{"a.thrift": "struct T {}\nservice S extends T {}"},
			[]string{`a.thrift:2:19: "T" is a struct, not a service`}},
		{"inheritance cycle", map[string]string{"a.thrift": "service A extends B {}\nservice B extends A {}"},
			[]string{`a.thrift:1:19: service inheritance cycle: A -> B -> A`}},

		// Constants.
		{"string as i32", map[string]string{"a.thrift": `const i32 X = "abc"`},
			[]string{`a.thrift:1:15: cannot use string "abc" as i32`}},
		{"i8 out of range", map[string]string{"a.thrift": "const i8 X = 128"},
			[]string{`a.thrift:1:14: 128 is out of range for i8`}},
		{"double as i64", map[string]string{"a.thrift": "const i64 X = 1.5"},
			[]string{`a.thrift:1:15: cannot use 1.5 as i64`}},
		{"list as i32", map[string]string{"a.thrift": "const i32 X = [1]"},
			[]string{`a.thrift:1:15: cannot use a list as i32`}},
		{"bool from 2", map[string]string{"a.thrift": "const bool B = 2"},
			[]string{`a.thrift:1:16: cannot use 2 as bool (want true, false, 0 or 1)`}},
		{"true as string", map[string]string{"a.thrift": "const string S = true"},
			[]string{`a.thrift:1:18: cannot use true as string`}},
		{"invalid uuid", map[string]string{"a.thrift": `const uuid U = "not-a-uuid"`},
			[]string{`a.thrift:1:16: invalid uuid "not-a-uuid" (want the form 00000000-0000-0000-0000-000000000000)`}},
		{"unknown struct field", map[string]string{"a.thrift": "struct P { 1: i32 x }\nconst P C = {\"y\": 1}"},
			[]string{`a.thrift:2:14: unknown field "y" in struct "P"`}},
		{"struct field set twice", map[string]string{"a.thrift": "struct P { 1: i32 x }\nconst P C = {\"x\": 1, \"x\": 2}"},
			[]string{`a.thrift:2:22: field "x" is set twice (first at a.thrift:2:14)`}},
		{"struct key not a string", map[string]string{"a.thrift": "struct P { 1: i32 x }\nconst P C = {1: 1}"},
			[]string{`a.thrift:2:14: field names in a struct value must be string literals, not 1`}},
		{"nested struct field type", map[string]string{"a.thrift": "struct P { 1: list<i16> x }\nconst P C = {\"x\": [1, 70000]}"},
			[]string{`a.thrift:2:23: 70000 is out of range for i16`}},
		{"union value with two fields", map[string]string{"a.thrift": "union U { 1: i32 a, 2: i32 b }\nconst U X = {\"a\": 1, \"b\": 2}"},
			[]string{`a.thrift:2:13: a value of union "U" can set at most one field, not 2`}},
		{"duplicate map key", map[string]string{"a.thrift": `const map<i32,string> M = {1: "a", 1: "b"}`},
			[]string{`a.thrift:1:36: duplicate key 1 in map (first at a.thrift:1:28)`}},
		{"bare enum value", map[string]string{"a.thrift": "enum E { ONE = 1 }\nconst E X = ONE"},
			[]string{`a.thrift:2:13: unknown constant "ONE" (did you mean E.ONE?)`}},
		{"unknown enum value", map[string]string{"a.thrift": "enum E { ONE = 1 }\nconst E X = E.TWO"},
			[]string{`a.thrift:2:13: enum E has no value "TWO"`}},
		{"integer not in enum", map[string]string{"a.thrift": "enum E { A = 1 }\nconst E X = 7"},
			[]string{`a.thrift:2:13: 7 is not a value of enum E`}},
		{"value of another enum", map[string]string{"a.thrift": "enum E { A }\nenum F { B }\nconst E X = F.B"},
			[]string{`a.thrift:3:13: F.B is a value of enum F, not of E`}},
		{"enum value as string", map[string]string{"a.thrift": "enum E { A }\nconst string S = E.A"},
			[]string{`a.thrift:2:18: cannot use enum value E.A as string`}},
		{"constant of wrong type", map[string]string{"a.thrift": "const string S = \"x\"\nconst i32 I = S"},
			[]string{`a.thrift:2:15: cannot use constant S (of type string) as i32`}},
		{"constant out of range", map[string]string{"a.thrift": "const i32 BIG = 1000\nconst i8 SMALL = BIG"},
			[]string{`a.thrift:2:18: cannot use constant BIG (of type i32) as i8: 1000 is out of range`}},
		{"struct as constant", map[string]string{"a.thrift": "struct S {}\nconst i32 X = S"},
			[]string{`a.thrift:2:15: S is a struct, not a constant`}},
		{"constant cycle", map[string]string{"a.thrift": "const i32 A = B\nconst i32 B = A"},
			[]string{`a.thrift:2:15: constant cycle: A -> B -> A`}},
		{"bad default", map[string]string{"a.thrift": "struct S { 1: optional string s = 5 }"},
			[]string{`a.thrift:1:35: cannot use 5 as string`}},
		{"bad default in other file's type", map[string]string{
			"a.thrift": "include \"b.thrift\"\nstruct S { 1: b.E e = b.E.C }", "b.thrift": "enum E { A, B }"},
			[]string{`a.thrift:2:23: enum b.E has no value "C"`}},

		// Several errors, sorted by position.
		{"several errors", map[string]string{"a.thrift": "struct B { 1: Y y }\nstruct A { 1: X x, 1: i32 z }"},
			[]string{
				`a.thrift:1:15: unknown type "Y"`,
				`a.thrift:2:15: unknown type "X"`,
				`a.thrift:2:20: duplicate field id 1 in struct "A" (first at a.thrift:2:12)`,
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prog, err := parseMem(tt.files)
			if err == nil {
				t.Fatalf("no error; program %v", prog)
			}
			if prog != nil {
				t.Errorf("program returned with an error")
			}
			got := strings.Split(err.Error(), "\n")
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got:\n%s\nwant:\n%s", err, strings.Join(tt.want, "\n"))
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Errorf("errors.As(*Error) failed for %T", err)
			}
			if len(tt.want) > 1 {
				if l, ok := err.(ErrorList); !ok || len(l) != len(tt.want) {
					t.Errorf("error is %T, not an ErrorList of %d", err, len(tt.want))
				}
			}
		})
	}
}

func TestErrorListCap(t *testing.T) {
	var b strings.Builder
	for i := range 25 {
		fmt.Fprintf(&b, "struct S%d { 1: Missing m }\n", i)
	}
	_, err := parseMem(map[string]string{"a.thrift": b.String()})
	l, ok := err.(ErrorList)
	if !ok || len(l) != 25 {
		t.Fatalf("err = %T %v", err, err)
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != 21 || lines[20] != "(and 5 more errors)" || lines[19] != `a.thrift:20:17: unknown type "Missing"` {
		t.Errorf("message:\n%s", err)
	}
}

func TestReadError(t *testing.T) {
	_, err := Parse("nope.thrift", Options{ReadFile: memReadFile(nil)})
	if err == nil || !strings.HasPrefix(err.Error(), "nope.thrift: cannot read file: ") {
		t.Errorf("err = %v", err)
	}
	boom := errors.New("boom")
	_, err = Parse("a.thrift", Options{ReadFile: func(p string) ([]byte, error) {
		if p == "a.thrift" {
			return []byte(`include "b.thrift"`), nil
		}
		return nil, boom
	}})
	if err == nil || err.Error() != "a.thrift:1:1: cannot read included file b.thrift: boom" {
		t.Errorf("err = %v", err)
	}
}
