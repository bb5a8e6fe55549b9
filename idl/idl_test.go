package idl

import "testing"

func TestTypeStringAndTrue(t *testing.T) {
	f := &File{Name: "shared"}
	bonk := &Struct{Name: "Bonk", File: f}
	id := &Typedef{Name: "Id", Type: &Type{Kind: KindI64}, File: f}
	ids := &Typedef{Name: "Ids", Type: &Type{Kind: KindTypedef, Typedef: id}, File: f}
	m := &Type{Kind: KindMap, Key: &Type{Kind: KindString}, Elem: &Type{Kind: KindList, Elem: &Type{Kind: KindStruct, Struct: bonk}}}
	if got, want := m.String(), "map<string,list<shared.Bonk>>"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	ref := &Type{Kind: KindTypedef, Typedef: ids}
	if ref.True().Kind != KindI64 {
		t.Errorf("True() = %v", ref.True().Kind)
	}
	if ref.String() != "shared.Ids" {
		t.Errorf("String() = %q", ref.String())
	}
	if !KindUUID.IsBase() || KindList.IsBase() {
		t.Error("IsBase wrong")
	}
}

func TestAnnotationsGetLastWins(t *testing.T) {
	a := Annotations{{Key: "k", Value: "1"}, {Key: "k", Value: "2"}}
	if v, ok := a.Get("k"); !ok || v != "2" {
		t.Errorf("Get = %q, %v", v, ok)
	}
	if _, ok := a.Get("x"); ok {
		t.Error("Get(x) found")
	}
}

func TestAllFunctions(t *testing.T) {
	base := &Service{Name: "Base", Functions: []*Function{{Name: "a"}}}
	child := &Service{Name: "Child", Extends: base, Functions: []*Function{{Name: "b"}}}
	fs := child.AllFunctions()
	if len(fs) != 2 || fs[0].Name != "b" || fs[1].Name != "a" {
		t.Errorf("AllFunctions = %v", fs)
	}
}
