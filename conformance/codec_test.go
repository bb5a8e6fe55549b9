package conformance

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/ospreyrpc/osprey/internal/leakcheck"
	"github.com/ospreyrpc/osprey/protocol/thrift"
)

// TestCodecInterop checks, without a network, that Osprey's generated codecs
// and Apache's read each other's bytes, in both protocols: Osprey encodes
// each value and Apache decodes it, then Apache encodes what it decoded and
// Osprey decodes that, and each decoded value must equal the original, field
// by field. Where the encoding does not depend on map iteration order, both
// must write the very same bytes. Osprey's size methods must predict what it
// writes.
func TestCodecInterop(t *testing.T) {
	leakcheck.Check(t)
	for _, p := range codecProtocols {
		for _, c := range codecCases() {
			t.Run(p.name+"/"+c.name, func(t *testing.T) {
				ospreyBytes, err := p.ospreyEncode(c.value)
				if err != nil {
					t.Fatal(err)
				}
				a := c.newApache()
				if err := p.apacheDecode(ospreyBytes, a); err != nil {
					t.Fatalf("Osprey wrote % x\n%v", ospreyBytes, err)
				}
				if err := compareValues(c.value, a); err != nil {
					t.Errorf("Apache decoded Osprey's bytes differently:\n%v\nOsprey wrote % x", err, ospreyBytes)
				}
				apacheBytes, err := p.apacheEncode(a)
				if err != nil {
					t.Fatal(err)
				}
				if !hasUnorderedMap(reflect.ValueOf(c.value)) && !bytes.Equal(ospreyBytes, apacheBytes) {
					t.Errorf("different encodings:\nOsprey: % x\nApache: % x", ospreyBytes, apacheBytes)
				}
				o := reflect.New(reflect.TypeOf(c.value).Elem()).Interface().(thrift.Struct)
				if err := p.ospreyDecode(apacheBytes, o); err != nil {
					t.Fatalf("Apache wrote % x\n%v", apacheBytes, err)
				}
				if err := compareValues(o, a); err != nil {
					t.Errorf("Osprey decoded Apache's bytes differently:\n%v\nApache wrote % x", err, apacheBytes)
				}
				if _, err := p.ospreyEncode(o); err != nil {
					t.Error(err)
				}
			})
		}
	}
}

// hasUnorderedMap reports whether v holds a map of more than one entry,
// whose encoding depends on Go's random map iteration order.
func hasUnorderedMap(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		return !v.IsNil() && hasUnorderedMap(v.Elem())
	case reflect.Struct:
		for i := range v.NumField() {
			if hasUnorderedMap(v.Field(i)) {
				return true
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			if hasUnorderedMap(v.Index(i)) {
				return true
			}
		}
	case reflect.Map:
		if v.Len() > 1 {
			return true
		}
		for it := v.MapRange(); it.Next(); {
			if hasUnorderedMap(it.Key()) || hasUnorderedMap(it.Value()) {
				return true
			}
		}
	}
	return false
}
