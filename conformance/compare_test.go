package conformance

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
)

// compareValues reports the first difference between o, a value of an
// Osprey generated type, and a, a value of the Apache generated type for the
// same Thrift type, or nil if they hold the same Thrift value. It walks both
// with reflection, matching struct fields by the Thrift field id in their
// `thrift:"name,id"` tags, so that it needs no per-type code:
//
//   - nil and empty lists, sets and maps are equal, except in optional fields
//     (Osprey's tag says optional), where nil means unset;
//   - a pointer on one side only (an Osprey optional scalar, an Apache
//     optional container) is followed when set; an unset Osprey optional
//     field that Apache holds as a plain value compares as the default
//     Osprey's getter returns, which is the IDL default;
//   - maps with struct keys have pointer keys on both sides, so their entries
//     are matched by content;
//   - doubles are compared bit for bit.
func compareValues(o, a any) error {
	return compare("", reflect.ValueOf(o), reflect.ValueOf(a), false)
}

func compare(path string, o, a reflect.Value, optional bool) error {
	switch {
	case o.Kind() == reflect.Pointer && a.Kind() == reflect.Pointer:
		if o.IsNil() || a.IsNil() {
			if o.IsNil() != a.IsNil() {
				return diff(path, o, a)
			}
			return nil
		}
		return compare(path, o.Elem(), a.Elem(), optional)
	case o.Kind() == reflect.Pointer:
		if o.IsNil() {
			return fmt.Errorf("%s: unset in Osprey's value, %v in Apache's", pathName(path), a)
		}
		return compare(path, o.Elem(), a, optional)
	case a.Kind() == reflect.Pointer:
		if a.IsNil() {
			if (o.Kind() == reflect.Slice || o.Kind() == reflect.Map) && o.IsNil() {
				return nil
			}
			return fmt.Errorf("%s: %v in Osprey's value, unset in Apache's", pathName(path), o)
		}
		return compare(path, o, a.Elem(), optional)
	}
	switch o.Kind() {
	case reflect.Struct:
		return compareStructs(path, o, a)
	case reflect.Slice, reflect.Array:
		if o.Kind() == reflect.Slice && optional && o.IsNil() != a.IsNil() {
			return diff(path, o, a)
		}
		if o.Len() != a.Len() {
			return fmt.Errorf("%s: %d elements in Osprey's value, %d in Apache's", pathName(path), o.Len(), a.Len())
		}
		for i := range o.Len() {
			if err := compare(path+"["+strconv.Itoa(i)+"]", o.Index(i), a.Index(i), false); err != nil {
				return err
			}
		}
		return nil
	case reflect.Map:
		if optional && o.IsNil() != a.IsNil() {
			return diff(path, o, a)
		}
		return compareMaps(path, o, a)
	case reflect.Bool:
		if o.Bool() != a.Bool() {
			return diff(path, o, a)
		}
	case reflect.String:
		if o.String() != a.String() {
			return diff(path, o, a)
		}
	case reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if o.Int() != a.Int() {
			return diff(path, o, a)
		}
	case reflect.Uint8:
		if o.Uint() != a.Uint() {
			return diff(path, o, a)
		}
	case reflect.Float64:
		if math.Float64bits(o.Float()) != math.Float64bits(a.Float()) {
			return diff(path, o, a)
		}
	default:
		return fmt.Errorf("%s: cannot compare %s with %s", pathName(path), o.Type(), a.Type())
	}
	return nil
}

