package thriftidl

import (
	"strconv"

	"github.com/ospreyrpc/osprey/idl"
)

// listValue checks the elements of list e against list or set type u.
// A repeated set element draws a warning and is dropped.
func (r *resolver) listValue(f *fileAST, e *constExpr, u *idl.Type, v *idl.Value) *idl.Value {
	v.Kind, v.List = idl.ValueList, make([]*idl.Value, 0, len(e.list))
	seen := map[string]*idl.Value{}
	ok := true
	for _, el := range e.list {
		ev := r.value(f, el, u.Elem)
		if ev == nil {
			ok = false
			continue
		}
		if k, scalar := scalarKey(ev); scalar && u.Kind == idl.KindSet {
			if prev := seen[k]; prev != nil {
				r.sink.warnf(el.pos, "duplicate element %s in set (first at %s) is dropped", describe(el), prev.Pos)
				continue
			}
			seen[k] = ev
		}
		v.List = append(v.List, ev)
	}
	if !ok {
		return nil
	}
	return v
}

// mapValue checks the entries of map e against map type u. Keys must be
// distinct.
func (r *resolver) mapValue(f *fileAST, e *constExpr, u *idl.Type, v *idl.Value) *idl.Value {
	v.Kind, v.Map = idl.ValueMap, make([]*idl.MapEntry, 0, len(e.keys))
	seen := map[string]*idl.Value{}
	ok := true
	for i, ke := range e.keys {
		kv := r.value(f, ke, u.Key)
		vv := r.value(f, e.vals[i], u.Elem)
		if kv == nil || vv == nil {
			ok = false
			continue
		}
		if k, scalar := scalarKey(kv); scalar {
			if prev := seen[k]; prev != nil {
				r.sink.errorf(ke.pos, "duplicate key %s in map (first at %s)", describe(ke), prev.Pos)
				ok = false
				continue
			}
			seen[k] = kv
		}
		v.Map = append(v.Map, &idl.MapEntry{Key: kv, Value: vv})
	}
	if !ok {
		return nil
	}
	return v
}

// structValue checks map e, whose keys are field names, against struct s.
// A union value may set at most one field.
func (r *resolver) structValue(f *fileAST, e *constExpr, s *idl.Struct, v *idl.Value) *idl.Value {
	v.Kind, v.Fields = idl.ValueStruct, make([]*idl.FieldValue, 0, len(e.keys))
	seen := map[string]*constExpr{}
	ok := true
	for i, ke := range e.keys {
		if ke.kind != cString {
			r.sink.errorf(ke.pos, "field names in a %s value must be string literals, not %s", s.Kind, describe(ke))
			ok = false
			continue
		}
		field := fieldNamed(s, ke.text)
		if field == nil {
			r.sink.errorf(ke.pos, "unknown field %q in %s %q", ke.text, s.Kind, s.Name)
			ok = false
			continue
		}
		if prev := seen[ke.text]; prev != nil {
			r.sink.errorf(ke.pos, "field %q is set twice (first at %s)", ke.text, prev.pos)
			ok = false
			continue
		}
		seen[ke.text] = ke
		fv := r.value(f, e.vals[i], field.Type)
		if fv == nil {
			ok = false
			continue
		}
		v.Fields = append(v.Fields, &idl.FieldValue{Field: field, Value: fv})
	}
	if ok && s.Kind == idl.UnionStruct && len(v.Fields) > 1 {
		r.sink.errorf(e.pos, "a value of union %q can set at most one field, not %d", s.Name, len(v.Fields))
		return nil
	}
	if !ok {
		return nil
	}
	return v
}

func fieldNamed(s *idl.Struct, name string) *idl.Field {
	for _, f := range s.Fields {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// describe spells a constant value for messages.
func describe(e *constExpr) string {
	switch e.kind {
	case cString:
		return "string " + strconv.Quote(e.text)
	case cList:
		return "a list"
	case cMap:
		return "a map"
	}
	return e.text
}
