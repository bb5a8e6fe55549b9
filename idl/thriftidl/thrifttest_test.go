package thriftidl

import (
	"path/filepath"
	"testing"

	"github.com/ospreyrpc/osprey/idl"
)

// parseFile parses a file from testdata, failing the test on error, and
// returns the program and the warnings.
func parseFile(t *testing.T, path string, includeDirs ...string) (*idl.Program, []string) {
	t.Helper()
	var warnings []string
	prog, err := Parse(path, Options{
		IncludeDirs: includeDirs,
		Warn:        func(pos idl.Pos, msg string) { warnings = append(warnings, pos.String()+": "+msg) },
	})
	if err != nil {
		t.Fatalf("Parse(%s): %v", path, err)
	}
	return prog, warnings
}

func findStruct(t *testing.T, f *idl.File, name string) *idl.Struct {
	t.Helper()
	for _, s := range f.Structs {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no struct %q in %s", name, f.Name)
	return nil
}

func findField(t *testing.T, s *idl.Struct, name string) *idl.Field {
	t.Helper()
	for _, f := range s.Fields {
		if f.Name == name {
			return f
		}
	}
	t.Fatalf("no field %q in %s", name, s.Name)
	return nil
}

func findService(t *testing.T, f *idl.File, name string) *idl.Service {
	t.Helper()
	for _, s := range f.Services {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no service %q in %s", name, f.Name)
	return nil
}

func findConst(t *testing.T, f *idl.File, name string) *idl.Const {
	t.Helper()
	for _, c := range f.Consts {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no const %q in %s", name, f.Name)
	return nil
}

func TestThriftTest(t *testing.T) {
	path := filepath.Join("testdata", "ThriftTest.thrift")
	prog, warnings := parseFile(t, path)
	if len(warnings) != 0 {
		t.Errorf("warnings: %q", warnings)
	}
	f := prog.Root
	if len(prog.Files) != 1 || prog.Files[0] != f || f.Name != "ThriftTest" || f.Path != path {
		t.Fatalf("files = %v, root %s %s", prog.Files, f.Name, f.Path)
	}
	if ns, _ := f.Namespace("go"); ns != "thrifttest" {
		t.Errorf(`namespace go = %q`, ns)
	}
	if ns, _ := f.Namespace("py.twisted"); ns != "ThriftTest" {
		t.Errorf(`namespace py.twisted = %q`, ns)
	}
	if ns, _ := f.Namespace("*"); ns != "thrift.test" {
		t.Errorf(`namespace * = %q`, ns)
	}

	t.Run("Numberz", func(t *testing.T) {
		e := f.Enums[0]
		if e.Name != "Numberz" || e.Doc != "Docstring!" {
			t.Fatalf("enum %q doc %q", e.Name, e.Doc)
		}
		want := []struct {
			name  string
			value int32
		}{{"ONE", 1}, {"TWO", 2}, {"THREE", 3}, {"FIVE", 5}, {"SIX", 6}, {"EIGHT", 8}}
		if len(e.Values) != len(want) {
			t.Fatalf("%d values", len(e.Values))
		}
		for i, w := range want {
			if v := e.Values[i]; v.Name != w.name || v.Value != w.value || v.Enum != e {
				t.Errorf("value %d = %s=%d", i, v.Name, v.Value)
			}
		}
		if p := e.Pos; p.Line != 50 || p.Col != 1 {
			t.Errorf("enum pos = %v", p)
		}
	})

	t.Run("myNumberz", func(t *testing.T) {
		c := findConst(t, f, "myNumberz")
		v := c.Value
		if c.Type.Kind != idl.KindEnum || c.Type.Enum != f.Enums[0] {
			t.Errorf("type = %v", c.Type)
		}
		if v.Kind != idl.ValueInt || v.Int != 1 || v.EnumValue != f.Enums[0].Values[0] {
			t.Errorf("value = %+v", v)
		}
	})

	t.Run("UserId", func(t *testing.T) {
		td := f.Typedefs[0]
		if td.Name != "UserId" || td.Type.Kind != idl.KindI64 || td.File != f {
			t.Errorf("typedef %s = %v", td.Name, td.Type)
		}
		um := findField(t, findStruct(t, f, "Insanity"), "userMap").Type
		if um.Key.Kind != idl.KindEnum || um.Elem.Kind != idl.KindTypedef || um.Elem.Typedef != td {
			t.Errorf("userMap = %v", um)
		}
	})

	t.Run("CrazyNesting", func(t *testing.T) {
		s := findStruct(t, f, "CrazyNesting")
		lf := findField(t, s, "list_field")
		if lf.ID != 3 || lf.Requiredness != idl.Required {
			t.Errorf("list_field id %d %v", lf.ID, lf.Requiredness)
		}
		want := "list<map<set<i32>,map<i32,set<list<map<ThriftTest.Insanity,string>>>>>>"
		if got := lf.Type.String(); got != want {
			t.Errorf("list_field type = %s, want %s", got, want)
		}
		setKey := lf.Type.Elem.Key
		if v, ok := setKey.Annotations.Get("python.immutable"); !ok || v != "" {
			t.Errorf("set<i32> annotations = %v", setKey.Annotations)
		}
		inner := lf.Type.Elem.Elem.Elem.Elem // set<list<map<Insanity,string>>>'s list
		if inner.Kind != idl.KindList || len(inner.Annotations) != 1 || len(inner.Elem.Annotations) != 1 {
			t.Errorf("inner list = %v, annotations %v / %v", inner, inner.Annotations, inner.Elem.Annotations)
		}
		if sf := findField(t, s, "set_field"); sf.Requiredness != idl.Optional || sf.Type.Kind != idl.KindSet {
			t.Errorf("set_field %v %v", sf.Requiredness, sf.Type)
		}
		if uf := findField(t, s, "uuid_field"); uf.Type.Kind != idl.KindUUID || uf.ID != 5 {
			t.Errorf("uuid_field %v", uf.Type)
		}
		if v, ok := findStruct(t, f, "Insanity").Annotations.Get("python.immutable"); !ok || v != "" {
			t.Errorf("Insanity annotations")
		}
	})

	t.Run("kinds", func(t *testing.T) {
		if k := findStruct(t, f, "SomeUnion").Kind; k != idl.UnionStruct {
			t.Errorf("SomeUnion kind %v", k)
		}
		if k := findStruct(t, f, "Xception").Kind; k != idl.ExceptionStruct {
			t.Errorf("Xception kind %v", k)
		}
		if k := findStruct(t, f, "Bonk").Kind; k != idl.PlainStruct {
			t.Errorf("Bonk kind %v", k)
		}
		if n := len(findStruct(t, f, "EmptyStruct").Fields); n != 0 {
			t.Errorf("EmptyStruct has %d fields", n)
		}
	})

	t.Run("ThriftTest service", func(t *testing.T) {
		s := findService(t, f, "ThriftTest")
		names := []string{"testVoid", "testString", "testBool", "testByte", "testI32", "testI64",
			"testDouble", "testBinary", "testUuid", "testStruct", "testNest", "testMap",
			"testStringMap", "testSet", "testList", "testEnum", "testTypedef", "testMapMap",
			"testInsanity", "testMulti", "testException", "testMultiException", "testOneway"}
		if len(s.Functions) != len(names) {
			t.Fatalf("%d functions", len(s.Functions))
		}
		for i, n := range names {
			fn := s.Functions[i]
			if fn.Name != n || fn.Service != s {
				t.Errorf("function %d = %s", i, fn.Name)
			}
			if fn.Oneway != (n == "testOneway") {
				t.Errorf("%s oneway = %v", n, fn.Oneway)
			}
		}
		void := s.Functions[0]
		if void.Result != nil || void.Doc != `Prints "testVoid()" and returns nothing.` {
			t.Errorf("testVoid result %v doc %q", void.Result, void.Doc)
		}
		multi := s.Functions[19]
		if len(multi.Args) != 6 || multi.Args[4].Type.Enum == nil || multi.Args[5].Type.Typedef == nil {
			t.Errorf("testMulti args %v", multi.Args)
		}
		me := s.Functions[21]
		if len(me.Throws) != 2 || me.Throws[1].Type.Struct != findStruct(t, f, "Xception2") || me.Result.Struct == nil {
			t.Errorf("testMultiException throws %v", me.Throws)
		}
		if ow := s.Functions[22]; ow.Result != nil || len(ow.Args) != 1 || ow.Args[0].Name != "secondsToSleep" {
			t.Errorf("testOneway = %+v", ow)
		}
		insanity := s.Functions[18]
		wantDoc := "So you think you've got this all worked out, eh?\n\n" +
			"Creates a map with these values and prints it out:\n" +
			"  { 1 => { 2 => argument,\n" +
			"           3 => argument,\n" +
			"         },\n" +
			"    2 => { 6 => <empty Insanity struct>, },\n" +
			"  }\n" +
			"@return map<UserId, map<Numberz,Insanity>> - a map with the above values"
		if insanity.Doc != wantDoc {
			t.Errorf("testInsanity doc = %q, want %q", insanity.Doc, wantDoc)
		}
	})

	t.Run("SecondService", func(t *testing.T) {
		s := findService(t, f, "SecondService")
		if len(s.Functions) != 1 || s.Functions[0].Name != "secondtestString" || s.Extends != nil {
			t.Errorf("SecondService = %+v", s)
		}
	})

	t.Run("defaults", func(t *testing.T) {
		d := findField(t, findStruct(t, f, "OptionalSetDefaultTest"), "with_default").Default
		if d == nil || d.Kind != idl.ValueList || len(d.List) != 1 || d.List[0].String != "test" {
			t.Errorf("with_default = %+v", d)
		}
		bt := findStruct(t, f, "BoolTest")
		if b := findField(t, bt, "b").Default; b == nil || b.Kind != idl.ValueBool || !b.Bool {
			t.Errorf("BoolTest.b = %+v", b)
		}
		if s := findField(t, bt, "s").Default; s == nil || s.Kind != idl.ValueString || s.String != "true" {
			t.Errorf("BoolTest.s = %+v", s)
		}
		ob := findStruct(t, f, "OptionalBinary")
		if d := findField(t, ob, "bin_set").Default; d == nil || d.Kind != idl.ValueList || len(d.List) != 0 {
			t.Errorf("bin_set = %+v", d)
		}
		if d := findField(t, ob, "bin_map").Default; d == nil || d.Kind != idl.ValueMap || len(d.Map) != 0 {
			t.Errorf("bin_map = %+v", d)
		}
	})

	t.Run("docs", func(t *testing.T) {
		bt := findField(t, findStruct(t, f, "Xtruct2"), "byte_thing")
		if bt.Doc != "used to be byte, hence the name" {
			t.Errorf("byte_thing doc = %q", bt.Doc)
		}
		for _, s := range f.Structs {
			if s.Doc != "" {
				t.Errorf("struct %s has doc %q", s.Name, s.Doc)
			}
		}
		if ul := f.Typedefs[0]; ul.Doc != "" {
			t.Errorf("UserId doc = %q", ul.Doc)
		}
	})
}
