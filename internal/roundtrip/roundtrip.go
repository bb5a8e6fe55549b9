package roundtrip

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
)

// Diff returns "" when want and got are equal in the sense of the package
// doc, and otherwise describes the first difference found, with its path.
func Diff(want, got any) string {
	return diff("", reflect.ValueOf(want), reflect.ValueOf(got))
}

func diff(path string, a, b reflect.Value) string {
	if !a.IsValid() || !b.IsValid() {
		if a.IsValid() != b.IsValid() {
			return fmt.Sprintf("%s: one value is nil", name(path))
		}
		return ""
	}
	if a.Type() != b.Type() {
		return fmt.Sprintf("%s: type %v, want %v", name(path), b.Type(), a.Type())
	}
	switch a.Kind() {
	case reflect.Bool:
		if a.Bool() != b.Bool() {
			return mismatch(path, a.Bool(), b.Bool())
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if a.Int() != b.Int() {
			return mismatch(path, a.Int(), b.Int())
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if a.Uint() != b.Uint() {
			return mismatch(path, a.Uint(), b.Uint())
		}
	case reflect.Float32, reflect.Float64:
		if math.Float64bits(a.Float()) != math.Float64bits(b.Float()) {
			return mismatch(path, a.Float(), b.Float())
		}
	case reflect.String:
		if a.String() != b.String() {
			return mismatch(path, a.String(), b.String())
		}
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			if a.IsNil() != b.IsNil() {
				return fmt.Sprintf("%s: nil %v, want nil %v", name(path), b.IsNil(), a.IsNil())
			}
			return ""
		}
		return diff(path, a.Elem(), b.Elem())
	case reflect.Struct:
		for i := range a.NumField() {
			f := a.Type().Field(i)
			p := path + "." + f.Name
			if k := f.Type.Kind(); (k == reflect.Slice || k == reflect.Map) && optional(f) && a.Field(i).IsNil() != b.Field(i).IsNil() {
				// An optional container is unset when nil.
				return fmt.Sprintf("%s: nil %v, want nil %v", p, b.Field(i).IsNil(), a.Field(i).IsNil())
			}
			if d := diff(p, a.Field(i), b.Field(i)); d != "" {
				return d
			}
		}
	case reflect.Array, reflect.Slice:
		if a.Len() != b.Len() {
			return fmt.Sprintf("%s: length %d, want %d", name(path), b.Len(), a.Len())
		}
		for i := range a.Len() {
			if d := diff(fmt.Sprintf("%s[%d]", path, i), a.Index(i), b.Index(i)); d != "" {
				return d
			}
		}
	case reflect.Map:
		return diffMap(path, a, b)
	default:
		return fmt.Sprintf("%s: cannot compare a %v", name(path), a.Kind())
	}
	return ""
}

func diffMap(path string, a, b reflect.Value) string {
	if a.Len() != b.Len() {
		return fmt.Sprintf("%s: %d entries, want %d", name(path), b.Len(), a.Len())
	}
	if k := a.Type().Key().Kind(); k != reflect.Pointer && k != reflect.Interface && k != reflect.Float32 && k != reflect.Float64 {
		// Keys compare by value: look each one up.
		for it := a.MapRange(); it.Next(); {
			bv := b.MapIndex(it.Key())
			if !bv.IsValid() {
				return fmt.Sprintf("%s: key %v missing", name(path), it.Key())
			}
			if d := diff(fmt.Sprintf("%s[%v]", path, it.Key()), it.Value(), bv); d != "" {
				return d
			}
		}
		return ""
	}
	// Keys compare by content: pair each entry of a with an unused equal
	// entry of b.
	type entry struct{ k, v reflect.Value }
	var rest []entry
	for it := b.MapRange(); it.Next(); {
		rest = append(rest, entry{it.Key(), it.Value()})
	}
next:
	for it := a.MapRange(); it.Next(); {
		for i, e := range rest {
			if diff("", it.Key(), e.k) == "" && diff("", it.Value(), e.v) == "" {
				rest = append(rest[:i], rest[i+1:]...)
				continue next
			}
		}
		return fmt.Sprintf("%s: no entry equal to %v: %v", name(path), fmtKey(it.Key()), it.Value())
	}
	return ""
}

// optional reports whether f's thrift tag marks it optional.
func optional(f reflect.StructField) bool {
	_, opts, _ := strings.Cut(f.Tag.Get("thrift"), ",")
	return slices.Contains(strings.Split(opts, ","), "optional")
}

func fmtKey(k reflect.Value) any {
	if k.Kind() == reflect.Pointer && !k.IsNil() && k.Elem().CanInterface() {
		return fmt.Sprintf("&%+v", k.Elem().Interface())
	}
	if k.CanInterface() {
		return k.Interface()
	}
	return k
}

func mismatch(path string, want, got any) string {
	return fmt.Sprintf("%s: %v, want %v", name(path), got, want)
}

func name(path string) string {
	if path == "" {
		return "value"
	}
	return path
}