// compareStructs compares generated structs field by field, matched by
// Thrift field id, or, for structs without Thrift tags such as
// thrift.MapEntry, by Go field name.
func compareStructs(path string, o, a reflect.Value) error {
	ot, at := o.Type(), a.Type()
	if ot.NumField() != at.NumField() {
		return fmt.Errorf("%s: %s has %d fields, %s has %d", pathName(path), ot, ot.NumField(), at, at.NumField())
	}
	for i := range ot.NumField() {
		of := ot.Field(i)
		name, id, optional, tagged := thriftTag(of)
		j := -1
		for k := range at.NumField() {
			aname, aid, _, _ := thriftTag(at.Field(k))
			if tagged && aid == id || !tagged && at.Field(k).Name == of.Name {
				if tagged && aname != name {
					return fmt.Errorf("%s: field %d is %q in Osprey's %s, %q in Apache's %s", pathName(path), id, name, ot, aname, at)
				}
				j = k
			}
		}
		if j < 0 {
			return fmt.Errorf("%s: Apache's %s has no field %s", pathName(path), at, of.Name)
		}
		if !tagged {
			name = of.Name
		}
		ov := o.Field(i)
		if ov.Kind() == reflect.Pointer && ov.IsNil() && a.Field(j).Kind() != reflect.Pointer && o.CanAddr() {
			// An unset optional field that Apache holds as a plain value
			// with its IDL default: compare that with the default
			// Osprey's getter returns.
			if get := o.Addr().MethodByName("Get" + of.Name); get.IsValid() {
				ov = get.Call(nil)[0]
			}
		}
		if err := compare(path+"."+name, ov, a.Field(j), optional); err != nil {
			return err
		}
	}
	return nil
}

// compareMaps compares maps entry by entry; keys of struct type are pointers
// on both sides, so those entries are matched by content.
func compareMaps(path string, o, a reflect.Value) error {
	if o.Len() != a.Len() {
		return fmt.Errorf("%s: %d entries in Osprey's map, %d in Apache's", pathName(path), o.Len(), a.Len())
	}
	byContent := o.Type().Key().Kind() == reflect.Pointer
	matched := make(map[int]bool)
	akeys := a.MapKeys()
	for _, ok := range o.MapKeys() {
		kpath := fmt.Sprintf("%s[%v]", path, ok)
		if !byContent {
			av := a.MapIndex(ok.Convert(a.Type().Key()))
			if !av.IsValid() {
				return fmt.Errorf("%s: missing from Apache's map", pathName(kpath))
			}
			if err := compare(kpath, o.MapIndex(ok), av, false); err != nil {
				return err
			}
			continue
		}
		found := false
		for i, ak := range akeys {
			if !matched[i] && compare("", ok, ak, false) == nil && compare("", o.MapIndex(ok), a.MapIndex(ak), false) == nil {
				matched[i], found = true, true
				break
			}
		}
		if !found {
			return fmt.Errorf("%s[%v]: no entry with this key and value in Apache's map", pathName(path), ok.Elem())
		}
	}
	return nil
}

// thriftTag parses a `thrift:"name,id[,optional|required]"` tag.
func thriftTag(f reflect.StructField) (name string, id int, optional, ok bool) {
	tag, ok := f.Tag.Lookup("thrift")
	if !ok {
		return "", 0, false, false
	}
	parts := strings.Split(tag, ",")
	if len(parts) < 2 {
		return "", 0, false, false
	}
	id, err := strconv.Atoi(parts[1])
	if err != nil {
		return "", 0, false, false
	}
	return parts[0], id, len(parts) > 2 && parts[2] == "optional", true
}

func diff(path string, o, a reflect.Value) error {
	return fmt.Errorf("%s: Osprey's value is %s, Apache's is %s", pathName(path), show(o), show(a))
}

func show(v reflect.Value) string {
	if (v.Kind() == reflect.Slice || v.Kind() == reflect.Map || v.Kind() == reflect.Pointer) && v.IsNil() {
		return "nil"
	}
	if v.Kind() == reflect.Float64 {
		return fmt.Sprintf("%v (%#016x)", v.Float(), math.Float64bits(v.Float()))
	}
	return fmt.Sprintf("%v", v)
}

func pathName(path string) string {
	if path == "" {
		return "value"
	}
	return strings.TrimPrefix(path, ".")
}
