package thriftidl

import (
	"slices"
	"testing"

	"github.com/ospreyrpc/osprey/idl"
)

// TestValueOfAnotherEnum checks that "Other.VALUE" for a field of enum E,
// where Other lacks VALUE and E has it, resolves to E.VALUE with a
// warning, as Apache Thrift resolves it (its test/EnumTest.thrift does
// this).
func TestValueOfAnotherEnum(t *testing.T) {
	var warnings []string
	prog, err := Parse("a.thrift", Options{
		ReadFile: memReadFile(map[string]string{
			"a.thrift": "enum E1 { A = 1 }\nenum E2 { B = 7 }\nstruct S {\n  1: E2 f = E1.B\n}\n",
		}),
		Warn: func(pos idl.Pos, msg string) { warnings = append(warnings, pos.String()+": "+msg) },
	})
	if err != nil {
		t.Fatal(err)
	}
	d := prog.Root.Structs[0].Fields[0].Default
	if d == nil || d.EnumValue == nil || d.EnumValue.Name != "B" || d.Int != 7 {
		t.Errorf("default = %+v, want E2.B", d)
	}
	if want := []string{"a.thrift:4:13: enum E1 has no value B; E2.B is used, as Apache Thrift does"}; !slices.Equal(warnings, want) {
		t.Errorf("warnings = %q, want %q", warnings, want)
	}
	// A value that neither enum has is still an error.
	_, err = Parse("a.thrift", Options{ReadFile: memReadFile(map[string]string{
		"a.thrift": "enum E1 { A = 1 }\nenum E2 { B = 7 }\nstruct S {\n  1: E2 f = E1.C\n}\n",
	})})
	if err == nil {
		t.Error("E1.C for an E2 field: no error")
	}
}
