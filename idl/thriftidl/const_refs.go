package thriftidl

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ospreyrpc/osprey/idl"
)

// identValue checks a name used as a value of type t (u with typedefs
// followed): a constant, or an enum value written Enum.VALUE, each possibly
// prefixed with the name of an included file.
func (r *resolver) identValue(f *fileAST, e *constExpr, t, u *idl.Type) *idl.Value {
	c, ev := r.lookupValue(f, e.text)
	switch {
	case ev != nil:
		ok := u.Kind == idl.KindEnum && ev.Enum == u.Enum || isInteger(u.Kind) && fits(int64(ev.Value), u.Kind)
		switch {
		case ok:
			return &idl.Value{Kind: idl.ValueInt, Int: int64(ev.Value), EnumValue: ev, Pos: e.pos}
		case u.Kind == idl.KindEnum:
			r.sink.errorf(e.pos, "%s is a value of enum %s, not of %s", e.text,
				typeName(&idl.Type{Kind: idl.KindEnum, Enum: ev.Enum}, f.file), typeName(t, f.file))
		case isInteger(u.Kind):
			r.sink.errorf(e.pos, "%s (%d) is out of range for %s", e.text, ev.Value, u.Kind)
		default:
			r.sink.errorf(e.pos, "cannot use enum value %s as %s", e.text, typeName(t, f.file))
		}
		return nil
	case c != nil:
		if c.state == checking {
			i := slices.Index(r.constStack, c)
			var names []string
			for _, s := range r.constStack[i:] {
				names = append(names, s.def.Name)
			}
			names = append(names, c.def.Name)
			r.sink.errorf(e.pos, "constant cycle: %s", strings.Join(names, " -> "))
			return nil
		}
		cv := r.checkConst(c)
		if cv == nil {
			return nil // reported where the constant is defined
		}
		v, why := r.convert(cv, c.def.Type, t)
		if v == nil {
			if why != "" {
				why = ": " + why
			}
			r.sink.errorf(e.pos, "cannot use constant %s (of type %s) as %s%s",
				e.text, typeName(c.def.Type, f.file), typeName(t, f.file), why)
			return nil
		}
		cp := *v
		cp.Const, cp.Pos = c.def, e.pos
		return &cp
	}
	if ev := looseEnumValue(e.text, u); ev != nil {
		return &idl.Value{Kind: idl.ValueInt, Int: int64(ev.Value), EnumValue: ev, Pos: e.pos}
	}
	if ev := r.otherEnumValue(f, e.text, u); ev != nil {
		r.sink.warnf(e.pos, "enum %s has no value %s; %s.%s is used, as Apache Thrift does",
			e.text[:strings.LastIndexByte(e.text, '.')], ev.Name, typeName(u, f.file), ev.Name)
		return &idl.Value{Kind: idl.ValueInt, Int: int64(ev.Value), EnumValue: ev, Pos: e.pos}
	}
	r.unknownValue(f, e, u)
	return nil
}

// looseEnumValue accepts, as Apache Thrift does, "Enum.VALUE" for a value
// of an enum type u defined in another file, without the file's name.
func looseEnumValue(name string, u *idl.Type) *idl.EnumValue {
	enum, value, ok := strings.Cut(name, ".")
	if !ok || u.Kind != idl.KindEnum || enum != u.Enum.Name {
		return nil
	}
	for _, ev := range u.Enum.Values {
		if ev.Name == value {
			return ev
		}
	}
	return nil
}

// otherEnumValue accepts, as Apache Thrift does, "Other.VALUE" for a value
// of enum type u when Other is another enum without VALUE and u has one:
// Apache resolves the value by its last part in the enum expected.
func (r *resolver) otherEnumValue(f *fileAST, name string, u *idl.Type) *idl.EnumValue {
	i := strings.LastIndexByte(name, '.')
	if i < 0 || u.Kind != idl.KindEnum {
		return nil
	}
	if s := r.lookup(f, name[:i]); s == nil || s.enum == nil {
		return nil
	}
	for _, ev := range u.Enum.Values {
		if ev.Name == name[i+1:] {
			return ev
		}
	}
	return nil
}

// lookupValue finds the constant or enum value a name refers to: CONST,
// file.CONST, Enum.VALUE or file.Enum.VALUE.
func (r *resolver) lookupValue(f *fileAST, name string) (*constDecl, *idl.EnumValue) {
	if s := r.lookup(f, name); s != nil && s.cnst != nil {
		return s.cnst, nil
	}
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		if s := r.lookup(f, name[:i]); s != nil && s.enum != nil {
			return nil, s.enum.values[name[i+1:]]
		}
	}
	return nil, nil
}

