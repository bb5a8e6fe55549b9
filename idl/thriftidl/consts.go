package thriftidl

import (
	"fmt"
	"math"
	"strings"

	"github.com/ospreyrpc/osprey/idl"
)

// checkConst checks constant c, first checking the constants it refers
// to, and returns its value, or nil if it is in error.
func (r *resolver) checkConst(c *constDecl) *idl.Value {
	switch c.state {
	case checked:
		return c.def.Value
	case failed:
		return nil
	case checking:
		return nil // reported by identValue, which sees the cycle
	}
	c.state = checking
	r.constStack = append(r.constStack, c)
	if c.def.Type != nil {
		c.def.Value = r.value(c.file, c.val, c.def.Type)
	}
	r.constStack = r.constStack[:len(r.constStack)-1]
	c.state = checked
	if c.def.Value == nil {
		c.state = failed
	}
	return c.def.Value
}

// value checks e, written in f, against type t and converts it to a
// Value, or reports why it cannot and returns nil.
func (r *resolver) value(f *fileAST, e *constExpr, t *idl.Type) *idl.Value {
	u := r.under(t)
	if u == nil {
		return nil // the type is in error, and reported
	}
	if e.kind == cIdent {
		return r.identValue(f, e, t, u)
	}
	v := &idl.Value{Pos: e.pos}
	switch k := u.Kind; {
	case k == idl.KindBool:
		if e.kind == cInt && e.i != 0 && e.i != 1 {
			r.sink.errorf(e.pos, "cannot use %s as bool (want true, false, 0 or 1)", e.text)
			return nil
		}
		if e.kind != cBool && e.kind != cInt {
			return r.mismatch(f, e, t)
		}
		v.Kind, v.Bool = idl.ValueBool, e.b || e.i == 1
	case isInteger(k):
		if e.kind != cInt {
			return r.mismatch(f, e, t)
		}
		if !fits(e.i, k) {
			r.sink.errorf(e.pos, "%s is out of range for %s", e.text, k)
			return nil
		}
		v.Kind, v.Int = idl.ValueInt, e.i
	case k == idl.KindDouble:
		switch e.kind {
		case cInt:
			v.Kind, v.Double = idl.ValueDouble, float64(e.i)
		case cDouble:
			v.Kind, v.Double = idl.ValueDouble, e.d
		default:
			return r.mismatch(f, e, t)
		}
	case k == idl.KindString, k == idl.KindBinary, k == idl.KindUUID:
		if e.kind != cString {
			return r.mismatch(f, e, t)
		}
		v.Kind, v.String = idl.ValueString, e.text
		if k == idl.KindUUID {
			var ok bool
			if v.String, ok = canonicalUUID(e.text); !ok {
				r.sink.errorf(e.pos, "invalid uuid %q (want the form 00000000-0000-0000-0000-000000000000)", e.text)
				return nil
			}
		}
	case k == idl.KindEnum:
		if e.kind != cInt {
			return r.mismatch(f, e, t)
		}
		ev := enumValue(u.Enum, e.i)
		if ev == nil {
			r.sink.errorf(e.pos, "%s is not a value of enum %s", e.text, typeName(u, f.file))
			return nil
		}
		v.Kind, v.Int, v.EnumValue = idl.ValueInt, e.i, ev
	case k == idl.KindList, k == idl.KindSet:
		if e.kind == cMap && len(e.keys) == 0 { // {} for an empty list, as Apache accepts
			v.Kind, v.List = idl.ValueList, []*idl.Value{}
			return v
		}
		if e.kind != cList {
			return r.mismatch(f, e, t)
		}
		return r.listValue(f, e, u, v)
	case k == idl.KindMap:
		if e.kind != cMap {
			return r.mismatch(f, e, t)
		}
		return r.mapValue(f, e, u, v)
	case k == idl.KindStruct:
		if e.kind != cMap {
			return r.mismatch(f, e, t)
		}
		return r.structValue(f, e, u.Struct, v)
	}
	return v
}

// mismatch reports a value of the wrong kind for type t.
func (r *resolver) mismatch(f *fileAST, e *constExpr, t *idl.Type) *idl.Value {
	r.sink.errorf(e.pos, "cannot use %s as %s", describe(e), typeName(t, f.file))
	return nil
}

func isInteger(k idl.Kind) bool {
	return k == idl.KindByte || k == idl.KindI16 || k == idl.KindI32 || k == idl.KindI64
}

// fits reports whether v is in the range of integer kind k.
func fits(v int64, k idl.Kind) bool {
	switch k {
	case idl.KindByte:
		return v >= math.MinInt8 && v <= math.MaxInt8
	case idl.KindI16:
		return v >= math.MinInt16 && v <= math.MaxInt16
	case idl.KindI32:
		return v >= math.MinInt32 && v <= math.MaxInt32
	}
	return true
}

// enumValue returns the first value of e equal to v.
func enumValue(e *idl.Enum, v int64) *idl.EnumValue {
	for _, ev := range e.Values {
		if int64(ev.Value) == v {
			return ev
		}
	}
	return nil
}

// canonicalUUID checks a uuid in the form 8-4-4-4-12 hex digits, possibly
// in braces, and returns it in lower case without braces.
func canonicalUUID(s string) (string, bool) {
	if len(s) == 38 && s[0] == '{' && s[37] == '}' {
		s = s[1:37]
	}
	if len(s) != 36 {
		return "", false
	}
	for i := 0; i < len(s); i++ {
		switch i {
		case 8, 13, 18, 23:
			if s[i] != '-' {
				return "", false
			}
		default:
			if !isHex(s[i]) {
				return "", false
			}
		}
	}
	return strings.ToLower(s), true
}

// scalarKey identifies a scalar value, to find duplicate map keys and set
// elements; ok is false for values that are not scalars.
func scalarKey(v *idl.Value) (key string, ok bool) {
	switch v.Kind {
	case idl.ValueBool:
		return fmt.Sprint("b", v.Bool), true
	case idl.ValueInt:
		return fmt.Sprint("i", v.Int), true
	case idl.ValueDouble:
		return fmt.Sprint("d", v.Double), true
	case idl.ValueString:
		return "s" + v.String, true
	}
	return "", false
}
