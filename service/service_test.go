package service_test

import (
	"testing"

	"github.com/ospreyrpc/osprey/service"
)

func TestMethodLookup(t *testing.T) {
	d := &service.Desc{Name: "S", Methods: []service.Method{{Name: "a"}, {Name: "b", Oneway: true}}}
	if m := d.Method("b"); m == nil || !m.Oneway || m != &d.Methods[1] {
		t.Errorf("Method(b) = %+v", m)
	}
	if d.Method("c") != nil {
		t.Error("Method(c) != nil")
	}
}
