package thriftidl

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ospreyrpc/osprey/idl"
)

// TestFeatures parses testdata/features/main.thrift, which includes files
// relatively and through an include directory and uses most of the
// grammar.
func TestFeatures(t *testing.T) {
	prog, warnings := parseFile(t, filepath.Join("testdata", "features", "main.thrift"), filepath.Join("testdata", "incdir"))
	main := prog.Root

	t.Run("files", func(t *testing.T) {
		var names, paths []string
		for _, f := range prog.Files {
			names = append(names, f.Name)
			paths = append(paths, filepath.ToSlash(f.Path))
		}
		if want := []string{"common", "shared", "util", "main"}; !slices.Equal(names, want) {
			t.Errorf("files = %v, want %v", names, want)
		}
		if want := "testdata/incdir/common.thrift"; paths[0] != want {
			t.Errorf("common path = %s", paths[0])
		}
		common, shared, util := prog.Files[0], prog.Files[1], prog.Files[2]
		if len(main.Includes) != 3 || main.Includes[0].File != shared || main.Includes[1].File != util || main.Includes[2].File != common {
			t.Errorf("main includes = %v", main.Includes)
		}
		// common.thrift is reached by "../incdir/common.thrift" from shared and
		// through the include directory from main: one File.
		if shared.Includes[0].File != common || shared.Includes[0].Path != "../incdir/common.thrift" {
			t.Errorf("shared includes %+v", shared.Includes[0])
		}
		if util.Includes[0].File != shared {
			t.Errorf("util includes %+v", util.Includes[0])
		}
		if inc := main.Includes[1]; inc.Path != "sub/util.thrift" || inc.Pos.Line != 5 || inc.Pos.Col != 1 {
			t.Errorf("include = %+v", inc)
		}
	})

	t.Run("warnings", func(t *testing.T) {
		want := []string{
			`main.thrift:38:1: "senum" is deprecated`,
			`main.thrift:50:28: "list<T> cpp_type" is deprecated`,
			`main.thrift:53:7: field "implicitOne" has no id; it gets the implicit id -1`,
			`main.thrift:54:10: field "implicitTwo" has no id; it gets the implicit id -2`,
			`main.thrift:55:3: field "negative" has the non-positive id -3`,
			`main.thrift:56:6: "slist" is deprecated`,
			`main.thrift:73:42: "optional" is ignored`,
			`main.thrift:75:3: "async" is deprecated`,
		}
		if len(warnings) != len(want) {
			t.Errorf("warnings:\n%s", strings.Join(warnings, "\n"))
		}
		for _, w := range want {
			if !slices.ContainsFunc(warnings, func(s string) bool { return strings.Contains(s, w) }) {
				t.Errorf("no warning %q", w)
			}
		}
	})

	t.Run("namespaces", func(t *testing.T) {
		ns := main.Namespaces[0]
		if ns.Scope != "go" || ns.Name != "main.pkg" || len(ns.Annotations) != 2 {
			t.Fatalf("namespace %+v", ns)
		}
		if v, _ := ns.Annotations.Get("deprecated"); v != "1" {
			t.Errorf("key without value = %q, want 1", v)
		}
		if v, _ := prog.Files[1].Namespaces[0].Annotations.Get("go.pkg"); v != "example.com/shared" {
			t.Errorf("go.pkg = %q", v)
		}
	})

	t.Run("typedefs", func(t *testing.T) {
		alias := main.Typedefs[0]
		if alias.Name != "Alias" || alias.Type.Struct != findStruct(t, main, "Later") || alias.Doc != "Alias refers forward to Later." {
			t.Errorf("Alias = %+v", alias)
		}
		if v, _ := alias.Annotations.Get("td.ann"); v != "t" {
			t.Errorf("Alias annotations %v", alias.Annotations)
		}
		if old := main.Typedefs[1]; old.Name != "OldStrings" || old.Type.Kind != idl.KindString {
			t.Errorf("senum = %+v", old)
		}
	})

	t.Run("consts", func(t *testing.T) {
		ints := func(v *idl.Value) []int64 {
			var out []int64
			for _, e := range v.List {
				out = append(out, e.Int)
			}
			return out
		}
		if got := ints(findConst(t, main, "HEX_AND_NEG").Value); !slices.Equal(got, []int64{31, -16, -5, 7}) {
			t.Errorf("HEX_AND_NEG = %v", got)
		}
		for name, want := range map[string]float64{"EXP": 1500, "NEG_EXP": -0.025, "FROM_INT": 3} {
			if v := findConst(t, main, name).Value; v.Kind != idl.ValueDouble || v.Double != want {
				t.Errorf("%s = %+v", name, v)
			}
		}
		levels := findConst(t, main, "LEVELS").Value
		if len(levels.Map) != 2 || levels.Map[0].Key.String != "a" || len(levels.Map[1].Value.List) != 0 {
			t.Fatalf("LEVELS = %+v", levels)
		}
		high := levels.Map[0].Value.List[1]
		if high.Int != 16 || high.EnumValue == nil || high.EnumValue.Name != "HIGH" || high.EnumValue.Enum.File != prog.Files[0] {
			t.Errorf("common.Level.HIGH = %+v", high)
		}

		later := findConst(t, main, "LATER").Value
		if later.Kind != idl.ValueStruct || len(later.Fields) != 3 {
			t.Fatalf("LATER = %+v", later)
		}
		if f := later.Fields[1]; f.Field.Name != "tags" || len(f.Value.List) != 2 || f.Value.List[1].String != "y" {
			t.Errorf("LATER.tags = %+v", f.Value)
		}
		inner := later.Fields[2].Value
		if inner.Kind != idl.ValueStruct || inner.Fields[0].Value.EnumValue.Name != "MID" || inner.Fields[1].Value.Int != 1700000000 {
			t.Errorf("LATER.inner = %+v", inner)
		}

		cp := findConst(t, main, "COPY").Value
		if cp.Int != 100 || cp.Const == nil || cp.Const.Name != "MAX_ITEMS" || cp.Const.File != prog.Files[0] {
			t.Errorf("COPY = %+v", cp)
		}
		if v := findConst(t, main, "ID").Value; v.String != "00112233-4455-6677-8899-aabbccddeeff" {
			t.Errorf("ID = %q", v.String)
		}
		if v := findConst(t, main, "YES").Value; v.Kind != idl.ValueBool || !v.Bool {
			t.Errorf("YES = %+v", v)
		}
		fav := findConst(t, main, "FAV")
		if fav.Value.EnumValue == nil || fav.Value.EnumValue.Name != "GREEN" {
			t.Errorf("FAV = %+v", fav.Value)
		}
		if v, _ := fav.Annotations.Get("const.ann"); v != "c" {
			t.Errorf("FAV annotations %v", fav.Annotations)
		}
		if v := findConst(t, main, "NAMES").Value; len(v.List) != 2 {
			t.Errorf("NAMES = %+v", v)
		}
		if v := findConst(t, main, "ESCAPED").Value; v.String != "tab\tquote\"apos'back\\nl\nu\u00e9" {
			t.Errorf("ESCAPED = %q", v.String)
		}
		ss := findConst(t, main, "SS")
		if ss.Type.Struct.File != prog.Files[1] || len(ss.Value.Fields) != 2 || ss.Value.Fields[1].Value.EnumValue.Name != "MID" {
			t.Errorf("SS = %+v", ss.Value)
		}
		if ch := findConst(t, main, "CHOICE").Value; len(ch.Fields) != 1 || ch.Fields[0].Field.Name != "n" {
			t.Errorf("CHOICE = %+v", ch)
		}
	})

	t.Run("enum", func(t *testing.T) {
		color := main.Enums[0]
		if v, _ := color.Annotations.Get("enum.ann"); v != "e" {
			t.Errorf("enum annotations %v", color.Annotations)
		}
		if v, _ := color.Values[0].Annotations.Get("hex"); v != "#f00" {
			t.Errorf("RED annotations %v", color.Values[0].Annotations)
		}
		if got := []int32{color.Values[0].Value, color.Values[1].Value, color.Values[2].Value}; !slices.Equal(got, []int32{1, 2, 4}) {
			t.Errorf("values %v", got)
		}
		level := prog.Files[0].Enums[0]
		if level.Values[0].Value != -1 || level.Values[1].Value != 0 || level.Values[2].Value != 16 {
			t.Errorf("Level = %v", level.Values)
		}
		if level.Doc != "Severity levels." || level.Values[1].Doc != "implicitly 0" {
			t.Errorf("Level docs %q %q", level.Doc, level.Values[1].Doc)
		}
	})

	t.Run("struct", func(t *testing.T) {
		s := findStruct(t, main, "Later")
		if s.Doc != "Later has every kind of field." || s.Pos.Line != 48 || s.Pos.Col != 1 {
			t.Errorf("Later doc %q pos %v", s.Doc, s.Pos)
		}
		if v, _ := s.Annotations.Get("struct.ann"); v != "s" {
			t.Errorf("struct annotations %v", s.Annotations)
		}
		type want struct {
			id       int16
			implicit bool
			name     string
			req      idl.Requiredness
			typ      string
		}
		wants := []want{
			{1, false, "id", idl.Required, "i32"},
			{2, false, "tags", idl.Optional, "list<string>"},
			{3, false, "inner", idl.Default, "main.Inner"},
			{4, false, "counts", idl.Default, "map<string,i32>"},
			{-1, true, "implicitOne", idl.Default, "i32"},
			{-2, true, "implicitTwo", idl.Default, "string"},
			{-3, false, "negative", idl.Default, "i16"},
			{5, false, "old", idl.Default, "string"},
			{6, false, "b", idl.Default, "i8"},
			{7, false, "legacy", idl.Default, "list<i32>"},
			{8, false, "d", idl.Default, "double"},
		}
		if len(s.Fields) != len(wants) {
			t.Fatalf("%d fields", len(s.Fields))
		}
		for i, w := range wants {
			f := s.Fields[i]
			got := want{f.ID, f.ImplicitID, f.Name, f.Requiredness, f.Type.String()}
			if got != w {
				t.Errorf("field %d = %+v, want %+v", i, got, w)
			}
		}
		if v, _ := s.Fields[0].Annotations.Get("field.ann"); v != "1" {
			t.Errorf("id annotations %v", s.Fields[0].Annotations)
		}
		if v, _ := s.Fields[3].Type.Annotations.Get("map.ann"); v != "1" {
			t.Errorf("counts type annotations %v", s.Fields[3].Type.Annotations)
		}
		if d := s.Fields[3].Default; d.Kind != idl.ValueMap || d.Map[0].Value.Int != 1 {
			t.Errorf("counts default %+v", d)
		}
		if d := s.Fields[6].Default; d.Int != -32768 {
			t.Errorf("negative default %+v", d)
		}
		if d := s.Fields[10].Default; d.Double != 1e10 {
			t.Errorf("d default %+v", d)
		}
		if f := s.Fields[1]; f.Pos.Line != 50 || f.Pos.Col != 3 || f.Type.Pos.Col != 15 {
			t.Errorf("tags pos %v type pos %v", f.Pos, f.Type.Pos)
		}
		if f := s.Fields[4]; f.Pos.Col != 3 {
			t.Errorf("implicitOne pos %v", f.Pos)
		}
		if findStruct(t, main, "Choice").Kind != idl.UnionStruct {
			t.Error("Choice is not a union")
		}
	})

	t.Run("services", func(t *testing.T) {
		s := findService(t, main, "Main")
		util := findService(t, prog.Files[2], "UtilService")
		shared := findService(t, prog.Files[1], "SharedService")
		if s.Extends != util || util.Extends != shared {
			t.Fatalf("extends chain %v %v", s.Extends, util.Extends)
		}
		var all []string
		for _, fn := range s.AllFunctions() {
			all = append(all, fn.Name)
		}
		if want := []string{"doThing", "fire", "legacy", "nums", "ping", "getStruct"}; !slices.Equal(all, want) {
			t.Errorf("AllFunctions = %v", all)
		}
		if v, _ := s.Annotations.Get("svc.ann"); v != "s" {
			t.Errorf("service annotations %v", s.Annotations)
		}
		do := s.Functions[0]
		if do.Doc != "Does a thing." || do.Result.Struct == nil || len(do.Args) != 2 || len(do.Throws) != 2 {
			t.Fatalf("doThing = %+v", do)
		}
		if v, _ := do.Annotations.Get("fn.ann"); v != "f" {
			t.Errorf("doThing annotations %v", do.Annotations)
		}
		if v, _ := do.Args[0].Annotations.Get("arg.ann"); v != "1" {
			t.Errorf("arg annotations %v", do.Args[0].Annotations)
		}
		if c := do.Args[1]; c.Requiredness != idl.Default || c.Default.EnumValue.Name != "GREEN" {
			t.Errorf("arg c = %+v", c)
		}
		// A throws field typed by a typedef of an exception gets the
		// exception's own type.
		sharedErr := findStruct(t, prog.Files[1], "SharedError")
		for _, th := range do.Throws {
			if th.Type.Kind != idl.KindStruct || th.Type.Struct != sharedErr {
				t.Errorf("throws %s type %v", th.Name, th.Type)
			}
		}
		fire := s.Functions[1]
		if !fire.Oneway || fire.Result != nil || fire.Doc != "fire and forget" {
			t.Errorf("fire = %+v", fire)
		}
		if !s.Functions[2].Oneway {
			t.Error("async function is not oneway")
		}
		nums := s.Functions[3]
		if v, _ := nums.Result.Annotations.Get("list.ann"); v != "l" || nums.Pos.Line != 76 || nums.Pos.Col != 3 {
			t.Errorf("nums result %v pos %v", nums.Result.Annotations, nums.Pos)
		}
	})
}