// unknownValue reports a name that is neither a constant nor an enum
// value, with a hint when the last part of the name is a value of the enum
// type expected.
func (r *resolver) unknownValue(f *fileAST, e *constExpr, u *idl.Type) {
	hint := ""
	if u.Kind == idl.KindEnum {
		last := e.text[strings.LastIndexByte(e.text, '.')+1:]
		for _, ev := range u.Enum.Values {
			if ev.Name == last {
				enum := typeName(&idl.Type{Kind: idl.KindEnum, Enum: u.Enum}, f.file)
				hint = fmt.Sprintf(" (did you mean %s.%s?)", enum, last)
				break
			}
		}
	}
	if s := r.lookup(f, e.text); s != nil {
		r.sink.errorf(e.pos, "%s is a %s, not a constant", e.text, s.kindName())
		return
	}
	if i := strings.LastIndexByte(e.text, '.'); i >= 0 {
		if s := r.lookup(f, e.text[:i]); s != nil && s.enum != nil {
			r.sink.errorf(e.pos, "enum %s has no value %q%s", e.text[:i], e.text[i+1:], hint)
			return
		}
	}
	r.sink.errorf(e.pos, "unknown constant %q%s", e.text, hint)
}

// convert converts v, a checked value of type from, to type to. It returns
// nil and possibly a reason if it cannot. Integers convert to other integer
// types they fit in and to double; string, binary and uuid convert to each
// other (a uuid must be well formed); lists and sets convert elementwise,
// as maps do; enums and structs convert only to themselves.
//
// Values may share parts (a constant used twice in a list), so results are
// memoized: a value that doubles at each of n levels converts in O(n).
func (r *resolver) convert(v *idl.Value, from, to *idl.Type) (*idl.Value, string) {
	key := convKey{v, from, to}
	if res, ok := r.converted[key]; ok {
		return res.v, res.why
	}
	cv, why := r.convert1(v, from, to)
	r.converted[key] = convResult{cv, why}
	return cv, why
}

type convKey struct {
	v        *idl.Value
	from, to *idl.Type
}

type convResult struct {
	v   *idl.Value
	why string
}

func (r *resolver) convert1(v *idl.Value, from, to *idl.Type) (*idl.Value, string) {
	fu, tu := r.under(from), r.under(to)
	if fu == nil || tu == nil {
		return nil, ""
	}
	k, fk := tu.Kind, fu.Kind
	isString := func(k idl.Kind) bool { return k == idl.KindString || k == idl.KindBinary }
	switch {
	case isInteger(k) && (isInteger(fk) || fk == idl.KindEnum):
		if !fits(v.Int, k) {
			return nil, fmt.Sprintf("%d is out of range", v.Int)
		}
		return v, ""
	case k == idl.KindDouble && isInteger(fk):
		return &idl.Value{Kind: idl.ValueDouble, Double: float64(v.Int), Pos: v.Pos}, ""
	case k == idl.KindUUID && isString(fk):
		s, ok := canonicalUUID(v.String)
		if !ok {
			return nil, fmt.Sprintf("%q is not a valid uuid", v.String)
		}
		return &idl.Value{Kind: idl.ValueString, String: s, Pos: v.Pos}, ""
	case isString(k) && (isString(fk) || fk == idl.KindUUID),
		k == fk && (k == idl.KindBool || k == idl.KindDouble || k == idl.KindUUID),
		k == idl.KindEnum && fk == idl.KindEnum && tu.Enum == fu.Enum,
		k == idl.KindStruct && fk == idl.KindStruct && tu.Struct == fu.Struct:
		return v, ""
	case (k == idl.KindList || k == idl.KindSet) && (fk == idl.KindList || fk == idl.KindSet):
		out := &idl.Value{Kind: idl.ValueList, List: make([]*idl.Value, len(v.List)), Pos: v.Pos}
		for i, el := range v.List {
			var why string
			if out.List[i], why = r.convert(el, fu.Elem, tu.Elem); out.List[i] == nil {
				return nil, why
			}
		}
		return out, ""
	case k == idl.KindMap && fk == idl.KindMap:
		out := &idl.Value{Kind: idl.ValueMap, Map: make([]*idl.MapEntry, len(v.Map)), Pos: v.Pos}
		for i, en := range v.Map {
			key, why := r.convert(en.Key, fu.Key, tu.Key)
			if key == nil {
				return nil, why
			}
			val, why := r.convert(en.Value, fu.Elem, tu.Elem)
			if val == nil {
				return nil, why
			}
			out.Map[i] = &idl.MapEntry{Key: key, Value: val}
		}
		return out, ""
	}
	return nil, ""
}
