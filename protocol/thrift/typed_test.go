package thrift

import "testing"

func TestTypedHeadersSkipMismatches(t *testing.T) {
	// A struct whose field 1 is a list<string> and field 2 a map<i32,i32>,
	// read by code that expects list<i32> and map<string,i32>.
	var w CompactWriter
	prev := w.StructBegin()
	w.WriteFieldBegin(TypeList, 1)
	w.WriteListBegin(TypeString, 2)
	w.WriteString("a")
	w.WriteString("b")
	w.WriteFieldBegin(TypeMap, 2)
	w.WriteMapBegin(TypeI32, TypeI32, 1)
	w.WriteI32(1)
	w.WriteI32(2)
	w.WriteFieldBegin(TypeI32, 3)
	w.WriteI32(7)
	w.StructEnd(prev)

	var r CompactReader
	r.Reset(w.Bytes())
	r.StructBegin()
	var got int32
	for {
		ft, id := r.ReadFieldBegin()
		if ft == TypeStop {
			break
		}
		switch id {
		case 1:
			if n, ok := r.ReadListOf(TypeI32); ok || n != 2 {
				t.Fatalf("ReadListOf(I32) on list<string> = %d, %v", n, ok)
			}
		case 2:
			if _, ok := r.ReadMapOf(TypeString, TypeI32); ok {
				t.Fatal("ReadMapOf matched the wrong key type")
			}
		case 3:
			got = r.ReadI32()
		}
	}
	r.StructEnd()
	if r.Err() != nil || got != 7 {
		t.Fatalf("after skipping: field 3 = %d, err %v", got, r.Err())
	}
	// An empty container matches whatever its header says.
	var bw BinaryWriter
	bw.WriteListBegin(TypeString, 0)
	var br BinaryReader
	br.Reset(bw.Bytes())
	if n, ok := br.ReadListOf(TypeI32); !ok || n != 0 {
		t.Errorf("empty list: %d, %v", n, ok)
	}
}

func TestUUIDStringParse(t *testing.T) {
	u := UUID{0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff}
	s := u.String()
	if s != "00112233-4455-6677-8899-aabbccddeeff" {
		t.Fatalf("String = %s", s)
	}
	for _, in := range []string{s, "{" + s + "}", "00112233-4455-6677-8899-AABBCCDDEEFF"} {
		if got, err := ParseUUID(in); err != nil || got != u {
			t.Errorf("ParseUUID(%q) = %v, %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "00112233445566778899aabbccddeeff", "0011223-34455-6677-8899-aabbccddeeff", "zz112233-4455-6677-8899-aabbccddeeff"} {
		if _, err := ParseUUID(bad); err == nil {
			t.Errorf("ParseUUID(%q) succeeded", bad)
		}
	}
	if *Ptr(int32(5)) != 5 {
		t.Error("Ptr")
	}
}
